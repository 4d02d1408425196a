/**
 * Hand-assembles Standard MIDI File bytes, event by event, so tests and fuzzers can build exactly the
 * file they need (any format, PPQ, running status, broken lengths) without going through a writer.
 */

export function vlq(n: number): number[] {
  const out = [n & 0x7f];
  while ((n = Math.floor(n / 128)) > 0) out.unshift((n & 0x7f) | 0x80);
  return out;
}

export function u32be(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

export function chunk(id: string, body: number[] | Uint8Array, declaredLength?: number): number[] {
  const b = [...body];
  return [...[...id].map((c) => c.charCodeAt(0)), ...u32be(declaredLength ?? b.length), ...b];
}

export function header(format: number, tracks: number, ppq: number): number[] {
  return chunk('MThd', [0, format, (tracks >> 8) & 0xff, tracks & 0xff, (ppq >> 8) & 0xff, ppq & 0xff]);
}

/** One event: delta time then its bytes (status included, or omitted for running status). */
export type RawEvent = [delta: number, ...bytes: number[]];

export const ev = {
  on: (delta: number, ch: number, pitch: number, vel = 100): RawEvent => [delta, 0x90 | ch, pitch, vel],
  off: (delta: number, ch: number, pitch: number): RawEvent => [delta, 0x80 | ch, pitch, 0],
  program: (delta: number, ch: number, program: number): RawEvent => [delta, 0xc0 | ch, program],
  tempo: (delta: number, bpm: number): RawEvent => {
    const us = Math.round(60_000_000 / bpm);
    return [delta, 0xff, 0x51, 3, (us >> 16) & 0xff, (us >> 8) & 0xff, us & 0xff];
  },
  timeSig: (delta: number, num: number, den: number): RawEvent => [
    delta,
    0xff,
    0x58,
    4,
    num,
    Math.log2(den),
    24,
    8,
  ],
  keySig: (delta: number, sharps: number, minor: boolean): RawEvent => [
    delta,
    0xff,
    0x59,
    2,
    sharps & 0xff,
    minor ? 1 : 0,
  ],
  name: (delta: number, text: string): RawEvent => [
    delta,
    0xff,
    0x03,
    ...vlq(text.length),
    ...[...text].map((c) => c.charCodeAt(0)),
  ],
  eot: (delta = 0): RawEvent => [delta, 0xff, 0x2f, 0],
};

/** A track chunk from events; an end-of-track event is appended unless `eot` is false. */
export function track(events: RawEvent[], eot = true): number[] {
  const body: number[] = [];
  for (const [delta, ...bytes] of eot ? [...events, ev.eot()] : events) body.push(...vlq(delta), ...bytes);
  return chunk('MTrk', body);
}

export function smf(format: number, ppq: number, tracks: number[][]): Uint8Array {
  return Uint8Array.from([...header(format, tracks.length, ppq), ...tracks.flat()]);
}
