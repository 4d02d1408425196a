/**
 * The editing commands of the shortcut table: undo, redo, delete (the selected notes, or else the
 * selected piece), select all / none, and moving the selected notes with the arrows (a grid step,
 * a semitone, an octave). Each edit is one undo step; without selected notes the arrows keep their
 * other meanings (the table's later entries).
 */
import type { MenuCommand } from '../../main/shared/api.js';
import { registerCommand } from '../commands.js';
import { store } from '../state.js';
import { deletePiece, redo, replacePiece, selectNotes, undo } from './editing.js';
import { deleteNotes, gridStep, moveNotes, selectAll, withNotes } from './note-ops.js';

const inGenerate = () => store.get('view') === 'generate';
const hasNotes = () => inGenerate() && store.selectedNotes().length > 0;

/** Moves the selected notes by grid steps and semitones. */
function nudge(steps: number, semitones: number): void {
  const piece = store.selectedPiece();
  const sel = store.selectedNotes();
  if (!piece || !sel.length) return;
  const notes = moveNotes(piece.notes, sel, steps * gridStep(piece), semitones);
  if (notes.every((n, i) => n === piece.notes[i] || JSON.stringify(n) === JSON.stringify(piece.notes[i])))
    return; // at the edge already: no empty undo step
  replacePiece(withNotes(piece, notes), sel);
}

/** Delete: the selected notes, or else the selected piece. */
export function deleteSelection(): void {
  const piece = store.selectedPiece();
  if (!piece) return;
  const sel = store.selectedNotes();
  if (!sel.length) {
    deletePiece(piece.id);
    return;
  }
  const { notes, primerNotes } = deleteNotes(piece.notes, sel, piece.primerNotes);
  replacePiece(withNotes(piece, notes, primerNotes), []);
}

export function registerEditCommands(): void {
  const commands: [MenuCommand, () => void, () => boolean][] = [
    // always taken in the Generate view (outside text fields): with nothing to undo the page's own
    // undo must not step back through the form's typing instead
    ['undo', undo, inGenerate],
    ['redo', redo, inGenerate],
    ['delete', deleteSelection, () => inGenerate() && !!store.selectedPiece()],
    [
      'select-all-notes',
      () => selectNotes(selectAll(store.selectedPiece()?.notes ?? [])),
      () => inGenerate() && !!store.selectedPiece(),
    ],
    ['clear-selection', () => selectNotes([]), hasNotes],
    ['notes-earlier', () => nudge(-1, 0), hasNotes],
    ['notes-later', () => nudge(1, 0), hasNotes],
    ['notes-up', () => nudge(0, 1), hasNotes],
    ['notes-down', () => nudge(0, -1), hasNotes],
    ['notes-octave-up', () => nudge(0, 12), hasNotes],
    ['notes-octave-down', () => nudge(0, -12), hasNotes],
  ];
  for (const [name, run, when] of commands) registerCommand(name, run, when);
}
