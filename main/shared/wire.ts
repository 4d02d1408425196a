/**
 * The wire protocol of the local host (WebSocket on 127.0.0.1), shared by the host (main/host) and
 * the browser client (renderer/). Browser-safe: no Node, no Buffer.
 *
 *   client → host   {id, method, args}
 *   host → client   {id, result} | {id, error: {message}}
 *   host → client   {event: 'training' | 'menu' | 'notice', payload}
 *
 * Uint8Array values travel as {"$bytes": "<base64>"}, in both directions, at any depth.
 */
import type { ApiMethod, HostNotice, MenuCommand, OstinatoApi, TrainingEvent } from './api.js';

export interface WireRequest {
  id: number;
  method: ApiMethod;
  args: unknown[];
}
export type WireResponse = { id: number; result: unknown } | { id: number; error: { message: string } };
export type WireEvent =
  | { event: 'training'; payload: TrainingEvent }
  | { event: 'menu'; payload: MenuCommand }
  | { event: 'notice'; payload: HostNotice };
export type WireServerMessage = WireResponse | WireEvent;

// ---------------------------------------------------------------------------------------------
// base64 (RFC 4648, with padding), fast enough for tens of megabytes in a browser or Node.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

export function bytesToBase64(bytes: Uint8Array): string {
  const chunks: string[] = [];
  const codes = new Array<number>();
  const n = bytes.length;
  const full = n - (n % 3);
  for (let i = 0; i < full; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    codes.push(
      ALPHABET.charCodeAt(v >>> 18),
      ALPHABET.charCodeAt((v >>> 12) & 63),
      ALPHABET.charCodeAt((v >>> 6) & 63),
      ALPHABET.charCodeAt(v & 63),
    );
    if (codes.length >= 32768) {
      chunks.push(String.fromCharCode.apply(null, codes));
      codes.length = 0;
    }
  }
  const rest = n - full;
  if (rest === 1) {
    const v = bytes[full] << 16;
    codes.push(ALPHABET.charCodeAt(v >>> 18), ALPHABET.charCodeAt((v >>> 12) & 63), 61, 61);
  } else if (rest === 2) {
    const v = (bytes[full] << 16) | (bytes[full + 1] << 8);
    codes.push(
      ALPHABET.charCodeAt(v >>> 18),
      ALPHABET.charCodeAt((v >>> 12) & 63),
      ALPHABET.charCodeAt((v >>> 6) & 63),
      61,
    );
  }
  chunks.push(String.fromCharCode.apply(null, codes));
  return chunks.join('');
}

export function base64ToBytes(text: string): Uint8Array {
  if (text.length % 4 !== 0)
    throw new Error(`Invalid base64 data: length ${text.length} is not a multiple of 4`);
  let pad = 0;
  if (text.endsWith('==')) pad = 2;
  else if (text.endsWith('=')) pad = 1;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    const c0 = lookup(text, i);
    const c1 = lookup(text, i + 1);
    const c2 = last && pad === 2 ? 0 : lookup(text, i + 2);
    const c3 = last && pad >= 1 ? 0 : lookup(text, i + 3);
    const v = (c0 << 18) | (c1 << 12) | (c2 << 6) | c3;
    out[o++] = v >>> 16;
    if (o < out.length) out[o++] = (v >>> 8) & 255;
    if (o < out.length) out[o++] = v & 255;
  }
  return out;
}

function lookup(text: string, i: number): number {
  const c = text.charCodeAt(i);
  const v = c < 128 ? DECODE[c] : -1;
  if (v < 0) throw new Error(`Invalid base64 data: unexpected character at position ${i}`);
  return v;
}

// ---------------------------------------------------------------------------------------------
// JSON with binary

/** JSON.stringify with every Uint8Array (at any depth) written as {"$bytes": base64}. */
export function encodeWire(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v instanceof Uint8Array ? { $bytes: bytesToBase64(v) } : v,
  );
}

/** JSON.parse turning every {"$bytes": base64} back into a Uint8Array. Throws on malformed input. */
export function decodeWire(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0] === '$bytes') {
        const b = (v as { $bytes: unknown }).$bytes;
        if (typeof b !== 'string') throw new Error('Invalid message: "$bytes" must be a base64 string');
        return base64ToBytes(b);
      }
    }
    return v;
  });
}

