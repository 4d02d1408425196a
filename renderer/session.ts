/**
 * The session kept by the host: restored at launch, saved (debounced) whenever the pieces or the
 * selection change, whoever changed them (generation, note edits, opening a project).
 */
import type { Session } from '../main/shared/api.js';
import { getApi } from './api/index.js';
import { autosave, sessionOf } from './autosave.js';
import { syncMidi } from './panels/piece-midi.js';
import { store } from './state.js';
import { toastError } from './ui/toast.js';

/** The session the page shows now. */
export const currentSession = (): Session => sessionOf(store);

/** Shows a session: its pieces (with their MIDI files ready for dragging) and its selection. */
export async function applySession(session: Session): Promise<void> {
  await syncMidi(session.pieces);
  store.set({ pieces: session.pieces, selectedPieceId: session.selectedPieceId });
}

/** Launch: the saved session back (a damaged one is reported and left alone), then autosave on. */
export async function restoreSession(): Promise<void> {
  try {
    const saved = await getApi().sessionLoad();
    if (saved && saved.pieces.length && !store.get('pieces').length) await applySession(saved);
  } catch (err) {
    toastError('Could not restore the last session', err);
  }
  autosave(store, (session) => {
    getApi()
      .sessionSave(session)
      .catch((err) => toastError('Could not save the session', err));
  });
}
