/**
 * Global-norm clipping and one Adam step over flat float32 arrays, in one pass per parameter.
 *
 * It replaces ~8 tfjs ops per parameter and the readback of the new weights for the helpers
 * (docs/benchmarks.md, "Using several cores"): the other training threads wait while it runs. The
 * update is computed in double precision and stored as float32: it agrees with tfjs' all-float32
 * version to float32 rounding (adam.test.ts), and rounding every operation to float32 as tfjs does
 * made the step 2-3x slower (Math.fround after each operation).
 */
import { scratch } from './scratch';

const f = Math.fround;

export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;
export const ADAM_EPSILON = 1e-7; // tfjs' default for tf.train.adam

export interface AdamState {
  weights: Float32Array[];
  m: Float32Array[];
  v: Float32Array[];
  step: number;
}

/** The loss gradient of parameter k is the sum of parts[j][k] over j (the threads' slices). */
export type GradientParts = Float32Array[][];

/** Parameter k's gradient: parts[0][k] itself, or the parts summed (as tf.addN) into scratch. */
function summed(parts: GradientParts, k: number): Float32Array {
  const first = parts[0]![k]!;
  if (parts.length === 1) return first;
  const out = scratch(`adam/grad${k}`, first.length, false);
  out.set(first);
  for (let j = 1; j < parts.length; j++) {
    const p = parts[j]![k]!;
    for (let i = 0; i < out.length; i++) out[i] = out[i]! + p[i]!; // stored as float32: rounded
  }
  return out;
}

function sumOfSquares(g: Float32Array): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += f(g[i]! * g[i]!);
  return f(s);
}

/** sqrt of the sum over parameters of sum(g^2), as tfjs' addN of per-parameter tf.sum(tf.square). */
export function globalNorm(grads: Float32Array[]): number {
  let total = 0;
  for (const g of grads) total = f(total + sumOfSquares(g));
  return f(Math.sqrt(total));
}

function update(
  w: Float32Array,
  m: Float32Array,
  v: Float32Array,
  grad: Float32Array,
  scale: number,
  lrc: number,
  c2: number,
): void {
  const b1 = f(ADAM_BETA1);
  const b2 = f(ADAM_BETA2);
  const a1 = f(1 - ADAM_BETA1);
  const a2 = f(1 - ADAM_BETA2);
  const eps = f(ADAM_EPSILON);
  for (let i = 0; i < w.length; i++) {
    const g = grad[i]! * scale;
    const mi = m[i]! * b1 + g * a1;
    const vi = v[i]! * b2 + g * g * a2;
    m[i] = mi;
    v[i] = vi;
    w[i] = w[i]! - (mi * lrc) / (Math.sqrt(vi / c2) + eps);
  }
}

/** Clips the summed gradient to `clipNorm` (global norm) and updates weights, m and v in place. */
export function adamStep(state: AdamState, parts: GradientParts, lr: number, clipNorm: number): void {
  const grads = state.weights.map((_, k) => summed(parts, k));
  const clip = f(clipNorm);
  const scale = f(clip / f(Math.max(globalNorm(grads), clip)));
  state.step++;
  const lrc = f(lr / (1 - Math.pow(ADAM_BETA1, state.step)));
  const c2 = f(1 - Math.pow(ADAM_BETA2, state.step));
  grads.forEach((g, k) => update(state.weights[k]!, state.m[k]!, state.v[k]!, g, scale, lrc, c2));
}
