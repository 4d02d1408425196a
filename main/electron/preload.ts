/**
 * The preload script of the app's window (sandboxed, context-isolated, compiled to CommonJS). It
 * exposes `window.ostinato`, the OstinatoApi, and nothing else: each method is one invoke of the
 * 'ostinato:call' channel, whose handler in the main process checks the sender and validates the
 * arguments. Results come back as {ok, result} | {ok: false, message} so that errors reach the UI as
 * plain messages. A sandboxed preload can only require 'electron': types aside, nothing else is
 * imported here.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiMethod, HostNotice, MenuCommand, OstinatoApi, TrainingEvent } from '../shared/api.js';

// Every ApiMethod, checked by the compiler in both directions (missing or unknown names fail).
const METHODS = {
  info: 1,
  corpusList: 1,
  corpusBundled: 1,
  corpusImport: 1,
  corpusRemove: 1,
  corpusSetTracks: 1,
  trainStart: 1,
  trainCancel: 1,
  trainDefaults: 1,
  modelsList: 1,
  modelRename: 1,
  modelDelete: 1,
  modelExport: 1,
  modelImport: 1,
  modelImportTorch: 1,
  generate: 1,
  primerInfo: 1,
  midiExport: 1,
  startDrag: 1,
  sessionLoad: 1,
  sessionSave: 1,
  projectSaveAs: 1,
  projectOpen: 1,
  projectsRecent: 1,
} satisfies Record<ApiMethod, 1>;

type Reply = { ok: true; result: unknown } | { ok: false; message: string };

function subscribe<T>(channel: string, listener: (value: T) => void): () => void {
  const handler = (_e: IpcRendererEvent, value: T) => listener(value);
  ipcRenderer.on(channel, handler);
  return () => {
    ipcRenderer.removeListener(channel, handler);
  };
}

const api: Record<string, unknown> = {};
for (const method of Object.keys(METHODS)) {
  api[method] = async (...args: unknown[]) => {
    const reply = (await ipcRenderer.invoke('ostinato:call', method, args)) as Reply;
    if (!reply.ok) throw new Error(reply.message);
    return reply.result;
  };
}
api.onTraining = (listener: (e: TrainingEvent) => void) => subscribe('ostinato:training', listener);
api.onMenu = (listener: (c: MenuCommand) => void) => subscribe('ostinato:menu', listener);
api.onNotice = (listener: (n: HostNotice) => void) => subscribe('ostinato:notice', listener);

contextBridge.exposeInMainWorld('ostinato', api as unknown as OstinatoApi);
