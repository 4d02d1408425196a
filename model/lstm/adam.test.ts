import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../core/backend';
import {
  ADAM_BETA1,
  ADAM_BETA2,
  ADAM_EPSILON,
  adamStep,
  adamUpdatePart,
  clipScale,
  partSumOfSquares,
  sharedAdamPart,
  type AdamArrays,
  type AdamState,
} from './adam';
import { Rng } from '../common/rng.js';

function randoms(rng: Rng, n: number, scale: number): Float32Array {
  return Float32Array.from({ length: n }, () => (rng.next() - 0.5) * scale);
}

/** The tensor version adamStep replaced (tfjs ops, float32). */
function tensorStep(
  state: { w: tf.Tensor[]; m: tf.Tensor[]; v: tf.Tensor[]; step: number },
  grads: tf.Tensor[],
  lr: number,
  clip: number,
): void {
  const norm = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g)))));
  const scale = tf.div(clip, tf.maximum(norm, clip));
  state.step++;
  const c1 = 1 - Math.pow(ADAM_BETA1, state.step);
  const c2 = 1 - Math.pow(ADAM_BETA2, state.step);
  grads.forEach((grad, k) => {
    const g = tf.mul(grad, scale);
    state.m[k] = tf.add(tf.mul(state.m[k]!, ADAM_BETA1), tf.mul(g, 1 - ADAM_BETA1));
    state.v[k] = tf.add(tf.mul(state.v[k]!, ADAM_BETA2), tf.mul(tf.square(g), 1 - ADAM_BETA2));
    const upd = tf.div(tf.mul(state.m[k]!, lr / c1), tf.add(tf.sqrt(tf.div(state.v[k]!, c2)), ADAM_EPSILON));
    state.w[k] = tf.sub(state.w[k]!, upd);
  });
}

for (const [label, gradScale] of [
  ['below the clip', 0.01],
  ['clipped', 5],
] as const) {
  test(`adamStep gives the tensor version's weights, m and v to float32 rounding (${label})`, async () => {
    await initBackend('cpu');
    const rng = Rng.forWeights(7);
    const sizes = [300, 17, 1024];
    const w0 = sizes.map((n) => randoms(rng, n, 1));
    const flat: AdamState = {
      weights: w0.map((w) => w.slice()),
      m: sizes.map((n) => new Float32Array(n)),
      v: sizes.map((n) => new Float32Array(n)),
      step: 0,
    };
    const ref = {
      w: w0.map((w) => tf.tensor(w.slice())),
      m: sizes.map((n) => tf.zeros([n])),
      v: sizes.map((n) => tf.zeros([n])),
      step: 0,
    };
    for (let step = 0; step < 3; step++) {
      // Two threads' parts; the reference sums them first, as the trainer used to (tf.addN).
      const a = sizes.map((n) => randoms(rng, n, gradScale));
      const b = sizes.map((n) => randoms(rng, n, gradScale));
      tf.tidy(() => {
        tensorStep(
          ref,
          a.map((g, k) => tf.add(tf.tensor(g), tf.tensor(b[k]!))),
          0.003,
          1,
        );
        ref.w.forEach(tf.keep);
        ref.m.forEach(tf.keep);
        ref.v.forEach(tf.keep);
      });
      if (step === 0) {
        const norm = Math.sqrt(partSumOfSquares([a, b], 0, 1));
        assert.ok(gradScale > 1 ? norm > 1 : norm < 1, `norm ${norm} (${label})`);
      }
      adamStep(flat, [a, b], 0.003, 1);
    }
    assert.equal(flat.step, 3);
    const close = (a: Float32Array, b: Float32Array, what: string) => {
      let worst = 0;
      for (let i = 0; i < a.length; i++)
        worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), 1e-3));
      assert.ok(worst < 1e-5, `${what}: relative difference ${worst}`);
    };
    sizes.forEach((_, k) => {
      close(flat.weights[k]!, ref.w[k]!.dataSync() as Float32Array, `weights ${k}`);
      close(flat.m[k]!, ref.m[k]!.dataSync() as Float32Array, `m ${k}`);
      close(flat.v[k]!, ref.v[k]!.dataSync() as Float32Array, `v ${k}`);
      assert.ok(
        flat.weights[k]!.some((x, i) => x !== w0[k]![i]),
        'the weights moved',
      );
    });
  });
}

