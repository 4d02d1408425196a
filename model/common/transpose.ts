/**
 * Transposition: data augmentation (every piece also in nearby keys) and key normalisation (every piece
 * in C major / A minor), with a Krumhansl-Schmuckler key estimate for pieces without a key signature.
 */
import type { GridPiece, KeySignatureEvent } from './types.js';

export const DEFAULT_RANGE: [number, number] = [21, 108];

/** The piece moved by `semitones`; notes leaving `pitchRange` are dropped and counted. */
export function transposePiece(
  piece: GridPiece,
  semitones: number,
  pitchRange: [number, number] = DEFAULT_RANGE,
): { piece: GridPiece; dropped: number } {
  const [lo, hi] = pitchRange;
  let dropped = 0;
  const notes = [];
  for (const n of piece.notes) {
    const pitch = n.pitch + semitones;
    if (pitch < lo || pitch > hi) dropped++;
    else notes.push({ ...n, pitch });
  }
  return { piece: { ...piece, timeSignature: [...piece.timeSignature] as [number, number], notes }, dropped };
}

/**
 * Every piece transposed by -range..+range semitones (the original first, then -1, +1, -2, +2...).
 * Notes leaving the pitch range are dropped and added to `stats.dropped` when given; a transposition
 * that would drop every note of a piece is skipped.
 */
export function augmentedPieces(
  pieces: readonly GridPiece[],
  range: number,
  pitchRange: [number, number] = DEFAULT_RANGE,
  stats?: { dropped: number },
): GridPiece[] {
  const out: GridPiece[] = [];
  let dropped = 0;
  const shifts = [0];
  for (let s = 1; s <= range; s++) shifts.push(-s, s);
  for (const p of pieces) {
    for (const s of shifts) {
      if (s === 0) {
        out.push(p);
        continue;
      }
      const t = transposePiece(p, s, pitchRange);
      if (t.piece.notes.length === 0 && p.notes.length > 0) continue;
      dropped += t.dropped;
      out.push({ ...t.piece, name: `${p.name} ${s > 0 ? '+' : ''}${s}` });
    }
  }
  if (stats) stats.dropped += dropped;
  return out;
}

export const PITCH_CLASS_NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];
const FLAT_NAMES: Record<string, number> = {
  Db: 1,
  Eb: 3,
  Gb: 6,
  Ab: 8,
  Bb: 10,
  Cb: 11,
  Fb: 4,
  'E#': 5,
  'B#': 0,
};

/** The key names a user may choose (sharps and the usual flats). */
export const KEY_NAMES: readonly string[] = [
  'C',
  'C#',
  'Db',
  'D',
  'D#',
  'Eb',
  'E',
  'F',
  'F#',
  'Gb',
  'G',
  'G#',
  'Ab',
  'A',
  'A#',
  'Bb',
  'B',
];

/** 'C', 'F#', 'Bb'... to a pitch class 0-11; -1 when not a key name. */
export function pitchClassOf(name: string): number {
  const i = PITCH_CLASS_NAMES.indexOf(name);
  if (i >= 0) return i;
  return FLAT_NAMES[name] ?? -1;
}

// Krumhansl-Kessler key profiles (Krumhansl 1990).
const MAJOR_PROFILE = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
const MINOR_PROFILE = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];

function correlation(a: number[], b: number[]): number {
  const ma = a.reduce((s, x) => s + x, 0) / a.length;
  const mb = b.reduce((s, x) => s + x, 0) / b.length;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - ma) * (b[i] - mb);
    da += (a[i] - ma) ** 2;
    db += (b[i] - mb) ** 2;
  }
  return da && db ? num / Math.sqrt(da * db) : 0;
}

export interface KeyEstimate {
  root: number; // pitch class 0-11
  scale: 'major' | 'minor';
  name: string; // e.g. "G major"
  correlation: number; // 0 for a piece without notes
}

/** Krumhansl-Schmuckler: the key whose profile best matches the duration-weighted pitch-class histogram. */
export function estimateKey(piece: GridPiece): KeyEstimate {
  const hist = new Array(12).fill(0);
  for (const n of piece.notes) hist[((n.pitch % 12) + 12) % 12] += n.duration;
  let best: KeyEstimate = { root: 0, scale: 'major', name: 'C major', correlation: 0 };
  if (!piece.notes.length) return best;
  let bestR = -Infinity;
  for (const scale of ['major', 'minor'] as const) {
    const profile = scale === 'major' ? MAJOR_PROFILE : MINOR_PROFILE;
    for (let root = 0; root < 12; root++) {
      const rotated = profile.map((_, i) => profile[(i - root + 12) % 12]);
      const r = correlation(hist, rotated);
      if (r > bestR) {
        bestR = r;
        best = { root, scale, name: `${PITCH_CLASS_NAMES[root]} ${scale}`, correlation: r };
      }
    }
  }
  return best;
}

/** Semitones (-5..+6, the smaller move) that take a key to C major (major) or A minor (minor). */
export function shiftToC(root: number, scale: 'major' | 'minor'): number {
  const target = scale === 'major' ? 0 : 9;
  let s = (((target - root) % 12) + 12) % 12;
  if (s > 6) s -= 12;
  return s;
}

/**
 * The piece in C major / A minor: by its key signature when given (the first of the file), else by a
 * Krumhansl-Schmuckler estimate. Returns the piece, the shift applied, the key it was in, where that
 * came from, and the notes dropped for leaving the pitch range.
 */
export function normaliseToC(
  piece: GridPiece,
  keySignature?: Pick<KeySignatureEvent, 'key' | 'scale'> | null,
  pitchRange: [number, number] = DEFAULT_RANGE,
): { piece: GridPiece; semitones: number; key: string; source: 'signature' | 'estimate'; dropped: number } {
  let root = keySignature ? pitchClassOf(keySignature.key) : -1;
  let scale: 'major' | 'minor' = keySignature?.scale === 'minor' ? 'minor' : 'major';
  let source: 'signature' | 'estimate' = 'signature';
  if (root < 0) {
    const est = estimateKey(piece);
    root = est.root;
    scale = est.scale;
    source = 'estimate';
  }
  const semitones = shiftToC(root, scale);
  const t = transposePiece(piece, semitones, pitchRange);
  return {
    piece: t.piece,
    semitones,
    key: `${PITCH_CLASS_NAMES[root]} ${scale}`,
    source,
    dropped: t.dropped,
  };
}
