/**
 * Mutated and random MIDI files for the importer fuzz (`npm run stress` and the quick reliability
 * test). Every case is reproducible from (seed, index): the same seed gives the same bytes.
 *
 * Mutations of real files: bit flips, truncation, swapped/duplicated/dropped chunks, huge or zero
 * chunk lengths, absurd delta times, over-long variable-length numbers, running-status abuse (status
 * bytes removed, data before any status, running status after meta/sysex), meta events with huge
 * lengths, absurd tempos and signatures, note storms, header fields out of range. Plus random byte
 * strings and random valid-looking headers with random track bodies, and chains of 2-4 mutations.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Rng } from '../model/common/rng.js';
import { REPO_ROOT } from './stress-kill.js';

export const NOTTINGHAM_DIR = resolve(REPO_ROOT, '..', 'shared', 'data', 'nottingham-midi');

export interface FuzzCase {
  index: number;
  /** File name used for the import: says which mutation of which file it is. */
  name: string;
  kind: string;
  bytes: Uint8Array;
}

/** The real MIDI files the mutations start from (sorted, so a seed means the same files everywhere). */
export function loadSeedFiles(limit = Infinity, dir = NOTTINGHAM_DIR): { name: string; bytes: Uint8Array }[] {
  const names = readdirSync(dir)
    .filter((n) => n.toLowerCase().endsWith('.mid'))
    .sort();
  const out: { name: string; bytes: Uint8Array }[] = [];
  // Spread the picks over the whole folder (not just the first tunes alphabetically).
  const step = Math.max(1, Math.floor(names.length / Math.min(limit, names.length)));
  for (let i = 0; i < names.length && out.length < limit; i += step) {
    out.push({ name: names[i], bytes: new Uint8Array(readFileSync(join(dir, names[i]))) });
  }
  return out;
}

// ---- chunk helpers -------------------------------------------------------------------------------

interface Chunk {
  id: string;
  data: Uint8Array;
  /** The length field as stored (may differ from data.length after a mutation). */
  declared?: number;
}

function u32(b: Uint8Array, at: number): number {
  return ((b[at] << 24) >>> 0) + (b[at + 1] << 16) + (b[at + 2] << 8) + b[at + 3];
}

/** Splits a file into chunks as far as it can (stops at the first chunk that runs past the end). */
function chunks(b: Uint8Array): Chunk[] {
  const out: Chunk[] = [];
  let p = 0;
  while (p + 8 <= b.length) {
    const id = String.fromCharCode(b[p], b[p + 1], b[p + 2], b[p + 3]);
    const len = u32(b, p + 4);
    const end = Math.min(b.length, p + 8 + len);
    out.push({ id, data: b.slice(p + 8, end) });
    p = end;
  }
  return out;
}

function join32(list: Chunk[]): Uint8Array {
  let total = 0;
  for (const c of list) total += 8 + c.data.length;
  const out = new Uint8Array(total);
  let p = 0;
  for (const c of list) {
    for (let i = 0; i < 4; i++) out[p + i] = c.id.charCodeAt(i) & 0xff;
    const len = c.declared ?? c.data.length;
    out[p + 4] = (len >>> 24) & 0xff;
    out[p + 5] = (len >>> 16) & 0xff;
    out[p + 6] = (len >>> 8) & 0xff;
    out[p + 7] = len & 0xff;
    out.set(c.data, p + 8);
    p += 8 + c.data.length;
  }
  return out;
}

function concat(...parts: ArrayLike<number>[]): Uint8Array {
  let n = 0;
  for (const x of parts) n += x.length;
  const out = new Uint8Array(n);
  let p = 0;
  for (const x of parts) {
    out.set(x, p);
    p += x.length;
  }
  return out;
}

