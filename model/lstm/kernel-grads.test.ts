import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../core/backend';
import { Rng } from '../common/rng.js';
import {
  chunkPlan,
  kernelProducts,
  makeTailShare,
  markReady,
  reuseTailShare,
  rhsCols,
  type TailShare,
} from './kernel-grads';
import type { LstmConfig } from './types';

const config: LstmConfig = { vocabSize: 5, embeddingDim: 3, hiddenSize: 4, numLayers: 2, dropout: 0 };
const T = 7;
const G = 4 * config.hiddenSize;

/** A share of two slices (3 and 2 rows) filled with random rows, in chunks of 2 steps. */
function filledShare(): TailShare {
  const share = makeTailShare(config, [3, 2], T, true, 2);
  const rng = Rng.forWeights(5);
  for (const o of share.owners)
    for (const a of [...o.dZ, ...o.rhs]) for (let i = 0; i < a.length; i++) a[i] = rng.next() - 0.5;
  return share;
}

/** sum over both slices' rows of dZ_n^T rhs_n, layer l, [G, cols], in plain JS. */
function reference(share: TailShare, l: number): Float64Array {
  const cols = rhsCols(config, l);
  const out = new Float64Array(G * cols);
  for (const o of share.owners)
    for (let n = 0; n < T * o.rows; n++)
      for (let g = 0; g < G; g++)
        for (let c = 0; c < cols; c++) out[g * cols + c]! += o.dZ[l]![n * G + g]! * o.rhs[l]![n * cols + c]!;
  return out;
}

function sum(parts: (tf.Tensor2D | null)[][], l: number, size: number): Float64Array {
  const out = new Float64Array(size);
  for (const p of parts) {
    const v = p[l] ? p[l]!.dataSync() : null;
    if (v) v.forEach((x, i) => (out[i]! += x));
  }
  return out;
}

function assertClose(a: Float64Array, b: Float64Array): void {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  assert.ok(max < 1e-5, `max diff ${max}`);
}

test('a thread takes every chunk left of a slice whose rows are written, and each chunk counts once', async () => {
  await initBackend('cpu');
  const share = filledShare();
  markReady(share, 0);
  markReady(share, 1);
  tf.tidy(() => {
    const second = kernelProducts(config, share, 1, 0); // slice 1 first: its own chunks, then all of slice 0's
    const first = kernelProducts(config, share, 0, 0); // nothing is left for slice 0's thread
    const chunks = chunkPlan(T, 2, config.numLayers).length;
    assert.deepEqual(second.takenFrom, [chunks, 0]);
    assert.deepEqual(first.takenFrom, [0, 0]);
    assert.deepEqual(first.products, [null, null]);
    for (let l = 0; l < config.numLayers; l++) {
      const size = G * rhsCols(config, l);
      assertClose(sum([second.products, first.products], l, size), reference(share, l));
    }
  });
});

test('a slice whose rows are not written is left to its own thread', async () => {
  await initBackend('cpu');
  const share = filledShare();
  markReady(share, 0);
  tf.tidy(() => {
    const t0 = performance.now();
    const first = kernelProducts(config, share, 0, 30); // slice 1 is never marked: waits 30 ms, takes nothing
    assert.ok(performance.now() - t0 >= 25, 'it waited for slice 1');
    assert.deepEqual(first.takenFrom, [0, 0]);
    markReady(share, 1);
    const second = kernelProducts(config, share, 1, 0);
    assert.deepEqual(second.takenFrom, [0, 0], 'slice 0 was done by its own thread');
    for (let l = 0; l < config.numLayers; l++) {
      const size = G * rhsCols(config, l);
      assertClose(sum([first.products, second.products], l, size), reference(share, l));
    }
  });
});

test('a share is reused for other slice sizes within its capacity, over the same memory', () => {
  const share = makeTailShare(config, [3, 2], T, true, 2, [4, 4]);
  share.owners[1]!.dZ[0]![0] = 7;
  share.control[0] = 5;
  const again = reuseTailShare(share, config, [2, 4], T, 3)!;
  assert.deepEqual(
    again.owners.map((o) => o.rows),
    [2, 4],
  );
  assert.equal(again.owners[1]!.dZ[0]!.length, T * 4 * G);
  assert.equal(again.owners[1]!.dZ[0]![0], 7, 'the same memory');
  assert.equal(again.control[0], 0, 'control words cleared');
  assert.equal(reuseTailShare(share, config, [5, 2], T, 3), null, 'too small for 5 rows');
  assert.equal(reuseTailShare(share, config, [2, 2, 2], T, 3), null, 'three slices');
  assert.equal(reuseTailShare(share, { ...config, numLayers: 1 }, [2, 2], T, 3), null, 'one layer');
});

test('chunkPlan covers every step of every layer once, big chunks first', () => {
  for (const [T, steps, layers] of [
    [64, 8, 1],
    [64, 8, 2],
    [7, 2, 2],
    [24, 5, 3],
    [16, 16, 2],
  ] as const) {
    const plan = chunkPlan(T, steps, layers);
    for (let l = 0; l < layers; l++) {
      const mine = plan.filter((c) => c[0] === l).sort((a, b) => a[1] - b[1]);
      assert.equal(mine[0]![1], 0);
      mine.forEach((c, k) =>
        assert.equal(c[1], k ? mine[k - 1]![2] : 0, `contiguous, ${T}/${steps}/${layers}`),
      );
      assert.equal(mine[mine.length - 1]![2], T);
    }
    const sizes = plan.map((c) => c[2] - c[1]);
    assert.deepEqual(
      sizes,
      [...sizes].sort((a, b) => b - a),
      `big first: ${sizes}`,
    );
  }
  assert.deepEqual(
    chunkPlan(64, 8, 1).map((c) => c[2] - c[1]),
    [16, 16, 4, 4, 4, 4, 4, 4, 4, 4],
  );
  assert.deepEqual(chunkPlan(16, 16, 2), [
    [0, 0, 16],
    [1, 0, 16],
  ]);
});
