/**
 * Edits of the store's pieces with undo: every edit replaces the edited piece object in a new
 * `pieces` array (store.set({ pieces }), which others subscribe to) and records the state before
 * it in the history. A state is the pieces, the selected piece and the note selection.
 */
import type { GeneratedPiece } from '../../main/shared/api.js';
import { store, type NoteSelection } from '../state.js';
import { History } from './history.js';

export interface EditState {
  pieces: GeneratedPiece[];
  selectedPieceId: string | null;
  noteSelection: NoteSelection;
}

const history = new History<EditState>();

export function editState(): EditState {
  return {
    pieces: store.get('pieces'),
    selectedPieceId: store.get('selectedPieceId'),
    noteSelection: store.get('noteSelection'),
  };
}

/** Makes `next` current as one undo step back to `before` (by default, the state now). */
export function commitEdit(next: Partial<EditState>, before: EditState = editState()): void {
  history.record(before);
  store.set(next);
}

/** Replaces one piece (a new object with the same id) and optionally the note selection. */
export function replacePiece(
  piece: GeneratedPiece,
  indices?: readonly number[],
  before: EditState = editState(),
): void {
  const pieces = before.pieces.map((p) => (p.id === piece.id ? piece : p));
  commitEdit({ pieces, ...(indices ? { noteSelection: { pieceId: piece.id, indices } } : {}) }, before);
}

/** Deletes a piece; the next one (or the one before) becomes selected. Undo puts it back in place. */
export function deletePiece(id: string): void {
  const pieces = store.get('pieces');
  const at = pieces.findIndex((p) => p.id === id);
  if (at < 0) return;
  const rest = pieces.filter((p) => p.id !== id);
  const selected = store.get('selectedPieceId');
  commitEdit({
    pieces: rest,
    selectedPieceId: selected === id ? (rest[Math.min(at, rest.length - 1)]?.id ?? null) : selected,
  });
}

/** The note selection alone (not an undo step). */
export function selectNotes(indices: readonly number[]): void {
  store.set({ noteSelection: { pieceId: store.get('selectedPieceId'), indices } });
}

export const canUndo = (): boolean => history.canUndo;
export const canRedo = (): boolean => history.canRedo;

export function undo(): void {
  const prev = history.undo(editState());
  if (prev) store.set({ ...prev });
}

export function redo(): void {
  const next = history.redo(editState());
  if (next) store.set({ ...next });
}

/** A new set of pieces from the model: the edits of the old ones are not undone any more. */
export function resetHistory(): void {
  history.clear();
}
