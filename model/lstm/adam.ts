/**
 * Global-norm clipping and one Adam step over flat float32 arrays, in one pass per parameter.
 *
 * It replaces ~8 tfjs ops per parameter (and the readback of the new weights for the helpers):
 * ~14 ms -> ~3 ms per batch at hidden 256, time in which the other training threads wait
 * (docs/benchmarks.md, "Using several cores"). Every operation is rounded to float32 in the order
 * of the tensor version it replaced (tfjs computes in float32), so a step gives the same weights
 * bit for bit where the backend sums the squared gradients in the same order (the cpu backend:
 * sequentially, in double precision, per parameter).
 */
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

/** The loss gradient of parameter k: the sum of `parts[j][k]` over j (the threads' slices). */
export type GradientParts = Float32Array[][];

function gradAt(parts: GradientParts, k: number, i: number): number {
  let g = parts[0]![k]![i]!;
  for (let j = 1; j < parts.length; j++) g = f(g + parts[j]![k]![i]!);
  return g;
}

/** sqrt of the sum over parameters of sum(g^2), as tfjs' addN of per-parameter tf.sum(tf.square). */
export function globalNorm(parts: GradientParts, count: number): number {
  let total = 0;
  for (let k = 0; k < count; k++) {
    let s = 0;
    const n = parts[0]![k]!.length;
    if (parts.length === 1) {
      const g = parts[0]![k]!;
      for (let i = 0; i < n; i++) s += f(g[i]! * g[i]!);
    } else {
      for (let i = 0; i < n; i++) {
        const g = gradAt(parts, k, i);
        s += f(g * g);
      }
    }
    total = f(total + f(s));
  }
  return f(Math.sqrt(total));
}

/** Clips the summed gradient to `clipNorm` (global norm) and updates weights, m and v in place. */
export function adamStep(state: AdamState, parts: GradientParts, lr: number, clipNorm: number): void {
  const count = state.weights.length;
  const clip = f(clipNorm);
  const scale = f(clip / f(Math.max(globalNorm(parts, count), clip)));
  state.step++;
  const c1 = 1 - Math.pow(ADAM_BETA1, state.step);
  const c2 = f(1 - Math.pow(ADAM_BETA2, state.step));
  const b1 = f(ADAM_BETA1);
  const b2 = f(ADAM_BETA2);
  const a1 = f(1 - ADAM_BETA1);
  const a2 = f(1 - ADAM_BETA2);
  const lrc = f(lr / c1);
  const eps = f(ADAM_EPSILON);
  const single = parts.length === 1;
  for (let k = 0; k < count; k++) {
    const w = state.weights[k]!;
    const m = state.m[k]!;
    const v = state.v[k]!;
    const g0 = parts[0]![k]!;
    for (let i = 0; i < w.length; i++) {
      const g = f((single ? g0[i]! : gradAt(parts, k, i)) * scale);
      const mi = f(f(m[i]! * b1) + f(g * a1));
      const vi = f(f(v[i]! * b2) + f(f(g * g) * a2));
      const upd = f(f(mi * lrc) / f(f(Math.sqrt(f(vi / c2))) + eps));
      m[i] = mi;
      v[i] = vi;
      w[i] = f(w[i]! - upd);
    }
  }
}