function vlq(v: number): number[] {
  const bytes = [v & 0x7f];
  v = Math.floor(v / 128);
  while (v > 0) {
    bytes.unshift((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  return bytes;
}

function randomBytes(rng: Rng, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.int(256);
  return out;
}

/** Offsets inside a track's data where an event (its delta time) starts, found by a lenient walk. */
function eventStarts(d: Uint8Array): number[] {
  const out: number[] = [];
  let p = 0;
  let running = 0;
  while (p < d.length && out.length < 100_000) {
    out.push(p);
    while (p < d.length && d[p] & 0x80) p++;
    p++; // last delta byte
    if (p >= d.length) break;
    let s = d[p];
    if (s & 0x80) p++;
    else s = running;
    if (s === 0xff) {
      p++; // type
      let len = 0;
      while (p < d.length && d[p] & 0x80) len = len * 128 + (d[p++] & 0x7f);
      len = len * 128 + (d[p++] & 0x7f);
      p += len;
    } else if (s === 0xf0 || s === 0xf7) {
      let len = 0;
      while (p < d.length && d[p] & 0x80) len = len * 128 + (d[p++] & 0x7f);
      len = len * 128 + (d[p++] & 0x7f);
      p += len;
    } else {
      running = s;
      const hi = s & 0xf0;
      p += hi === 0xc0 || hi === 0xd0 ? 1 : 2;
    }
  }
  return out;
}

/** Applies `f` to the data of one random MTrk chunk (the header stays). */
function onTrack(b: Uint8Array, rng: Rng, f: (d: Uint8Array) => Uint8Array): Uint8Array {
  const cs = chunks(b);
  const tracks = cs.map((c, i) => (c.id === 'MTrk' ? i : -1)).filter((i) => i >= 0);
  if (!tracks.length) return b;
  const i = tracks[rng.int(tracks.length)];
  cs[i] = { id: cs[i].id, data: f(cs[i].data) };
  return join32(cs);
}

function insertAtEvent(d: Uint8Array, rng: Rng, bytes: number[]): Uint8Array {
  const starts = eventStarts(d);
  const at = starts.length ? starts[rng.int(starts.length)] : 0;
  return concat(d.subarray(0, at), bytes, d.subarray(at));
}

// ---- mutations -----------------------------------------------------------------------------------

type Mutation = (b: Uint8Array, rng: Rng) => Uint8Array;

export const MUTATIONS: Record<string, Mutation> = {
  bitflip(b, rng) {
    const out = b.slice();
    const flips = 1 + rng.int(8);
    for (let i = 0; i < flips && out.length; i++) out[rng.int(out.length)] ^= 1 << rng.int(8);
    return out;
  },
  byteset(b, rng) {
    const out = b.slice();
    const n = 1 + rng.int(4);
    const special = [0x00, 0x7f, 0x80, 0xff, 0xf0, 0xf7, 0x90, 0xb0];
    for (let i = 0; i < n && out.length; i++) out[rng.int(out.length)] = special[rng.int(special.length)];
    return out;
  },
  truncate(b, rng) {
    return b.slice(0, rng.int(b.length + 1));
  },
  truncateHeaderRegion(b, rng) {
    return b.slice(0, rng.int(Math.min(b.length, 40) + 1)); // + 1: an empty input (an earlier mutation) stays valid
  },
  swapChunks(b, rng) {
    const cs = chunks(b);
    if (cs.length < 2) return b;
    const i = rng.int(cs.length);
    let j = rng.int(cs.length);
    if (j === i) j = (i + 1) % cs.length;
    [cs[i], cs[j]] = [cs[j], cs[i]];
    return join32(cs);
  },
  duplicateChunk(b, rng) {
    const cs = chunks(b);
    if (!cs.length) return b;
    const i = rng.int(cs.length);
    const times = 1 + rng.int(rng.next() < 0.1 ? 200 : 3);
    const copies = Array.from({ length: times }, () => cs[i]);
    cs.splice(i, 0, ...copies);
    return join32(cs);
  },
  dropChunk(b, rng) {
    const cs = chunks(b);
    if (!cs.length) return b;
    cs.splice(rng.int(cs.length), 1);
    return join32(cs);
  },
  unknownChunk(b, rng) {
    const cs = chunks(b);
    const ids = ['XFIH', 'RIFF', 'MThd', 'MTrk', '\u0000\u0001\u0002\u0003', 'junk'];
    cs.splice(rng.int(cs.length + 1), 0, {
      id: ids[rng.int(ids.length)],
      data: randomBytes(rng, rng.int(64)),
    });
    return join32(cs);
  },
  hugeLength(b, rng) {
    const cs = chunks(b);
    if (!cs.length) return b;
    const i = rng.int(cs.length);
    const choices = [0xffffffff, 0x7fffffff, 0x10000000, cs[i].data.length + 1 + rng.int(1000), 0, 1];
    cs[i] = { ...cs[i], declared: choices[rng.int(choices.length)] };
    return join32(cs);
  },
  headerFields(b, rng) {
    const out = b.length >= 14 ? b.slice() : concat(b, new Uint8Array(14 - b.length));
    const field = rng.int(4);
    const v = [0, 1, 2, 3, 0x7fff, 0x8000, 0xe728, 0xffff, rng.int(65536)][rng.int(9)];
    if (field === 0) [out[8], out[9]] = [v >> 8, v & 0xff]; // format
    if (field === 1) [out[10], out[11]] = [v >> 8, v & 0xff]; // track count
    if (field === 2) [out[12], out[13]] = [v >> 8, v & 0xff]; // division
    if (field === 3) [out[4], out[5], out[6], out[7]] = [0, 0, v >> 8, v & 0xff]; // header length
    return out;
  },
  absurdDelta(b, rng) {
    return onTrack(b, rng, (d) => {
      const deltas = [
        [0x8f, 0xff, 0xff, 0x7f],
        [0xff, 0xff, 0xff, 0x7f],
        vlq(1 + rng.int(0x0fffffff)),
        [0x83, 0x60],
      ];
      const delta = deltas[rng.int(deltas.length)];
      const ev = rng.next() < 0.5 ? [0x90, 60, 100] : [0xff, 0x01, 0x00];
      return insertAtEvent(d, rng, [...delta, ...ev]);
    });
  },
  longVlq(b, rng) {
    return onTrack(b, rng, (d) => {
      const n = 5 + rng.int(20);
      const bytes = Array.from({ length: n }, () => 0x80 | rng.int(128));
      return insertAtEvent(d, rng, [...bytes, 0x00, 0x90, 60, 100]);
    });
  },
  runningStatusAbuse(b, rng) {
    return onTrack(b, rng, (d) => {
      const variant = rng.int(4);
      if (variant === 0) {
        // Data bytes before any status byte.
        return concat([0x00, 60, 100, 0x00, 62, 100], d);
      }
      if (variant === 1) {
        // Running status right after a meta event and a sysex (running status is cancelled by them).
        return insertAtEvent(
          d,
          rng,
          [0x00, 0xff, 0x01, 0x01, 0x41, 0x00, 64, 90, 0x00, 0xf0, 0x01, 0xf7, 0x00, 65, 90],
        );
      }
      if (variant === 2) {
        // Remove status bytes of random channel events (turning them into running status).
        const out: number[] = [];
        const starts = new Set(eventStarts(d));
        let afterDelta = -1;
        for (let i = 0; i < d.length; i++) {
          if (starts.has(i)) afterDelta = i;
          const isStatusHere =
            afterDelta >= 0 && i > afterDelta && (d[i - 1] & 0x80) === 0 && d[i] >= 0x80 && d[i] < 0xf0;
          if (isStatusHere) afterDelta = -1;
          if (isStatusHere && rng.next() < 0.3) continue;
          out.push(d[i]);
        }
        return Uint8Array.from(out);
      }
      // A status byte in the data position.
      return insertAtEvent(d, rng, [0x00, 0x90, 0x90, 0x90, 0x00, 0x80, 0xff, 0x00]);
    });
  },
  metaHuge(b, rng) {
    return onTrack(b, rng, (d) => {
      const type = [0x01, 0x03, 0x51, 0x58, 0x59, 0x7f, 0x2f, 0x20][rng.int(8)];
      const len = [0x0fffffff, 0x7fff, 70_000, 0, 1, 2, 5][rng.int(7)];
      const body = randomBytes(rng, Math.min(len, rng.int(32)));
      return insertAtEvent(d, rng, [0x00, 0xff, type, ...vlq(len), ...body]);
    });
  },
  sysexHuge(b, rng) {
    return onTrack(b, rng, (d) => {
      const len = [0x0fffffff, 100_000, 0, 3][rng.int(4)];
      return insertAtEvent(d, rng, [0x00, rng.next() < 0.5 ? 0xf0 : 0xf7, ...vlq(len), 0x01, 0x02]);
    });
  },
  absurdTempo(b, rng) {
    return onTrack(b, rng, (d) => {
      const us = [0, 1, 0xffffff, 60_000_000 / 5000, 60_000_000 / 3, rng.int(0x1000000)][rng.int(6)];
      return insertAtEvent(d, rng, [0x00, 0xff, 0x51, 0x03, (us >> 16) & 0xff, (us >> 8) & 0xff, us & 0xff]);
    });
  },
  absurdSignatures(b, rng) {
    return onTrack(b, rng, (d) => {
      if (rng.next() < 0.5)
        return insertAtEvent(d, rng, [0x00, 0xff, 0x58, 0x04, rng.int(256), rng.int(256), 0, 0]);
      return insertAtEvent(d, rng, [0x00, 0xff, 0x59, 0x02, rng.int(256), rng.int(256)]);
    });
  },
  noteStorm(b, rng) {
    return onTrack(b, rng, (d) => {
      const n = 50 + rng.int(rng.next() < 0.1 ? 20_000 : 500);
      const ev: number[] = [];
      for (let i = 0; i < n; i++) {
        ev.push(0x00, 0x90 | rng.int(16), rng.int(128), rng.int(128));
        if (rng.next() < 0.3) ev.push(...vlq(rng.int(50)), 0x80 | rng.int(16), rng.int(128), 0);
      }
      return insertAtEvent(d, rng, ev);
    });
  },
  removeEndOfTrack(b, rng) {
    return onTrack(b, rng, (d) => {
      // Drop the end-of-track meta event and its delta time (a missing end of track).
      for (let i = d.length - 3; i >= 1; i--)
        if (d[i] === 0xff && d[i + 1] === 0x2f) return d.slice(0, i - 1);
      return d.slice(0, Math.max(0, d.length - 1 - rng.int(3)));
    });
  },
  eventsAfterEnd(b, rng) {
    return onTrack(b, rng, (d) => concat(d, [0x00, 0x90, 61, 80, 0x60, 0x80, 61, 0, 0x00, 0xff, 0x2f, 0x00]));
  },
  channelGarbage(b, rng) {
    return onTrack(b, rng, (d) => {
      const status = 0x80 + rng.int(0x70);
      return insertAtEvent(d, rng, [0x00, status, rng.int(128), rng.int(128)]);
    });
  },
  spliceFiles(b, rng) {
    // The head of this file glued to a random tail of itself shifted.
    const cut = rng.int(b.length + 1);
    const from = rng.int(b.length + 1);
    return concat(b.subarray(0, cut), b.subarray(from));
  },
  emptyTracks(b, rng) {
    const cs = chunks(b);
    for (const c of cs) if (c.id === 'MTrk' && rng.next() < 0.7) c.data = new Uint8Array(0);
    return join32(cs);
  },
};

const MUTATION_NAMES = Object.keys(MUTATIONS);

/** One track's events (without its end-of-track) repeated until the file is about `bytes` long. */
export function inflateTrack(b: Uint8Array, bytes: number, rng: Rng): Uint8Array {
  return onTrack(b, rng, (d) => {
    let body = d;
    for (let i = d.length - 3; i >= 1; i--)
      if (d[i] === 0xff && d[i + 1] === 0x2f) {
        body = d.subarray(0, i - 1);
        break;
      }
    if (!body.length) return d;
    const times = Math.max(1, Math.floor(bytes / body.length));
    const out = new Uint8Array(body.length * times + 4);
    for (let k = 0; k < times; k++) out.set(body, k * body.length);
    out.set([0x00, 0xff, 0x2f, 0x00], body.length * times);
    return out;
  });
}

/** A random valid-looking header with 1-4 tracks of random (or random-but-structured) events. */
export function randomHeaderFile(rng: Rng): Uint8Array {
  const format = rng.next() < 0.9 ? rng.int(3) : rng.int(65536);
  const ntracks = 1 + rng.int(4);
  const division = rng.next() < 0.9 ? [96, 120, 384, 480, 960, 1][rng.int(6)] : rng.int(65536);
  const header: Chunk = {
    id: 'MThd',
    data: Uint8Array.from([0, format & 0xff, 0, ntracks, division >> 8, division & 0xff]),
  };
  const list: Chunk[] = [header];
  for (let t = 0; t < ntracks; t++) {
    let data: Uint8Array;
    if (rng.next() < 0.5) {
      data = randomBytes(rng, rng.int(300));
    } else {
      const ev: number[] = [];
      const n = rng.int(200);
      for (let i = 0; i < n; i++) {
        const r = rng.next();
        ev.push(...vlq(rng.next() < 0.8 ? rng.int(200) : rng.int(0x0fffffff)));
        if (r < 0.6) ev.push(0x90 | rng.int(16), rng.int(128), rng.int(128));
        else if (r < 0.8) ev.push(0x80 | rng.int(16), rng.int(128), rng.int(128));
        else if (r < 0.9) ev.push(0xff, rng.int(128), ...vlq(rng.int(8)), ...randomBytes(rng, rng.int(8)));
        else ev.push(rng.int(256), rng.int(256));
      }
      if (rng.next() < 0.8) ev.push(0x00, 0xff, 0x2f, 0x00);
      data = Uint8Array.from(ev);
    }
    list.push({ id: 'MTrk', data });
  }
  return join32(list);
}

/**
 * The case `index` of the fuzz run `seed`: every 500th case (index 499, 999, ...) a huge file; else 80% mutations of a real file (one mutation, or a chain of
 * 2-4), 10% random bytes, 10% random valid-looking headers.
 */
export function fuzzCase(
  seed: number,
  index: number,
  seeds: { name: string; bytes: Uint8Array }[],
): FuzzCase {
  const rng = new Rng(seed * 1_000_003 + index);
  const id = String(index).padStart(5, '0');
  if (index % 500 === 499) {
    // Every 500th case: a huge file (one track's events repeated to 1-60 MB).
    const src = seeds[rng.int(seeds.length)];
    const mb = [1, 3, 8, 20, 60][rng.int(5)];
    const bytes = inflateTrack(src.bytes, mb * 1024 * 1024, rng);
    return { index, name: `fuzz-${id}-huge-${mb}MB-${src.name}`, kind: 'huge-file', bytes };
  }
  const r = rng.next();
  if (r < 0.1) {
    const n = rng.next() < 0.5 ? rng.int(32) : rng.int(8192);
    const bytes = randomBytes(rng, n);
    if (n >= 4 && rng.next() < 0.5) bytes.set([0x4d, 0x54, 0x68, 0x64]); // "MThd" then noise
    return { index, name: `fuzz-${id}-random-bytes.mid`, kind: 'random-bytes', bytes };
  }
  if (r < 0.2) {
    return {
      index,
      name: `fuzz-${id}-random-header.mid`,
      kind: 'random-header',
      bytes: randomHeaderFile(rng),
    };
  }
  const src = seeds[rng.int(seeds.length)];
  const chain = rng.next() < 0.7 ? 1 : 2 + rng.int(3);
  let bytes = src.bytes;
  const applied: string[] = [];
  for (let i = 0; i < chain; i++) {
    const m = MUTATION_NAMES[rng.int(MUTATION_NAMES.length)];
    bytes = MUTATIONS[m](bytes, rng);
    applied.push(m);
  }
  const kind = applied.length === 1 ? applied[0] : 'chain';
  return { index, name: `fuzz-${id}-${applied.join('+')}-${src.name}`, kind, bytes };
}
