/**
 * The token encoding of Ostinato: a GridPiece as one sequence of event tokens.
 *
 *   <bos>  (SHIFT_k)*  NOTE_p DUR_d  NOTE_p DUR_d ...  (SHIFT_k)*  NOTE_p DUR_d ...  <eos>
 *
 * Time is a cursor in grid steps, starting at 0. For every step where at least one note starts, in
 * order of time:
 *   - SHIFT_k tokens move the cursor forward by k steps (1 <= k <= config.maxShift); a longer gap is
 *     written as several SHIFTs (maxShift, maxShift, ..., rest). A rest is just a SHIFT with no notes.
 *   - then, for every note starting at the cursor, in ascending pitch: NOTE_p (MIDI pitch p within
 *     config.pitchRange) followed by DUR_d (d = 1..config.maxDuration steps).
 * A chord is several NOTE/DUR pairs at one cursor position. With config.repeatBars > 0, a bar that is
 * exactly a non-empty bar k bars back (the nearest; 1 <= k <= repeatBars) is written as SHIFTs to the
 * bar's start, then REPEAT_k, which copies that bar's notes and moves the cursor to the next bar
 * (bars follow the piece's meter map, else its one time signature; see bars.ts). Velocity is not encoded. Notes outside the
 * pitch range move by octaves into it; longer notes are clamped to maxDuration; at most maxPolyphony
 * notes start at one step; duplicates (same pitch, same step) are kept once. Every such change is
 * counted in the EncodeReport.
 *
 * Specials: <pad> = 0 (padding, never predicted), <bos>, <eos>, <unk>. The vocabulary (vocabulary.ts)
 * holds only the tokens that occur in the augmented corpus; when encoding a piece with an event the
 * vocabulary lacks, it is mapped to the nearest known token (a pitch by octave shifts, then nearest;
 * the nearest duration; a shift as a sum of known shifts, else the nearest), or <unk> when there is
 * no token of that kind at all. decodeTokens is tolerant: it never throws, whatever the ids.
 */
import type { GridMeter, GridNote, GridPiece, GridTempo } from '../common/types.js';
import { STEPS_PER_QUARTER } from '../common/types.js';
import { BarGrid } from './bars.js';
import type { EncodingConfig } from './config.js';
import { pieceEvents } from './events.js';
import type { EventCounts } from './events.js';
import { KIND_DUR, KIND_NOTE, KIND_REPEAT, KIND_SHIFT, Vocabulary } from './vocabulary.js';

export interface EncodeReport extends EventCounts {
  tokens: number; // length of the sequence, <bos> and <eos> included
  mapped: number; // events the vocabulary lacked, replaced by the nearest known token(s)
  unknown: number; // events written as <unk> (no token of that kind at all)
}

export function encodePieceWithReport(
  piece: GridPiece,
  vocab: Vocabulary,
  config: EncodingConfig,
): { tokens: Int32Array; report: EncodeReport } {
  // REPEAT only with a distance the vocabulary knows; otherwise the bar is written note by note.
  const { events, counts } = pieceEvents(piece, config, (k) => vocab.eventId('REPEAT', k) >= 0);
  const out: number[] = [vocab.bosId];
  let mapped = 0;
  let unknown = 0;
  const [lo, hi] = config.pitchRange;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e.kind === 'SHIFT') {
      // A gap is SHIFT events in a row: kept as they are when the vocabulary has them all, otherwise
      // the whole gap is rewritten with known shifts.
      let j = i;
      let gap = 0;
      let allKnown = true;
      while (j < events.length && events[j].kind === 'SHIFT') {
        gap += events[j].value;
        if (vocab.eventId('SHIFT', events[j].value) < 0) allKnown = false;
        j++;
      }
      if (allKnown) for (let k = i; k < j; k++) out.push(vocab.eventId('SHIFT', events[k].value));
      else if (!vocab.known('SHIFT').values.length) {
        out.push(vocab.unkId);
        unknown++;
      } else {
        for (const id of decomposeShift(vocab, gap)) out.push(id);
        mapped++;
      }
      i = j - 1;
      continue;
    }
    const direct = vocab.eventId(e.kind, e.value);
    if (direct >= 0) {
      out.push(direct);
      continue;
    }
    let id = -1;
    if (e.kind === 'NOTE') {
      // The same pitch class first: octaves up and down, nearest first, inside the range.
      for (let o = 1; o <= 10 && id < 0; o++) {
        for (const p of [e.value - 12 * o, e.value + 12 * o]) {
          if (id < 0 && p >= lo && p <= hi) id = vocab.eventId('NOTE', p);
        }
      }
    }
    if (id < 0) id = vocab.nearest(e.kind, e.value);
    if (id >= 0) {
      out.push(id);
      mapped++;
    } else {
      out.push(vocab.unkId);
      unknown++;
    }
  }
  out.push(vocab.eosId);
  return { tokens: Int32Array.from(out), report: { ...counts, tokens: out.length, mapped, unknown } };
}

/** `<bos>` tokens `<eos>` for a piece (see the module comment). */
export function encodePiece(piece: GridPiece, vocab: Vocabulary, config: EncodingConfig): Int32Array {
  return encodePieceWithReport(piece, vocab, config).tokens;
}

