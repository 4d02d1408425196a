import type { TokenBatch } from '../lstm/types.js';
import { Rng } from '../common/rng.js';
import { InputError } from '../common/options.js';

/**
 * Token sequences (one Int32Array per piece, <bos> ... <eos>) → training batches.
 *
 * A sequence of length L gives L-1 predictions (input token i, target token i+1). They are cut into
 * windows of at most `seqLen` predictions; every window starts from a fresh LSTM state. Windows
 * shorter than `seqLen` are padded at the end: input 0, target -1 (ignored by losses). With `jitter`
 * the window boundaries move by a random offset every epoch (a short first window, then full ones),
 * so a token is not always seen with the same amount of context. Window order is shuffled from the
 * Rng; batches hold `batchSize` windows (the last one of an epoch may hold fewer).
 */

/** Predictions `start .. start+length-1` of sequence `seq`. */
export interface TokenWindow {
  seq: number;
  start: number;
  length: number;
}

export interface EpochOptions {
  seqLen: number;
  batchSize: number;
  shuffle: boolean;
  jitter: boolean;
}

export interface EpochPlan {
  /** Windows of each batch. */
  readonly batches: TokenWindow[][];
  /** Non-padding targets in the epoch. */
  readonly tokens: number;
  /** Materialises batch i (fresh arrays, so a caller may keep or transfer them). */
  batch(i: number): TokenBatch;
}

/** Cuts one sequence's predictions into windows; `offset` (0..seqLen-1) makes a short first window. */
export function sequenceWindows(seq: number, length: number, seqLen: number, offset = 0): TokenWindow[] {
  const predictions = length - 1;
  const out: TokenWindow[] = [];
  if (predictions <= 0) return out;
  let start = 0;
  if (offset > 0 && offset < predictions) {
    out.push({ seq, start: 0, length: offset });
    start = offset;
  }
  for (; start < predictions; start += seqLen)
    out.push({ seq, start, length: Math.min(seqLen, predictions - start) });
  return out;
}

/** Fills a [windows.length, seqLen] batch: inputs padded with 0, targets with -1. */
export function makeBatch(
  seqs: readonly Int32Array[],
  windows: readonly TokenWindow[],
  seqLen: number,
): TokenBatch {
  const batch = windows.length;
  const inputs = new Int32Array(batch * seqLen);
  const targets = new Int32Array(batch * seqLen).fill(-1);
  windows.forEach((w, r) => {
    if (w.length > seqLen) throw new Error(`window of ${w.length} predictions does not fit seqLen ${seqLen}`);
    const s = seqs[w.seq];
    inputs.set(s.subarray(w.start, w.start + w.length), r * seqLen);
    targets.set(s.subarray(w.start + 1, w.start + w.length + 1), r * seqLen);
  });
  return { inputs, targets, batch, seqLen };
}

export function validateEpochOptions(o: EpochOptions): void {
  if (!Number.isInteger(o.seqLen) || o.seqLen < 2)
    throw new InputError(`seqLen must be an integer >= 2, got ${o.seqLen}`);
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1)
    throw new InputError(`batchSize must be an integer >= 1, got ${o.batchSize}`);
}

/** Plans one epoch over `seqs`. Uses the Rng only when shuffling or jittering. */
export function planEpoch(seqs: readonly Int32Array[], options: EpochOptions, rng?: Rng): EpochPlan {
  validateEpochOptions(options);
  const { seqLen, batchSize } = options;
  if ((options.shuffle || options.jitter) && !rng) throw new Error('planEpoch: shuffle/jitter need an Rng');
  const windows: TokenWindow[] = [];
  let tokens = 0;
  seqs.forEach((s, i) => {
    const offset = options.jitter ? rng!.int(seqLen) : 0;
    for (const w of sequenceWindows(i, s.length, seqLen, offset)) {
      windows.push(w);
      tokens += w.length;
    }
  });
  if (options.shuffle) rng!.shuffle(windows);
  const batches: TokenWindow[][] = [];
  for (let i = 0; i < windows.length; i += batchSize) batches.push(windows.slice(i, i + batchSize));
  return {
    batches,
    tokens,
    batch: (i: number) => {
      if (!(i >= 0 && i < batches.length))
        throw new RangeError(`batch ${i} out of range 0..${batches.length - 1}`);
      return makeBatch(seqs, batches[i], seqLen);
    },
  };
}

/**
 * Splits pieces into training and validation sets by piece (never a piece on both sides):
 * `valFraction` of them (rounded, at least 1) chosen from the seed. Needs at least 2 pieces.
 * Returns indices into the input, each list in ascending order.
 */
export function splitByPiece(
  count: number,
  valFraction: number,
  seed: number,
): { train: number[]; val: number[] } {
  if (!(valFraction > 0 && valFraction < 1))
    throw new InputError(`validation fraction must be in (0, 1), got ${valFraction}`);
  if (count < 2)
    throw new InputError(
      `Training needs at least 2 usable pieces (one is held out for validation), got ${count}. Import more MIDI files.`,
    );
  const nVal = Math.min(count - 1, Math.max(1, Math.round(count * valFraction)));
  const idx = new Rng(seed).shuffle(Array.from({ length: count }, (_, i) => i));
  const val = idx.slice(0, nVal).sort((a, b) => a - b);
  const train = idx.slice(nVal).sort((a, b) => a - b);
  return { train, val };
}
