/**
 * Global-norm clipping and one Adam step over flat float32 arrays, in one pass per parameter,
 * whole (one thread) or in parts that training threads update at once (sharedAdamPart).
 *
 * It replaces ~8 tfjs ops per parameter and the readback of the new weights for the helpers
 * (docs/benchmarks.md, "Using several cores"): the other training threads wait while it runs. The
 * update is computed in double precision and stored as float32: it agrees with tfjs' all-float32
 * version to float32 rounding (adam.test.ts), and rounding every operation to float32 as tfjs does
 * made the step 2-3x slower (Math.fround after each operation).
 */
const f = Math.fround;

export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;
export const ADAM_EPSILON = 1e-7; // tfjs' default for tf.train.adam

export interface AdamArrays {
  weights: Float32Array[];
  m: Float32Array[];
  v: Float32Array[];
}

export interface AdamState extends AdamArrays {
  step: number;
}

/** The loss gradient of parameter p is the sum of parts[j][p] over j (the threads' slices). */
export type GradientParts = Float32Array[][];

/** Elements [lo, hi) of part k of n of an array of `len` elements. */
export function partRange(len: number, k: number, n: number): [number, number] {
  return [Math.floor((len * k) / n), Math.floor((len * (k + 1)) / n)];
}

/** The sum of squares of the summed gradient over part k of n of every parameter (double). */
export function partSumOfSquares(parts: GradientParts, k: number, n: number): number {
  let s = 0;
  for (let p = 0; p < parts[0]!.length; p++) {
    const [lo, hi] = partRange(parts[0]![p]!.length, k, n);
    const a = parts[0]![p]!;
    if (parts.length === 1) {
      for (let i = lo; i < hi; i++) s += a[i]! * a[i]!;
      continue;
    }
    for (let i = lo; i < hi; i++) {
      let g = a[i]!;
      for (let j = 1; j < parts.length; j++) g += parts[j]![p]![i]!;
      s += g * g;
    }
  }
  return s;
}

/** The factor that clips a gradient with this global sum of squares to norm `clipNorm`. */
export function clipScale(sumOfSquares: number, clipNorm: number): number {
  const norm = Math.sqrt(sumOfSquares);
  return norm > clipNorm ? clipNorm / norm : 1;
}

/**
 * Adam step number `step` (from 1) on part k of n of every parameter: reads src, writes dst (they
 * may be the same arrays), with the summed gradient of `parts` scaled by `scale`.
 */
export function adamUpdatePart(
  src: AdamArrays,
  dst: AdamArrays,
  parts: GradientParts,
  k: number,
  n: number,
  scale: number,
  lr: number,
  step: number,
): void {
  const b1 = f(ADAM_BETA1);
  const b2 = f(ADAM_BETA2);
  const a1 = f(1 - ADAM_BETA1);
  const a2 = f(1 - ADAM_BETA2);
  const eps = f(ADAM_EPSILON);
  const lrc = lr / (1 - Math.pow(ADAM_BETA1, step));
  const c2 = 1 - Math.pow(ADAM_BETA2, step);
  for (let p = 0; p < src.weights.length; p++) {
    const [w, m, v] = [src.weights[p]!, src.m[p]!, src.v[p]!];
    const [w2, m2, v2] = [dst.weights[p]!, dst.m[p]!, dst.v[p]!];
    const a = parts[0]![p]!;
    const [lo, hi] = partRange(w.length, k, n);
    for (let i = lo; i < hi; i++) {
      let g = a[i]!;
      for (let j = 1; j < parts.length; j++) g += parts[j]![p]![i]!;
      g *= scale;
      const mi = m[i]! * b1 + g * a1;
      const vi = v[i]! * b2 + g * g * a2;
      m2[i] = mi;
      v2[i] = vi;
      w2[i] = w[i]! - (mi * lrc) / (Math.sqrt(vi / c2) + eps);
    }
  }
}

/** Clips the summed gradient to `clipNorm` (global norm) and updates weights, m and v in place. */
export function adamStep(state: AdamState, parts: GradientParts, lr: number, clipNorm: number): void {
  const scale = clipScale(partSumOfSquares(parts, 0, 1), clipNorm);
  state.step++;
  adamUpdatePart(state, state, parts, 0, 1, scale, lr, state.step);
}

/**
 * One Adam step that n training threads take together, each on its part of every parameter, in
 * shared memory: each thread publishes its gradients, then its part's sum of squares (the clip
 * needs the global norm), then updates its part from `src` into `dst`. The trainer swaps src and
 * dst once every part is done; until then src is untouched, so a failed thread loses nothing.
 */
export interface SharedAdam {
  src: AdamArrays;
  dst: AdamArrays;
  grads: GradientParts; // grads[k]: thread k's gradients, per parameter
  sync: Int32Array; // per thread k: [k] gradients written, [n + k] sum of squares written, [2n + k] part done
  partials: Float64Array; // per thread: its part's sum of squares
  n: number;
  lr: number;
  clipNorm: number;
  step: number; // the step being taken (from 1)
  waitMs: number;
}

function signal(sync: Int32Array, at: number): void {
  Atomics.store(sync, at, 1);
  Atomics.notify(sync, at);
}

/** Waits until sync[from..from+n) are all set; false when `deadline` (performance.now) passes. */
function waitAll(sync: Int32Array, from: number, n: number, deadline: number): boolean {
  for (let k = from; k < from + n; k++) {
    while (Atomics.load(sync, k) === 0) {
      const left = deadline - performance.now();
      if (left <= 0) return false;
      Atomics.wait(sync, k, 0, left);
    }
  }
  return true;
}

/** Thread `me`'s share of a SharedAdam step, given its own gradients. False when another thread
 * did not get as far within `waitMs` (the trainer then takes the step alone). */
export function sharedAdamPart(a: SharedAdam, me: number, mine: Float32Array[]): boolean {
  const deadline = performance.now() + a.waitMs;
  a.grads[me]!.forEach((g, p) => g.set(mine[p]!));
  signal(a.sync, me);
  if (!waitAll(a.sync, 0, a.n, deadline)) return false;
  a.partials[me] = partSumOfSquares(a.grads, me, a.n);
  signal(a.sync, a.n + me);
  if (!waitAll(a.sync, a.n, a.n, deadline)) return false;
  let sum = 0;
  for (let k = 0; k < a.n; k++) sum += a.partials[k]!;
  adamUpdatePart(a.src, a.dst, a.grads, me, a.n, clipScale(sum, a.clipNorm), a.lr, a.step);
  signal(a.sync, 2 * a.n + me);
  return true;
}

/** Whether every part of a SharedAdam step is done. */
export function sharedAdamDone(a: SharedAdam): boolean {
  for (let k = 0; k < a.n; k++) if (Atomics.load(a.sync, 2 * a.n + k) !== 1) return false;
  return true;
}