/** Gaps longer than this are first cut down with the longest known shift. */
const DP_LIMIT = 20_000;

/**
 * A gap of `gap` steps as known SHIFT tokens, longest first: exactly when the known shifts can sum to
 * it (fewest tokens), else the nearest sum they can make (the shorter on a tie; possibly no tokens).
 */
function decomposeShift(vocab: Vocabulary, gap: number): number[] {
  const { values, ids } = vocab.known('SHIFT');
  const out: number[] = [];
  const largest = values[values.length - 1];
  let rest = gap;
  while (rest > DP_LIMIT) {
    out.push(ids[values.length - 1]);
    rest -= largest;
  }
  const limit = rest + largest;
  const best = new Int32Array(limit + 1).fill(-1); // fewest tokens summing exactly to x
  best[0] = 0;
  for (let x = 1; x <= limit; x++) {
    for (const v of values) {
      if (v <= x && best[x - v] >= 0 && (best[x] < 0 || best[x - v] + 1 < best[x])) best[x] = best[x - v] + 1;
    }
  }
  let target = -1;
  for (let d = 0; target < 0; d++) {
    if (rest - d >= 0 && best[rest - d] >= 0) target = rest - d;
    else if (rest + d <= limit && best[rest + d] >= 0) target = rest + d;
  }
  const parts: number[] = [];
  for (let x = target; x > 0;) {
    for (let k = values.length - 1; k >= 0; k--) {
      const v = values[k];
      if (v <= x && best[x - v] === best[x] - 1) {
        parts.push(ids[k]);
        x -= v;
        break;
      }
    }
  }
  return out.concat(parts);
}

export interface DecodeMeta {
  name: string;
  bpm: number;
  timeSignature: [number, number];
  /** The meter map the tokens were encoded with (bars follow it); kept in the decoded piece. */
  meters?: GridMeter[];
  /** A tempo map to keep in the decoded piece (tokens carry no tempo). */
  tempos?: GridTempo[];
  velocity?: number; // for every note (default 90)
}

/**
 * Tokens back to a GridPiece. Never throws: ids outside the vocabulary, specials, a DUR without a NOTE,
 * a NOTE without a DUR and a REPEAT that is not at the start of a bar (before any note there) or looks
 * back before the first bar are ignored; decoding stops at <eos>. A note of the same pitch still
 * sounding when it starts again is cut there (a re-strike), so the result is valid MIDI.
 */
export function decodeTokens(
  tokens: ArrayLike<number>,
  vocab: Vocabulary,
  config: EncodingConfig,
  meta: DecodeMeta,
): GridPiece {
  const notes: GridNote[] = [];
  const velocity = Math.min(127, Math.max(1, Math.round(meta.velocity ?? 90)));
  let time = 0;
  let pending = -1;
  const seenAtStep = new Set<number>();
  const spq = STEPS_PER_QUARTER[config.grid] ?? 4;
  const bars = BarGrid.fromMeters(spq, meta.meters, meta.timeSignature);
  const n = tokens.length >>> 0;
  for (let i = 0; i < n; i++) {
    const id = tokens[i];
    if (!Number.isInteger(id) || id < 0 || id >= vocab.size) continue;
    if (id === vocab.eosId) break;
    const kind = vocab.kinds[id];
    const value = vocab.values[id];
    if (kind === KIND_SHIFT) {
      if (value > 0) {
        time += value;
        seenAtStep.clear();
      }
      pending = -1;
    } else if (kind === KIND_NOTE) {
      pending = value;
    } else if (kind === KIND_DUR) {
      if (pending >= 0 && value > 0 && !seenAtStep.has(pending)) {
        notes.push({ pitch: pending, start: time, duration: value, velocity, track: 0 });
        seenAtStep.add(pending);
      }
      pending = -1;
    } else if (kind === KIND_REPEAT) {
      pending = -1;
      const b = bars.barAt(time);
      const len = bars.length(b);
      if (
        bars.usable &&
        bars.start(b) === time &&
        seenAtStep.size === 0 &&
        b - value >= 0 &&
        bars.length(b - value) === len
      ) {
        const from = bars.start(b - value);
        const copies: GridNote[] = [];
        for (const note of notes)
          if (note.start >= from && note.start < from + len)
            copies.push({ ...note, start: note.start + time - from, velocity });
        notes.push(...copies);
        time += len;
      }
    }
  }
  notes.sort((a, b) => a.start - b.start || a.pitch - b.pitch);
  const last = new Map<number, GridNote>();
  let lengthSteps = time;
  for (const note of notes) {
    const prev = last.get(note.pitch);
    if (prev && prev.start + prev.duration > note.start) prev.duration = note.start - prev.start;
    last.set(note.pitch, note);
  }
  for (const note of notes) lengthSteps = Math.max(lengthSteps, note.start + note.duration);
  const out: GridPiece = {
    name: meta.name,
    stepsPerQuarter: spq,
    bpm: meta.bpm,
    timeSignature: [meta.timeSignature[0], meta.timeSignature[1]],
    lengthSteps,
    notes,
  };
  if (meta.meters?.length)
    out.meters = meta.meters.map((m) => ({ ...m, timeSignature: [...m.timeSignature] }));
  if (meta.tempos?.length) out.tempos = meta.tempos.map((t) => ({ ...t }));
  return out;
}
