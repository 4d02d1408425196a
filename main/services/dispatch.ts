/**
 * The one place where a call from the renderer reaches the host: the arguments are validated
 * (main/shared/validate.ts) and the method of the OstinatoApi implementation is called with the clean
 * copies. Used by the Electron IPC handlers and the local WebSocket host alike.
 */
import type { OstinatoApi } from '../shared/api.js';
import { validateCall } from '../shared/validate.js';

export async function dispatch(api: OstinatoApi, method: unknown, args: unknown): Promise<unknown> {
  const call = validateCall(method, args);
  const fn = api[call.method] as (...a: unknown[]) => Promise<unknown>;
  return await fn.apply(api, call.args);
}
