/**
 * The browser transport: an OstinatoApi over the local host's WebSocket (ws://host/api?token=…),
 * using the shared wire protocol (main/shared/wire.ts). Reconnects with backoff when the host goes
 * away; calls made while disconnected wait briefly for the connection, then fail with a readable
 * message. Listeners survive reconnects.
 */
import {
  API_METHODS,
  type HostNotice,
  type MenuCommand,
  type OstinatoApi,
  type TrainingEvent,
} from '../../main/shared/api.js';
import { WireClient } from '../../main/shared/wire.js';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

export interface SocketClient {
  api: OstinatoApi;
  state(): ConnectionState;
  onState(listener: (state: ConnectionState, detail: string) => void): () => void;
  close(): void;
}

/** ws(s)://<page host>/api?token=<token from the page URL>. */
export function apiUrlFromLocation(location: Location): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api?token=${encodeURIComponent(token)}`;
}

/** The part of the WebSocket class the client uses (a fake one in unit tests). */
export type SocketFactory = new (url: string) => Pick<WebSocket, 'send' | 'close'> & {
  onopen: ((ev: Event) => unknown) | null;
  onmessage: ((ev: MessageEvent) => unknown) | null;
  onclose: ((ev: CloseEvent) => unknown) | null;
};

export function connectSocket(url: string, waitMs = 8000, Socket: SocketFactory = WebSocket): SocketClient {
  const training = new Set<(e: TrainingEvent) => void>();
  const menu = new Set<(c: MenuCommand) => void>();
  const notices = new Set<(n: HostNotice) => void>();
  const stateListeners = new Set<(s: ConnectionState, detail: string) => void>();
  let state: ConnectionState = 'connecting';
  let client: WireClient | null = null;
  let socket: InstanceType<SocketFactory> | null = null;
  let closed = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let retry = 0;
  let waiters: Array<{ resolve: (c: WireClient) => void; reject: (e: Error) => void }> = [];

  const setState = (s: ConnectionState, detail: string) => {
    state = s;
    for (const l of [...stateListeners]) l(s, detail);
  };

  const open = () => {
    if (closed) return;
    setState('connecting', retry ? `reconnecting (attempt ${retry + 1})` : 'connecting');
    let ws: InstanceType<SocketFactory>;
    try {
      ws = new Socket(url);
    } catch (err) {
      scheduleRetry(String(err));
      return;
    }
    socket = ws;
    const wire = new WireClient({ send: (text) => ws.send(text) });
    wire.api.onTraining((e) => training.forEach((l) => l(e)));
    wire.api.onMenu((c) => menu.forEach((l) => l(c)));
    wire.api.onNotice?.((n) => notices.forEach((l) => l(n)));
    ws.onopen = () => {
      retry = 0;
      client = wire;
      setState('connected', 'connected');
      const w = waiters;
      waiters = [];
      w.forEach((x) => x.resolve(wire));
    };
    ws.onmessage = (ev) => {
      if (typeof ev.data === 'string') wire.receive(ev.data);
    };
    ws.onclose = (ev) => {
      const reason =
        ev.code === 1008 || ev.code === 4001 || ev.code === 4003
          ? 'the host refused the connection (wrong or missing token in the page URL)'
          : 'the Ostinato host is not running or closed the connection';
      wire.close(reason);
      if (client === wire) client = null;
      if (socket === ws) socket = null;
      if (!closed) scheduleRetry(reason);
    };
  };

  const scheduleRetry = (reason: string) => {
    setState('disconnected', reason);
    const w = waiters;
    waiters = [];
    w.forEach((x) => x.reject(new Error(`Cannot reach the Ostinato host: ${reason}.`)));
    retry++;
    const delay = Math.min(5000, 250 * 2 ** Math.min(retry, 5));
    retryTimer = setTimeout(open, delay);
  };

  const ready = (): Promise<WireClient> => {
    if (client) return Promise.resolve(client);
    return new Promise((resolve, reject) => {
      const entry = { resolve, reject };
      waiters.push(entry);
      setTimeout(() => {
        if (waiters.includes(entry)) {
          waiters = waiters.filter((x) => x !== entry);
          reject(
            new Error('Cannot reach the Ostinato host: no connection. Is `npm run serve` still running?'),
          );
        }
      }, waitMs);
    });
  };

  const api = Object.fromEntries(
    API_METHODS.map((m) => [m, async (...args: unknown[]) => (await ready()).call(m, args)]),
  ) as unknown as OstinatoApi;
  api.onTraining = (l) => {
    training.add(l);
    return () => training.delete(l);
  };
  api.onMenu = (l) => {
    menu.add(l);
    return () => menu.delete(l);
  };
  api.onNotice = (l) => {
    notices.add(l);
    return () => notices.delete(l);
  };

  open();
  return {
    api,
    state: () => state,
    onState: (l) => {
      stateListeners.add(l);
      return () => stateListeners.delete(l);
    },
    close: () => {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      socket?.close();
    },
  };
}