test('one part gives the same step as that part split in two', () => {
  const rng = Rng.forWeights(3);
  const g = [randoms(rng, 64, 0.1)];
  const half = [g[0]!.map((x) => x / 2)];
  const state = (): AdamState => ({
    weights: [new Float32Array(64).fill(1)],
    m: [new Float32Array(64)],
    v: [new Float32Array(64)],
    step: 0,
  });
  const one = state();
  const two = state();
  adamStep(one, [g], 0.01, 1);
  adamStep(two, [half, half], 0.01, 1); // x/2 + x/2 = x exactly in float32
  assert.deepEqual(one.weights[0], two.weights[0]);
  assert.ok(
    one.weights[0]!.some((x) => x !== 1),
    'the weights moved',
  );
});

test('the parts of a step, taken one by one from src into dst, make the whole step', () => {
  const rng = Rng.forWeights(5);
  const sizes = [7, 100, 33];
  const state = (): AdamState => ({
    weights: sizes.map((n) => randoms(rng, n, 1)),
    m: sizes.map((n) => randoms(rng, n, 0.01)),
    v: sizes.map((n) => randoms(rng, n, 0.01).map(Math.abs)),
    step: 4,
  });
  const whole = state();
  const src: AdamArrays = {
    weights: whole.weights.map((w) => w.slice()),
    m: whole.m.map((x) => x.slice()),
    v: whole.v.map((x) => x.slice()),
  };
  const before = src.weights.map((w) => w.slice());
  const dst: AdamArrays = {
    weights: sizes.map((n) => new Float32Array(n)),
    m: sizes.map((n) => new Float32Array(n)),
    v: sizes.map((n) => new Float32Array(n)),
  };
  const parts = [sizes.map((n) => randoms(rng, n, 3)), sizes.map((n) => randoms(rng, n, 3))];
  adamStep(whole, parts, 0.01, 1);
  const n = 3;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += partSumOfSquares(parts, k, n);
  assert.ok(Math.abs(sum - partSumOfSquares(parts, 0, 1)) < 1e-9 * sum);
  assert.ok(clipScale(sum, 1) < 1, 'clipped');
  for (let k = 0; k < n; k++) adamUpdatePart(src, dst, parts, k, n, clipScale(sum, 1), 0.01, 5);
  sizes.forEach((_, p) => {
    assert.deepEqual(dst.weights[p], whole.weights[p]);
    assert.deepEqual(dst.m[p], whole.m[p]);
    assert.deepEqual(dst.v[p], whole.v[p]);
    assert.deepEqual(src.weights[p], before[p], 'src untouched');
  });
});

test('a shared step gives up, leaving src as it was, when another thread never publishes', () => {
  const sab = (n: number) => new Float32Array(new SharedArrayBuffer(4 * n));
  const arrays = (): AdamArrays => ({ weights: [sab(4)], m: [sab(4)], v: [sab(4)] });
  const src = arrays();
  src.weights[0]!.set([1, 2, 3, 4]);
  const a = {
    src,
    dst: arrays(),
    grads: [[sab(4)], [sab(4)]],
    sync: new Int32Array(new SharedArrayBuffer(4 * 6)),
    partials: new Float64Array(new SharedArrayBuffer(16)),
    n: 2,
    lr: 0.1,
    clipNorm: 1,
    step: 1,
    waitMs: 30,
  };
  const t0 = performance.now();
  assert.equal(sharedAdamPart(a, 0, [new Float32Array([1, 1, 1, 1])]), false);
  assert.ok(performance.now() - t0 >= 25, 'it waited for thread 1');
  assert.deepEqual([...src.weights[0]!], [1, 2, 3, 4]);
  assert.deepEqual([...a.dst.weights[0]!], [0, 0, 0, 0], 'nothing updated');
});
