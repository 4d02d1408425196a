/**
 * The session kept by the host: restored at launch, saved (debounced) whenever the pieces or the
 * selection change, whoever changed them (generation, note edits, opening a project).
 */
import type { Session } from '../main/shared/api.js';
import { getApi } from './api/index.js';
import { prepareMidi } from './panels/generate.js';
import { store } from './state.js';
import { toastError } from './ui/toast.js';

export const AUTOSAVE_DELAY_MS = 300;

/** The store's session (a selection that names no piece is saved as none). */
export function currentSession(): Session {
  const pieces = store.get('pieces');
  const sel = store.get('selectedPieceId');
  return { pieces, selectedPieceId: pieces.some((p) => p.id === sel) ? sel : null };
}

/** Shows a session: its pieces (with their MIDI files ready for dragging) and its selection. */
export async function applySession(session: Session): Promise<void> {
  await prepareMidi(session.pieces);
  store.set({ pieces: session.pieces, selectedPieceId: session.selectedPieceId });
}

/** Saves the session AUTOSAVE_DELAY_MS after the last change of 'pieces' or 'selectedPieceId'. */
export function installAutosave(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const off = store.on(['pieces', 'selectedPieceId'], () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      getApi()
        .sessionSave(currentSession())
        .catch((err) => toastError('Could not save the session', err));
    }, AUTOSAVE_DELAY_MS);
  });
  return () => {
    clearTimeout(timer);
    off();
  };
}

/** Launch: the saved session back (a damaged one is reported and left alone), then autosave on. */
export async function restoreSession(): Promise<void> {
  try {
    const saved = await getApi().sessionLoad();
    if (saved && saved.pieces.length && !store.get('pieces').length) await applySession(saved);
  } catch (err) {
    toastError('Could not restore the last session', err);
  }
  installAutosave();
}
