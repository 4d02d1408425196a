/**
 * The bar above the piano roll: undo / redo / delete, the velocity of the selected notes, a hint
 * of the pointer's edits, and "Continue from here" (the selected notes or the loop region prime a
 * new generation). Buttons run the same commands as the keys.
 */
import { runCommand } from '../commands.js';
import { canRedo, canUndo, replacePiece } from '../edit/editing.js';
import { setVelocity, withNotes } from '../edit/note-ops.js';
import { store } from '../state.js';
import { h } from '../ui/dom.js';

export function rollToolbar(canContinue: () => boolean): HTMLElement {
  const button = (text: string, title: string, command: Parameters<typeof runCommand>[0], testid: string) => {
    const b = h('button', { class: 'small', text, title, 'data-testid': testid });
    b.addEventListener('click', () => void runCommand(command));
    return b;
  };
  const undoBtn = button('↶ Undo', 'Undo (Ctrl/⌘+Z)', 'undo', 'roll-undo');
  const redoBtn = button('↷ Redo', 'Redo (Ctrl/⌘+Shift+Z)', 'redo', 'roll-redo');
  const deleteBtn = button('Delete', 'Delete the selected notes (Delete)', 'delete', 'roll-delete');
  const velocity = h('input', {
    type: 'range',
    min: 1,
    max: 127,
    step: 1,
    value: 100,
    'data-testid': 'note-velocity',
    'aria-label': 'Velocity of the selected notes',
    title: 'Velocity of the selected notes (or Alt+drag a note up and down)',
  });
  const velocityText = h('span', { class: 'muted small-text roll-velocity-value', text: '–' });
  velocity.addEventListener('input', () => (velocityText.textContent = velocity.value));
  velocity.addEventListener('change', () => {
    const piece = store.selectedPiece();
    const sel = store.selectedNotes();
    if (!piece || !sel.length) return;
    replacePiece(withNotes(piece, setVelocity(piece.notes, sel, Number(velocity.value) / 127)), sel);
  });
  const continueBtn = button(
    'Continue from here',
    'Generate new variations that continue the selected notes (or the loop region) — Shift+Enter',
    'continue-from-here',
    'continue-from-here',
  );
  const hint = h('span', {
    class: 'muted small-text roll-hint',
    text: 'Click a note to select (Shift: add) · drag to move · drag its end to resize · Alt+drag: velocity · Shift+drag: box · double-click: draw',
  });
  const update = () => {
    const piece = store.selectedPiece();
    const sel = store.selectedNotes();
    undoBtn.disabled = !canUndo();
    redoBtn.disabled = !canRedo();
    deleteBtn.disabled = !sel.length;
    velocity.disabled = !piece || !sel.length;
    if (piece && sel.length) {
      const mean = sel.reduce((s, i) => s + (piece.notes[i]?.velocity ?? 0), 0) / sel.length;
      velocity.value = String(Math.round(mean * 127));
      velocityText.textContent = velocity.value;
    } else velocityText.textContent = '–';
    continueBtn.disabled = store.get('generating') || !canContinue();
  };
  store.on(['pieces', 'selectedPieceId', 'noteSelection', 'loopRegion', 'generating', 'view'], update);
  update();
  return h(
    'div',
    { class: 'roll-toolbar', 'data-testid': 'roll-toolbar' },
    undoBtn,
    redoBtn,
    deleteBtn,
    h(
      'label',
      { class: 'roll-velocity' },
      h('span', { class: 'small-text', text: 'Velocity' }),
      velocity,
      velocityText,
    ),
    hint,
    continueBtn,
  );
}
