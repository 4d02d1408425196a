import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isMidiFileName } from '../model/index.js';

/**
 * The fixed split of ../shared/data/nottingham-midi used by `npm run eval:music`: the MIDI file
 * names sorted by code point; every 10th file (indices 9, 19, 29, ...) is held out, the rest is the
 * training split. 1034 files → 931 training, 103 held out.
 */
export const HELD_OUT_EVERY = 10;

export function nottinghamMidiDir(repoRoot: string): string {
  return resolve(repoRoot, '../shared/data/nottingham-midi');
}

export function splitFileNames(names: readonly string[]): { train: string[]; heldOut: string[] } {
  const sorted = names.filter(isMidiFileName).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const train: string[] = [];
  const heldOut: string[] = [];
  sorted.forEach((n, i) => ((i + 1) % HELD_OUT_EVERY === 0 ? heldOut : train).push(n));
  return { train, heldOut };
}

export function nottinghamSplit(repoRoot: string): { train: string[]; heldOut: string[] } {
  const dir = nottinghamMidiDir(repoRoot);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw new Error(
      `Could not read ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      { cause: err },
    );
  }
  const s = splitFileNames(names);
  if (s.heldOut.length === 0) throw new Error(`${dir} holds fewer than ${HELD_OUT_EVERY} MIDI files`);
  return { train: s.train.map((n) => join(dir, n)), heldOut: s.heldOut.map((n) => join(dir, n)) };
}
