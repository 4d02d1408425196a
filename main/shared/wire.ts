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
import {
  API_METHODS,
  type ApiMethod,
  type HostNotice,
  type MenuCommand,
  type OstinatoApi,
  type TrainingEvent,
} from './api.js';

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

/** All binary payloads of one call together (LIMITS.maxCallBytes in validate.ts). */
export const MAX_CALL_BINARY_BYTES = 200 * 1024 * 1024;
/** The largest message the host accepts: one call's binaries as base64 (4/3 larger) plus 1 MiB of JSON. */
export const MAX_WIRE_MESSAGE_BYTES = Math.ceil((MAX_CALL_BINARY_BYTES * 4) / 3) + 1024 * 1024;

/** UTF-8 size of a string, without encoding it when the answer is clear from its length. */
function utf8BytesOver(text: string, limit: number): boolean {
  if (text.length > limit) return true; // every UTF-16 unit is at least one UTF-8 byte
  if (text.length * 3 <= limit) return false; // and at most three
  return new TextEncoder().encode(text).length > limit;
}

// ---------------------------------------------------------------------------------------------
// base64 (RFC 4648, with padding). Typed-array loops plus the native TextEncoder/TextDecoder (in
// every browser and in Node), so tens of megabytes take tens of milliseconds.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ENCODE = new Uint8Array(64);
const DECODE = new Int16Array(256).fill(-1);
for (let i = 0; i < 64; i++) {
  ENCODE[i] = ALPHABET.charCodeAt(i);
  DECODE[ALPHABET.charCodeAt(i)] = i;
}
const PAD = 61; // '='
const ascii = new TextDecoder('latin1');
const utf8 = new TextEncoder();

export function bytesToBase64(bytes: Uint8Array): string {
  const n = bytes.length;
  const out = new Uint8Array(Math.ceil(n / 3) * 4);
  const full = n - (n % 3);
  let o = 0;
  for (let i = 0; i < full; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o] = ENCODE[v >>> 18];
    out[o + 1] = ENCODE[(v >>> 12) & 63];
    out[o + 2] = ENCODE[(v >>> 6) & 63];
    out[o + 3] = ENCODE[v & 63];
    o += 4;
  }
  if (n - full === 1) {
    const v = bytes[full] << 16;
    out[o] = ENCODE[v >>> 18];
    out[o + 1] = ENCODE[(v >>> 12) & 63];
    out[o + 2] = PAD;
    out[o + 3] = PAD;
  } else if (n - full === 2) {
    const v = (bytes[full] << 16) | (bytes[full + 1] << 8);
    out[o] = ENCODE[v >>> 18];
    out[o + 1] = ENCODE[(v >>> 12) & 63];
    out[o + 2] = ENCODE[(v >>> 6) & 63];
    out[o + 3] = PAD;
  }
  return ascii.decode(out);
}

export function base64ToBytes(text: string): Uint8Array {
  if (text.length % 4 !== 0)
    throw new Error(`Invalid base64 data: length ${text.length} is not a multiple of 4`);
  const codes = utf8.encode(text); // base64 is ASCII: one byte per character (other characters fail below)
  if (codes.length !== text.length) throw new Error('Invalid base64 data: unexpected character (not ASCII)');
  let pad = 0;
  if (text.endsWith('==')) pad = 2;
  else if (text.endsWith('=')) pad = 1;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  const bodyEnd = pad ? codes.length - 4 : codes.length;
  let o = 0;
  for (let i = 0; i < bodyEnd; i += 4) {
    const a = DECODE[codes[i]];
    const b = DECODE[codes[i + 1]];
    const c = DECODE[codes[i + 2]];
    const d = DECODE[codes[i + 3]];
    if ((a | b | c | d) < 0)
      throw new Error(`Invalid base64 data: unexpected character at position ${badAt(codes, i)}`);
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o] = v >>> 16;
    out[o + 1] = (v >>> 8) & 255;
    out[o + 2] = v & 255;
    o += 3;
  }
  if (pad) {
    const i = bodyEnd;
    const a = DECODE[codes[i]];
    const b = DECODE[codes[i + 1]];
    const c = pad === 2 ? 0 : DECODE[codes[i + 2]];
    if ((a | b | c) < 0)
      throw new Error(`Invalid base64 data: unexpected character at position ${badAt(codes, i)}`);
    const v = (a << 18) | (b << 12) | (c << 6);
    out[o++] = v >>> 16;
    if (pad === 1) out[o] = (v >>> 8) & 255;
  }
  return out;
}

function badAt(codes: Uint8Array, from: number): number {
  for (let i = from; i < from + 4; i++) if (DECODE[codes[i]] < 0) return i;
  return from;
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

  /**
   * `maxMessageBytes`: a request larger than this is refused here with a readable error instead of
   * being sent (the host would close the connection with 1009 on it).
   */
  constructor(
    private readonly transport: WireTransport,
    private readonly maxMessageBytes = MAX_WIRE_MESSAGE_BYTES,
  ) {
    const call =
      (method: ApiMethod) =>
      (...args: unknown[]) =>
        this.call(method, args);
    const methods = Object.fromEntries(API_METHODS.map((m) => [m, call(m)])) as unknown as Pick<
      OstinatoApi,
      ApiMethod
    >;
    this.api = {
      ...methods,
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
    };
  }

  call(method: ApiMethod, args: unknown[]): Promise<unknown> {
    if (this.closedReason !== null)
      return Promise.reject(new Error(`Not connected to the Ostinato host: ${this.closedReason}`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        const text = encodeWire({ id, method, args } satisfies WireRequest);
        if (utf8BytesOver(text, this.maxMessageBytes)) {
          this.pending.delete(id);
          const mb = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;
          reject(
            new Error(
              `${method}: the request is too large to send (${mb(text.length)}; the limit is ${mb(this.maxMessageBytes)}, ` +
                `about ${mb((this.maxMessageBytes * 3) / 4)} of files in one call). Send fewer or smaller files at a time.`,
            ),
          );
          return;
        }
        this.transport.send(text);
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
