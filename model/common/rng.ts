/**
 * The core's one seeded pseudo-random generator (mulberry32). Pure integer arithmetic, so the same
 * seed gives the same stream on every platform and backend. The whole state is one 32-bit integer,
 * which checkpoints store to resume training with the same shuffles and dropout masks.
 *
 * `new Rng(seed)` serves sampling, shuffles and tests; `Rng.forWeights(seed)` is the stream the LSTM
 * has always drawn its initial weights, dropout masks and probe batches from (another seed mixing),
 * so the same seed keeps giving the same weights.
 */

import { InputError } from './options.js';

const STEP = 0x6d2b79f5;

/** mulberry32's output function of a state. */
function mix(s: number): number {
  let t = s;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

export class Rng {
  private s: number;

  constructor(seed: number) {
    this.s = normalizeSeed(seed);
  }

  /** The current state; `Rng.fromState(rng.state)` continues the same stream. */
  get state(): number {
    return this.s >>> 0;
  }

  static fromState(state: number): Rng {
    const r = new Rng(0);
    r.s = state >>> 0;
    return r;
  }

  /** The weights' stream: the seed's integer part xor 0x9e3779b9 as the state. */
  static forWeights(seed: number): Rng {
    return Rng.fromState((Math.floor(seed) ^ 0x9e3779b9) >>> 0);
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    this.s = (this.s + STEP) | 0;
    return mix(this.s);
  }

  /** Moves the stream on by n draws at once (the state only adds a constant per draw). */
  skip(n: number): void {
    this.s = (this.s + Math.imul(n >>> 0, STEP)) | 0;
  }

  /** The 32-bit integer that draw k (from 0) after `state` gives, without drawing the ones before:
   * `Rng.fromState(state)` then k + 1 calls of nextUint32 give the same. */
  static uint32At(state: number, k: number): number {
    return mix((state + Math.imul((k + 1) >>> 0, STEP)) | 0);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!(n >= 1)) throw new Error(`Rng.int: n must be >= 1, got ${n}`);
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [lo, hi] (both included). */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** Standard normal (Box-Muller, two uniforms per value). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Fisher-Yates shuffle in place; returns the array. */
  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}

/**
 * Maps any finite number (negative, fractional, large) to a 32-bit seed; different integer seeds in
 * the usual range give different streams (seed+i for variations).
 */
export function normalizeSeed(seed: number): number {
  if (!Number.isFinite(seed)) throw new InputError(`The seed must be a finite number, got ${seed}`);
  const int = Math.trunc(seed);
  // Fold values beyond 32 bits in, so 2^32 + 1 and 1 differ.
  const hi = Math.floor(int / 4294967296);
  return ((int >>> 0) ^ Math.imul(hi | 0, 0x9e3779b1)) >>> 0;
}
