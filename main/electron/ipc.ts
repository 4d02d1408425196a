/**
 * The one IPC entry of the Electron host, free of Electron imports so it is unit-tested: refuses a
 * sender that is not the app's own top frame at app://ostinato, validates the call, runs it, and
 * answers {ok, result} or {ok: false, message} (the preload turns the latter into an Error with that
 * message, so the UI sees exactly the host's words). startDrag needs the calling window, so the
 * caller supplies it.
 */
import type { GeneratedPiece, OstinatoApi } from '../shared/api.js';
import { validateCall } from '../shared/validate.js';
import { dispatch } from '../services/dispatch.js';
import { errorMessage } from '../services/util.js';
import { isAppUrl } from './trust.js';

export type IpcReply = { ok: true; result: unknown } | { ok: false; message: string };

export interface IpcSender {
  /** The sender is the app window's webContents. */
  isAppWindow: boolean;
  /** The sending frame is that window's main (top) frame. */
  isMainFrame: boolean;
  /** The URL of the sending frame. */
  frameUrl: string | undefined;
}

export async function handleIpcCall(
  api: OstinatoApi,
  sender: IpcSender,
  method: unknown,
  args: unknown,
  startDrag: (piece: GeneratedPiece) => Promise<boolean>,
): Promise<IpcReply> {
  if (!sender.isAppWindow || !sender.isMainFrame || !isAppUrl(sender.frameUrl)) {
    return { ok: false, message: 'Refused: this page may not use the Ostinato API' };
  }
  try {
    if (method === 'startDrag') {
      const [piece] = validateCall(method, args).args as [GeneratedPiece];
      return { ok: true, result: await startDrag(piece) };
    }
    return { ok: true, result: (await dispatch(api, method, args)) ?? null };
  } catch (err) {
    return { ok: false, message: errorMessage(err) };
  }
}
