/**
 * getApi(): the one OstinatoApi the UI uses. In Electron the preload exposes it as
 * window.ostinato; in a browser served by the local host it is a WebSocket client to the page's own
 * origin. The rest of the UI never knows which.
 */
import type { OstinatoApi } from '../../main/shared/api.js';
import { apiUrlFromLocation, connectSocket, type ConnectionState } from './ws-client.js';

declare global {
  interface Window {
    ostinato?: OstinatoApi;
  }
}

let api: OstinatoApi | null = null;
const stateListeners = new Set<(s: ConnectionState, detail: string) => void>();
let currentState: ConnectionState = 'connecting';
let currentDetail = '';

export function getApi(): OstinatoApi {
  if (api) return api;
  if (window.ostinato) {
    api = window.ostinato;
    currentState = 'connected';
    currentDetail = 'electron';
    return api;
  }
  const client = connectSocket(apiUrlFromLocation(window.location));
  client.onState((s, d) => {
    currentState = s;
    currentDetail = d;
    stateListeners.forEach((l) => l(s, d));
  });
  api = client.api;
  return api;
}

/** Connection state of the host link (always 'connected' under Electron). */
export function onConnection(listener: (s: ConnectionState, detail: string) => void): () => void {
  stateListeners.add(listener);
  listener(currentState, currentDetail);
  return () => stateListeners.delete(listener);
}

export type { ConnectionState };
