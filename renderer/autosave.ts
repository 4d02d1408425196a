/**
 * The session's autosave: `save` runs once, `delayMs` after the last change of the store's pieces or
 * selection (a burst of edits is one save). Pure (no DOM, no API): tested in autosave.test.ts.
 */
import type { Session } from '../main/shared/api.js';
import type { Store } from './state.js';

export const AUTOSAVE_DELAY_MS = 300;

/** The store's session (a selection that names no piece is saved as none). */
export function sessionOf(store: Store): Session {
  const pieces = store.get('pieces');
  const sel = store.get('selectedPieceId');
  return { pieces, selectedPieceId: pieces.some((p) => p.id === sel) ? sel : null };
}

/** Starts the autosave; returns its stop function (a pending save is dropped). */
export function autosave(
  store: Store,
  save: (session: Session) => void,
  delayMs = AUTOSAVE_DELAY_MS,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const off = store.on(['pieces', 'selectedPieceId'], () => {
    clearTimeout(timer);
    timer = setTimeout(() => save(sessionOf(store)), delayMs);
  });
  return () => {
    clearTimeout(timer);
    off();
  };
}
