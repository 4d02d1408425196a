import { PIANO_HIGH, PIANO_LOW, type PianoRollPiece } from './data.js';

/**
 * The two simple references of ../shared/data/README.md, fitted on a training split with add-1/2
 * (Krichevsky-Trofimov) smoothing, over the 88 piano keys 21..108. Both define a proper
 * distribution over pitch sets, so their scores are comparable with the LSTM's.
 *
 * - Bernoulli: every key independently on with its training frequency.
 * - Markov: every key independently, on with a probability that depends on whether the same key
 *   was on in the previous frame (a 2x2 transition table per key).
 */
const KEYS = PIANO_HIGH - PIANO_LOW + 1;
const ALPHA = 0.5;

export interface BernoulliModel {
  kind: 'bernoulli';
  pOn: Float64Array; // [KEYS]
}

export interface MarkovModel {
  kind: 'markov';
  /** pOn[2 * k + prev]: P(key k on | key k was on (1) / off (0) in the previous frame). */
  pOn: Float64Array;
}

function activeKeys(frame: readonly number[], out: Uint8Array): Uint8Array {
  out.fill(0);
  for (const p of frame) out[p - PIANO_LOW] = 1;
  return out;
}

export function fitBernoulli(train: readonly PianoRollPiece[]): BernoulliModel {
  const on = new Float64Array(KEYS);
  let frames = 0;
  for (const piece of train)
    for (const f of piece) {
      frames++;
      for (const p of f) on[p - PIANO_LOW]++;
    }
  const pOn = on.map((c) => (c + ALPHA) / (frames + 2 * ALPHA));
  return { kind: 'bernoulli', pOn };
}

export function fitMarkov(train: readonly PianoRollPiece[]): MarkovModel {
  const counts = new Float64Array(KEYS * 4); // [key][prev][next]
  const a = new Uint8Array(KEYS);
  const b = new Uint8Array(KEYS);
  for (const piece of train)
    for (let t = 1; t < piece.length; t++) {
      activeKeys(piece[t - 1], a);
      activeKeys(piece[t], b);
      for (let k = 0; k < KEYS; k++) counts[k * 4 + a[k] * 2 + b[k]]++;
    }
  const pOn = new Float64Array(KEYS * 2);
  for (let k = 0; k < KEYS; k++)
    for (let prev = 0; prev < 2; prev++) {
      const off = counts[k * 4 + prev * 2];
      const on = counts[k * 4 + prev * 2 + 1];
      pOn[k * 2 + prev] = (on + ALPHA) / (off + on + 2 * ALPHA);
    }
  return { kind: 'markov', pOn };
}

export interface NllResult {
  nllSum: number;
  frames: number;
  /** nats per frame */
  nll: number;
}

/**
 * -ln p(frame) summed over frames `firstFrame..T` of every piece, and its mean. The README's
 * metric scores frames 2..T (firstFrame = 1, the default). The Markov model needs the previous
 * frame and always starts at the second frame.
 */
export function baselineNll(
  model: BernoulliModel | MarkovModel,
  pieces: readonly PianoRollPiece[],
  firstFrame = 1,
): NllResult {
  const cur = new Uint8Array(KEYS);
  const prev = new Uint8Array(KEYS);
  let nllSum = 0;
  let frames = 0;
  const start = model.kind === 'markov' ? Math.max(1, firstFrame) : firstFrame;
  for (const piece of pieces)
    for (let t = start; t < piece.length; t++) {
      activeKeys(piece[t], cur);
      if (model.kind === 'markov') activeKeys(piece[t - 1], prev);
      for (let k = 0; k < KEYS; k++) {
        const p = model.kind === 'markov' ? model.pOn[k * 2 + prev[k]] : model.pOn[k];
        nllSum -= Math.log(cur[k] ? p : 1 - p);
      }
      frames++;
    }
  return { nllSum, frames, nll: frames ? nllSum / frames : NaN };
}
