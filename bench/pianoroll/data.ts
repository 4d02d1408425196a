import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The piano-roll benchmark format of Boulanger-Lewandowski et al. (2012): every piece is a list of
 * frames, every frame the sorted list of sounding MIDI pitches (possibly empty). See
 * ../shared/data/README.md.
 */
export type Frame = readonly number[];
export type PianoRollPiece = readonly Frame[];

export interface PianoRollDataset {
  name: string;
  train: PianoRollPiece[];
  valid: PianoRollPiece[];
  test: PianoRollPiece[];
}

export type SplitName = 'train' | 'valid' | 'test';
export const SPLITS: readonly SplitName[] = ['train', 'valid', 'test'];

/** The lowest and highest pitch of the format (piano keys A0..C8). */
export const PIANO_LOW = 21;
export const PIANO_HIGH = 108;

/** Path of one of the standard benchmark files, found as ../shared beside the repository root. */
export function standardDatasetPath(repoRoot: string, name: 'jsb-chorales' | 'nottingham'): string {
  return resolve(repoRoot, '../shared/data/pianoroll', `${name}.json`);
}

/**
 * Checks and normalises parsed JSON: three splits, pieces of frames, integer pitches in 21..108,
 * strictly increasing within a frame (a duplicate pitch in a frame is an error, since a frame is a
 * set). Every problem is reported with where it is.
 */
export function parsePianoRoll(json: unknown, name: string): PianoRollDataset {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new Error(`${name}: expected an object with "train", "valid" and "test" lists of pieces`);
  const obj = json as Record<string, unknown>;
  const out: PianoRollDataset = { name, train: [], valid: [], test: [] };
  for (const split of SPLITS) {
    const pieces = obj[split];
    if (!Array.isArray(pieces)) throw new Error(`${name}: "${split}" is missing or is not a list of pieces`);
    pieces.forEach((piece: unknown, p) => {
      if (!Array.isArray(piece)) throw new Error(`${name}: ${split} piece ${p} is not a list of frames`);
      const frames: Frame[] = piece.map((frame: unknown, f) => {
        const where = `${name}: ${split} piece ${p}, frame ${f}`;
        if (!Array.isArray(frame)) throw new Error(`${where} is not a list of pitches`);
        for (let i = 0; i < frame.length; i++) {
          const v = frame[i];
          if (!Number.isInteger(v) || v < PIANO_LOW || v > PIANO_HIGH)
            throw new Error(
              `${where}: pitch ${JSON.stringify(v)} is not an integer in ${PIANO_LOW}..${PIANO_HIGH}`,
            );
          if (i > 0 && v <= frame[i - 1])
            throw new Error(`${where}: pitches must be sorted and distinct, got ${JSON.stringify(frame)}`);
        }
        return frame as number[];
      });
      out[split].push(frames);
    });
  }
  if (out.train.length === 0) throw new Error(`${name}: the train split has no pieces`);
  return out;
}

/** Reads and checks a piano-roll JSON file. */
export function loadPianoRoll(path: string): PianoRollDataset {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(
      `Could not read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  const base = path.replace(/^.*[\\/]/, '').replace(/\.json$/i, '');
  return parsePianoRoll(json, base);
}

export function countFrames(pieces: readonly PianoRollPiece[]): number {
  let n = 0;
  for (const p of pieces) n += p.length;
  return n;
}

/** Frames that are scored: 2..T of every piece. */
export function countPredictedFrames(pieces: readonly PianoRollPiece[]): number {
  let n = 0;
  for (const p of pieces) n += Math.max(0, p.length - 1);
  return n;
}

/** Shifts every pitch by `semitones`; null when a pitch would leave 21..108. */
export function transposePianoRoll(piece: PianoRollPiece, semitones: number): PianoRollPiece | null {
  const out: number[][] = [];
  for (const f of piece) {
    const g = f.map((p) => p + semitones);
    if (g.length && (g[0] < PIANO_LOW || g[g.length - 1] > PIANO_HIGH)) return null;
    out.push(g);
  }
  return out;
}
