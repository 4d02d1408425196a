import type { GridNote, GridPiece } from '../model/common/types.js';

/**
 * Per-piece musical features of a quantized piece (GridPiece), for comparing generated music with
 * real music. Definitions (also in docs/benchmarks.md, "Music quality"):
 *
 * - pitchClassHistogram: share of notes on each pitch class C..B (12 values, sum 1).
 * - pitchRange: highest minus lowest pitch, semitones.
 * - intervalHistogram: melodic intervals of the top voice. The top voice has one note per onset
 *   step: the highest note starting there, kept only if it is above every note still sounding from
 *   earlier (so an accompaniment chord under a held melody note is not melody). Intervals are
 *   |pitch difference| between successive top-voice notes, bins 0..11 semitones and >= 12 (13
 *   values, sum 1; all 0 when the piece has fewer than two top-voice notes).
 * - noteLengthHistogram: durations in quarter notes, bins <= 1/4, 1/2, 3/4, 1, 3/2, 2, 3, 4, > 4
 *   (16th, 8th, dotted 8th, quarter, dotted quarter, half, dotted half, whole, longer; a triplet
 *   value falls in the next bin up). 9 values, sum 1.
 * - notesPerBar: notes / bars, bars counted from the start up to the bar holding the last note end.
 * - polyphony: mean number of sounding notes over the steps where at least one note sounds.
 * - repetition: share of non-empty bars whose content (every note as start within the bar, pitch
 *   and duration) equals that of an earlier bar.
 *
 * Bars follow the piece's (single) time signature.
 */
export interface MusicFeatures {
  pitchClassHistogram: number[];
  pitchRange: number;
  intervalHistogram: number[];
  noteLengthHistogram: number[];
  notesPerBar: number;
  polyphony: number;
  repetition: number;
}

export type FeatureName = keyof MusicFeatures;
export const FEATURE_NAMES: readonly FeatureName[] = [
  'pitchClassHistogram',
  'pitchRange',
  'intervalHistogram',
  'noteLengthHistogram',
  'notesPerBar',
  'polyphony',
  'repetition',
];

export const NOTE_LENGTH_EDGES = [1 / 4, 1 / 2, 3 / 4, 1, 3 / 2, 2, 3, 4]; // quarters; then "> 4"
export const INTERVAL_BINS = 13;

/** Steps per bar of the piece's time signature. */
export function barSteps(piece: GridPiece): number {
  const [num, den] = piece.timeSignature;
  const steps = (num * 4 * piece.stepsPerQuarter) / den;
  if (!(steps >= 1)) throw new Error(`${piece.name}: bad time signature ${num}/${den}`);
  return Math.max(1, Math.round(steps));
}

function normalise(h: number[]): number[] {
  const s = h.reduce((a, b) => a + b, 0);
  return s > 0 ? h.map((v) => v / s) : h;
}

/** The top voice (see above): notes in onset order. */
export function topVoice(notes: readonly GridNote[]): GridNote[] {
  const sorted = [...notes].sort((a, b) => a.start - b.start || b.pitch - a.pitch);
  const out: GridNote[] = [];
  const earlier: GridNote[] = []; // notes started before the current onset step
  let i = 0;
  while (i < sorted.length) {
    const step = sorted[i].start;
    const highest = sorted[i]; // highest pitch at this step (sorted by pitch descending)
    let j = i;
    while (j < sorted.length && sorted[j].start === step) j++;
    const covered = earlier.some((n) => n.start + n.duration > step && n.pitch >= highest.pitch);
    if (!covered) out.push(highest);
    for (let k = i; k < j; k++) earlier.push(sorted[k]);
    i = j;
  }
  return out;
}

/** Features of one piece; null for a piece without notes. */
export function extractFeatures(piece: GridPiece): MusicFeatures | null {
  const notes = piece.notes;
  if (notes.length === 0) return null;
  const bar = barSteps(piece);

  const pc = new Array<number>(12).fill(0);
  let lo = Infinity;
  let hi = -Infinity;
  for (const n of notes) {
    pc[((n.pitch % 12) + 12) % 12]++;
    lo = Math.min(lo, n.pitch);
    hi = Math.max(hi, n.pitch);
  }

  const iv = new Array<number>(INTERVAL_BINS).fill(0);
  const top = topVoice(notes);
  for (let k = 1; k < top.length; k++)
    iv[Math.min(INTERVAL_BINS - 1, Math.abs(top[k].pitch - top[k - 1].pitch))]++;

  const len = new Array<number>(NOTE_LENGTH_EDGES.length + 1).fill(0);
  for (const n of notes) {
    const q = n.duration / piece.stepsPerQuarter;
    let b = NOTE_LENGTH_EDGES.findIndex((e) => q <= e + 1e-9);
    if (b < 0) b = NOTE_LENGTH_EDGES.length;
    len[b]++;
  }

  let end = 0;
  for (const n of notes) end = Math.max(end, n.start + n.duration);
  const bars = Math.max(1, Math.ceil(end / bar));

  // Polyphony: a difference array over steps.
  const diff = new Int32Array(end + 1);
  for (const n of notes) {
    diff[n.start]++;
    diff[n.start + n.duration]--;
  }
  let sounding = 0;
  let busySteps = 0;
  let noteSteps = 0;
  for (let s = 0; s < end; s++) {
    sounding += diff[s];
    if (sounding > 0) {
      busySteps++;
      noteSteps += sounding;
    }
  }

  const barContent = new Map<number, string[]>();
  for (const n of notes) {
    const b = Math.floor(n.start / bar);
    let list = barContent.get(b);
    if (!list) barContent.set(b, (list = []));
    list.push(`${n.start - b * bar}:${n.pitch}:${n.duration}`);
  }
  const seen = new Set<string>();
  let repeated = 0;
  for (const b of [...barContent.keys()].sort((x, y) => x - y)) {
    const key = barContent.get(b)!.sort().join(',');
    if (seen.has(key)) repeated++;
    else seen.add(key);
  }

  return {
    pitchClassHistogram: normalise(pc),
    pitchRange: hi - lo,
    intervalHistogram: normalise(iv),
    noteLengthHistogram: normalise(len),
    notesPerBar: notes.length / bars,
    polyphony: busySteps ? noteSteps / busySteps : 0,
    repetition: repeated / barContent.size,
  };
}
