import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLstmStepper } from './stepper';
import { initWeights } from './weights';
import type { LstmConfig } from './types';

const config: LstmConfig = { vocabSize: 9, embeddingDim: 5, hiddenSize: 7, numLayers: 3, dropout: 0 };

test('a batch of variations equals separate runs, row by row', () => {
  const w = initWeights(config, 11);
  const seqs = [
    [1, 2, 3, 4, 5, 6],
    [8, 0, 8, 0, 8, 0],
    [3, 3, 3, 1, 2, 7],
  ];
  const together = createLstmStepper(config, w);
  together.reset(3);
  const alone = createLstmStepper(config, w);
  const outs: Float32Array[] = [];
  for (let t = 0; t < 6; t++) outs.push(together.step(Int32Array.from(seqs.map((s) => s[t]!)), 0.8));
  seqs.forEach((s, b) => {
    alone.reset(1);
    s.forEach((tok, t) => {
      const p = alone.step(Int32Array.of(tok), 0.8);
      assert.deepEqual(Array.from(p), Array.from(outs[t]!.subarray(b * 9, b * 9 + 9)));
    });
  });
});

test('broadcastRow fans out a primed state; temperature sharpens; probabilities sum to 1', () => {
  const w = initWeights(config, 12);
  const s = createLstmStepper(config, w);
  s.reset(4);
  s.step(Int32Array.of(1, 2, 3, 4));
  s.step(Int32Array.of(5, 6, 7, 8));
  s.broadcastRow(2);
  const p = s.step(Int32Array.of(0, 0, 0, 0));
  for (let b = 0; b < 4; b++)
    assert.deepEqual(Array.from(p.subarray(b * 9, b * 9 + 9)), Array.from(p.subarray(18, 27)));
  const sum = p.subarray(0, 9).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - 1) < 1e-5);
  const ref = createLstmStepper(config, w);
  ref.reset(1);
  const hot = ref.step(Int32Array.of(1), 2);
  ref.reset(1);
  const cold = ref.step(Int32Array.of(1), 0.5);
  assert.ok(Math.max(...cold) > Math.max(...hot));
});

test('bad input gets clear messages', () => {
  const s = createLstmStepper(config, initWeights(config, 1));
  s.reset(2);
  assert.throws(() => s.step(Int32Array.of(1)), /expected 2 tokens/);
  assert.throws(() => s.step(Int32Array.of(1, 9)), /token 9/);
  assert.throws(() => s.step(Int32Array.of(1, 2), 0), /temperature/);
  assert.throws(() => s.broadcastRow(2), /row 2/);
  assert.throws(() => createLstmStepper({ ...config, hiddenSize: 8 }, initWeights(config, 1)), /shape/);
  s.dispose();
  assert.throws(() => s.step(Int32Array.of(1, 2)), /after dispose/);
});
