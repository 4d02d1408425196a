import type { Rng } from './rng.js';

/**
 * Turning the model's next-token probabilities into one token: grammar/scale mask, temperature,
 * top-k, top-p (nucleus), then one draw from a seeded Rng. Pure and deterministic: the same
 * probabilities, options and Rng state always give the same token.
 */
export interface SamplingOptions {
  /** 1 = the model's distribution; < 1 sharper, > 1 flatter; 0 = always the most likely token. */
  temperature: number;
  /** Keep only the k most likely tokens; 0 = off. */
  topK: number;
  /** Keep the smallest set of most likely tokens whose mass reaches p; 1 = off. */
  topP: number;
}

export function validateSamplingOptions(o: SamplingOptions): void {
  if (!Number.isFinite(o.temperature) || o.temperature < 0 || o.temperature > 10)
    throw new Error(`temperature must be between 0 and 10, got ${o.temperature}`);
  if (!Number.isInteger(o.topK) || o.topK < 0)
    throw new Error(`top-k must be an integer >= 0 (0 = off), got ${o.topK}`);
  if (!Number.isFinite(o.topP) || o.topP <= 0 || o.topP > 1)
    throw new Error(`top-p must be in (0, 1] (1 = off), got ${o.topP}`);
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

  const t = options.temperature;
  let total = 0;
  for (const x of w) total += x;
  if (total === 0) w.fill(1);
  else if (t === 0) {
    // Greedy: all the mass on the most likely allowed token (lowest id on ties).
    let best = 0;
    for (let j = 1; j < w.length; j++) if (w[j] > w[best]) best = j;
    return { tokens: Int32Array.of(cand[best]), probs: Float64Array.of(1) };
  } else if (t !== 1) {
    // p^(1/T), computed in the log domain relative to the max so small T does not underflow to 0/0.
    let maxLog = -Infinity;
    const logs = w.map((x) => (x > 0 ? Math.log(x) : -Infinity));
    for (const l of logs) if (l > maxLog) maxLog = l;
    for (let j = 0; j < w.length; j++) w[j] = logs[j] === -Infinity ? 0 : Math.exp((logs[j] - maxLog) / t);
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
