import type { Rng } from '../common/rng.js';

/**
 * Turning the model's next-token probabilities into one token: grammar/scale mask, greedy or top-k
 * and top-p (nucleus), then one draw from a seeded Rng. Pure and deterministic: the same
 * probabilities, options and Rng state always give the same token. The temperature is applied
 * before, by the stepper (LstmStepper.step); the bounds of every option are checked by the table
 * (model/common/generate-options.ts).
 */
export interface SamplingOptions {
  /** Always the most likely allowed token (temperature 0). */
  greedy: boolean;
  /** Keep only the k most likely tokens; 0 = off. */
  topK: number;
  /** Keep the smallest set of most likely tokens whose mass reaches p; 1 = off. */
  topP: number;
}

/**
 * The distribution actually sampled from: a sparse list of (token, probability) pairs sorted by
 * probability (descending, ties by token id), summing to 1.
 *
 * `probs` holds one row of `vocabSize` values starting at `offset`; `mask[i] = 0` forbids token i.
 * When every allowed token has probability 0 (underflow, or the model gives no mass to any allowed
 * token), the allowed tokens are taken as equally likely. Throws when the mask allows nothing.
 */
export function filteredDistribution(
  probs: ArrayLike<number>,
  offset: number,
  vocabSize: number,
  options: SamplingOptions,
  mask?: ArrayLike<number> | null,
): { tokens: Int32Array; probs: Float64Array } {
  const cand: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < vocabSize; i++) {
    if (mask && !mask[i]) continue;
    cand.push(i);
    const p = probs[offset + i];
    w.push(Number.isFinite(p) && p > 0 ? p : 0);
  }
  if (cand.length === 0) throw new Error('No token is allowed at this point (empty mask)');

  let total = 0;
  for (const x of w) total += x;
  if (total === 0) w.fill(1);
  else if (options.greedy) {
    // Greedy: all the mass on the most likely allowed token (lowest id on ties).
    let best = 0;
    for (let j = 1; j < w.length; j++) if (w[j] > w[best]) best = j;
    return { tokens: Int32Array.of(cand[best]), probs: Float64Array.of(1) };
  }

  const order = cand.map((_, j) => j);
  order.sort((a, b) => w[b] - w[a] || cand[a] - cand[b]);
  // Zero-probability tokens are never sampled (unless everything was zero: uniform above).
  let n = order.length;
  while (n > 1 && w[order[n - 1]] === 0) n--;
  if (options.topK > 0 && options.topK < n) n = options.topK;
  let mass = 0;
  for (let j = 0; j < n; j++) mass += w[order[j]];
  if (options.topP < 1) {
    let cum = 0;
    let keep = 0;
    while (keep < n) {
      cum += w[order[keep]];
      keep++;
      if (cum >= options.topP * mass * (1 - 1e-12)) break;
    }
    n = keep;
    mass = cum;
  }
  const tokens = new Int32Array(n);
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    tokens[j] = cand[order[j]];
    out[j] = w[order[j]] / mass;
  }
  return { tokens, probs: out };
}

/** Draws one token id; see `filteredDistribution` for the arguments. */
export function sampleToken(
  probs: ArrayLike<number>,
  offset: number,
  vocabSize: number,
  options: SamplingOptions,
  rng: Rng,
  mask?: ArrayLike<number> | null,
): number {
  const d = filteredDistribution(probs, offset, vocabSize, options, mask);
  if (d.tokens.length === 1) {
    rng.next(); // keep one draw per token so streams stay aligned whatever the options
    return d.tokens[0];
  }
  const u = rng.next();
  let cum = 0;
  for (let j = 0; j < d.tokens.length; j++) {
    cum += d.probs[j];
    if (u < cum) return d.tokens[j];
  }
  return d.tokens[d.tokens.length - 1];
}
