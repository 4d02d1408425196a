import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLstmTrainer, planSlices } from './trainer';
import { Rng } from '../common/rng.js';
import type { LstmConfig, TokenBatch } from './types';

// Large enough (B*T*H*H >= PARALLEL_MIN_WORK) for the batch to be split across threads.
const config: LstmConfig = { vocabSize: 11, embeddingDim: 8, hiddenSize: 256, numLayers: 1, dropout: 0.2 };

function batch(B: number, T: number, seed: number): TokenBatch {
  const rng = Rng.forWeights(seed);
  const inputs = Int32Array.from({ length: B * T }, () => Math.floor(rng.next() * 11));
  const targets = Int32Array.from({ length: B * T }, (_, k) =>
    k % 7 === 6 ? -1 : Math.floor(rng.next() * 11),
  );
  return { inputs, targets, batch: B, seqLen: T };
}

test('planSlices splits rows evenly and keeps small work on one thread', () => {
  assert.deepEqual(planSlices(config, 17, 32, 2), [
    { start: 0, rows: 9 },
    { start: 9, rows: 8 },
  ]);
  assert.deepEqual(planSlices(config, 64, 64, 16).length, 8, 'at least 8 rows per slice');
  assert.deepEqual(planSlices(config, 7, 512, 4), [{ start: 0, rows: 7 }]);
  assert.deepEqual(planSlices({ ...config, hiddenSize: 8 }, 64, 32, 2), [{ start: 0, rows: 64 }]);
});

test('two worker threads give the same training steps as one thread (dropout included)', async () => {
  const one = await createLstmTrainer(config, { clipNorm: 1, seed: 4, threads: 1 });
  const two = await createLstmTrainer(config, { clipNorm: 1, seed: 4, threads: 2 });
  for (let step = 0; step < 2; step++) {
    const b = batch(17, 16, step);
    const a = await one.trainBatch(b, 0.01);
    const c = await two.trainBatch(b, 0.01);
    assert.equal(
      (two as unknown as { lastThreads: number }).lastThreads,
      2,
      'the batch was split across 2 threads',
    );
    assert.equal((one as unknown as { lastThreads: number }).lastThreads, 1);
    assert.equal(c.tokens, a.tokens);
    assert.ok(Math.abs(a.loss - c.loss) < 1e-5, `loss ${a.loss} vs ${c.loss}`);
    assert.ok(Math.abs(a.accuracy - c.accuracy) < 1e-9);
  }
  const wa = await one.getWeights();
  const wc = await two.getWeights();
  wa.forEach((w, k) => {
    let max = 0;
    for (let i = 0; i < w.data.length; i++) max = Math.max(max, Math.abs(w.data[i]! - wc[k]!.data[i]!));
    assert.ok(max < 1e-5, `${w.name}: max diff ${max}`);
  });
  await one.dispose();
  await two.dispose();
});

test('the worker pool grows when a later batch can use more threads', async () => {
  const small: LstmConfig = { ...config, dropout: 0 };
  const t = await createLstmTrainer(small, { clipNorm: 1, seed: 4, threads: 3 });
  const threads = () => (t as unknown as { lastThreads: number }).lastThreads;
  await t.trainBatch(batch(16, 16, 1), 0.01);
  assert.equal(threads(), 2);
  const r = await t.trainBatch(batch(24, 16, 2), 0.01);
  assert.equal(threads(), 3);
  assert.ok(Number.isFinite(r.loss) && r.tokens > 0);
  await t.trainBatch(batch(24, 16, 3), 0.01);
  assert.equal(threads(), 3, 'the grown pool stays in use');
  await t.dispose();
});
