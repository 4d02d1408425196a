/** The Generate panel's list of variations: select, play, export, drag out (DAW / desktop), delete. */
import type { GeneratedPiece } from '../../main/shared/api.js';
import { getApi } from '../api/index.js';
import { pieceLength } from '../audio/schedule.js';
import { deletePiece } from '../edit/editing.js';
import { preparedMidi } from './piece-midi.js';
import { store } from '../state.js';
import { clear, errorMessage, formatDuration, h } from '../ui/dom.js';
import { toast } from '../ui/toast.js';

export interface VariationHooks {
  play(piece: GeneratedPiece): void;
  exportMidi(piece: GeneratedPiece): void;
}

function emptyState(): HTMLElement {
  return h(
    'div',
    { class: 'empty-state' },
    h('div', { class: 'empty-title', text: 'No variations yet' }),
    h('div', { text: 'Press Generate. Each variation can be played, exported or dragged into your DAW.' }),
  );
}

/** A button of an item that does its own job only (the item's click selects). */
function itemButton(attrs: Record<string, string>, onClick: () => void): HTMLButtonElement {
  const b = h('button', attrs);
  b.addEventListener('click', (e) => {
    e.stopPropagation();
    onClick();
  });
  return b;
}

/** The drag of an item carries its MIDI file; under Electron a native drag takes over. */
function startDrag(p: GeneratedPiece, e: DragEvent): void {
  const prepared = preparedMidi(p.id);
  if (prepared && e.dataTransfer) {
    e.dataTransfer.setData('DownloadURL', `audio/midi:${prepared.name}:${prepared.url}`);
    e.dataTransfer.setData('text/uri-list', prepared.url);
    e.dataTransfer.effectAllowed = 'copy';
  }
  if (store.get('info')?.host === 'electron') e.preventDefault();
  void getApi()
    .startDrag(p)
    .catch((err) => toast(`Could not drag ${p.name}: ${errorMessage(err)}`, 'error'));
}

function variationItem(p: GeneratedPiece, i: number, hooks: VariationHooks): HTMLElement {
  const selected = p.id === store.get('selectedPieceId');
  const select = () => store.set({ selectedPieceId: p.id });
  const playBtn = itemButton(
    { class: 'icon-btn', title: `Play ${p.name}`, 'aria-label': `Play ${p.name}`, text: '▶' },
    () => {
      select();
      hooks.play(p);
    },
  );
  const midiBtn = itemButton(
    {
      class: 'var-export',
      title: `Export ${p.name} as a MIDI file`,
      'aria-label': `Export ${p.name} as MIDI`,
      'data-testid': 'variation-midi',
      text: '⤓ MIDI',
    },
    () => hooks.exportMidi(p),
  );
  const deleteBtn = itemButton(
    {
      class: 'icon-btn var-delete',
      title: `Delete ${p.name} (Delete with no notes selected; Ctrl/⌘+Z brings it back)`,
      'aria-label': `Delete ${p.name}`,
      'data-testid': 'variation-delete',
      text: '×',
    },
    () => deletePiece(p.id),
  );
  const item = h(
    'div',
    {
      class: `variation${selected ? ' selected' : ''}`,
      draggable: 'true',
      tabindex: 0,
      role: 'button',
      'aria-pressed': String(selected),
      'data-piece': p.id,
      title: 'Click to select · drag into a DAW or onto the desktop to save as MIDI',
    },
    h('div', { class: 'var-index', text: String(i + 1) }),
    h(
      'div',
      { class: 'var-body' },
      h('div', { class: 'var-name', text: p.name }),
      h('div', {
        class: 'var-meta',
        text: `seed ${p.seed} · ${p.notes.length} notes · ${p.bars} bars · ${formatDuration(pieceLength(p))} at ${Math.round(p.bpm)} bpm`,
      }),
    ),
    playBtn,
    midiBtn,
    deleteBtn,
  );
  item.addEventListener('click', select);
  item.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') select();
  });
  item.addEventListener('dragstart', (e) => startDrag(p, e));
  return item;
}

/** The list, kept in step with the store's pieces and selection. */
export function variationsList(hooks: VariationHooks): HTMLElement {
  const list = h('div', { class: 'variations', 'data-testid': 'variations' });
  const render = () => {
    clear(list);
    const pieces = store.get('pieces');
    if (!pieces.length) list.append(emptyState());
    pieces.forEach((p, i) => list.append(variationItem(p, i, hooks)));
  };
  store.on(['pieces', 'selectedPieceId'], render);
  render();
  return list;
}
