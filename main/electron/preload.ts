/**
 * The preload script of the app's window (sandboxed, context-isolated, compiled to CommonJS). It
 * exposes `window.ostinato`, the OstinatoApi, and nothing else: each method (the names come from the
 * main process once, 'ostinato:methods') is one invoke of the 'ostinato:call' channel, whose handler in the main process checks the sender and validates the
 * arguments. Results come back as {ok, result} | {ok: false, message} so that errors reach the UI as
 * plain messages. A sandboxed preload can only require 'electron': types aside, nothing else is
 * imported here.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { HostNotice, MenuCommand, OstinatoApi, TrainingEvent } from '../shared/api.js';

// The API's method names, from the main process (main/shared/api.ts API_METHODS: the one list; a
// sandboxed preload cannot import it).
const METHODS = ipcRenderer.sendSync('ostinato:methods') as readonly string[];

type Reply = { ok: true; result: unknown } | { ok: false; message: string };

function subscribe<T>(channel: string, listener: (value: T) => void): () => void {
  const handler = (_e: IpcRendererEvent, value: T) => listener(value);
  ipcRenderer.on(channel, handler);
  return () => {
    ipcRenderer.removeListener(channel, handler);
  };
}

const api: Record<string, unknown> = {};
for (const method of METHODS) {
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