/** Parses a client request; throws with a readable reason if it is not {id, method, args}. */
export function parseRequest(text: string): { id: number; method: unknown; args: unknown } {
  let msg: unknown;
  try {
    msg = decodeWire(text);
  } catch (err) {
    throw new Error(`Malformed request: ${(err as Error).message}`);
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg))
    throw new Error('Malformed request: expected an object {id, method, args}');
  const m = msg as Record<string, unknown>;
  if (typeof m.id !== 'number' || !Number.isSafeInteger(m.id) || m.id < 0)
    throw new Error('Malformed request: "id" must be a non-negative integer');
  return { id: m.id, method: m.method, args: m.args };
}

/** Parses a host message; throws if it is neither a response nor an event. */
export function parseServerMessage(text: string): WireServerMessage {
  const msg = decodeWire(text);
  if (typeof msg !== 'object' || msg === null) throw new Error('Malformed host message');
  const m = msg as Record<string, unknown>;
  if (m.event === 'training' || m.event === 'menu' || m.event === 'notice') return m as unknown as WireEvent;
  if (typeof m.id === 'number' && ('result' in m || 'error' in m)) return m as unknown as WireResponse;
  throw new Error('Malformed host message: neither a response nor an event');
}

// ---------------------------------------------------------------------------------------------
// A transport-agnostic client: turns a message channel into an OstinatoApi.

export interface WireTransport {
  send(text: string): void;
}

/**
 * The client side of the protocol. Give it a `send` function; feed every text message received
 * from the host to `receive`; call `close(reason)` when the connection ends (pending calls reject).
 * `api` is the OstinatoApi the renderer uses (the browser client wires a WebSocket to it).
 */
export class WireClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly trainingListeners = new Set<(e: TrainingEvent) => void>();
  private readonly menuListeners = new Set<(c: MenuCommand) => void>();
  private readonly noticeListeners = new Set<(n: HostNotice) => void>();
  private closedReason: string | null = null;
  readonly api: OstinatoApi;

  constructor(private readonly transport: WireTransport) {
    const call =
      (method: ApiMethod) =>
      (...args: unknown[]) =>
        this.call(method, args);
    this.api = {
      info: call('info'),
      corpusList: call('corpusList'),
      corpusImport: call('corpusImport'),
      corpusRemove: call('corpusRemove'),
      corpusSetTracks: call('corpusSetTracks'),
      trainStart: call('trainStart'),
      trainCancel: call('trainCancel'),
      trainDefaults: call('trainDefaults'),
      modelsList: call('modelsList'),
      modelRename: call('modelRename'),
      modelDelete: call('modelDelete'),
      modelExport: call('modelExport'),
      modelImport: call('modelImport'),
      generate: call('generate'),
      midiExport: call('midiExport'),
      startDrag: call('startDrag'),
      onTraining: (listener) => {
        this.trainingListeners.add(listener);
        return () => this.trainingListeners.delete(listener);
      },
      onMenu: (listener) => {
        this.menuListeners.add(listener);
        return () => this.menuListeners.delete(listener);
      },
      onNotice: (listener) => {
        this.noticeListeners.add(listener);
        return () => this.noticeListeners.delete(listener);
      },
    } as OstinatoApi;
  }

  call(method: ApiMethod, args: unknown[]): Promise<unknown> {
    if (this.closedReason !== null)
      return Promise.reject(new Error(`Not connected to the Ostinato host: ${this.closedReason}`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        this.transport.send(encodeWire({ id, method, args } satisfies WireRequest));
      } catch (err) {
        this.pending.delete(id);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  receive(text: string): void {
    let msg: WireServerMessage;
    try {
      msg = parseServerMessage(text);
    } catch {
      return; // not ours to handle; a well-behaved host never sends this
    }
    if ('event' in msg) {
      if (msg.event === 'training') for (const l of [...this.trainingListeners]) l(msg.payload);
      else if (msg.event === 'menu') for (const l of [...this.menuListeners]) l(msg.payload);
      else for (const l of [...this.noticeListeners]) l(msg.payload);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if ('error' in msg) p.reject(new Error(msg.error?.message ?? 'Unknown error from the host'));
    else p.resolve(msg.result);
  }

  close(reason: string): void {
    this.closedReason = reason;
    for (const p of this.pending.values())
      p.reject(new Error(`Connection to the Ostinato host lost: ${reason}`));
    this.pending.clear();
  }
}
