import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLstmStepper } from './stepper';
import { createMixtureStepper } from './mixture-stepper';
import { initWeights } from './weights';
import type { LstmConfig } from './types';

const small: LstmConfig = { vocabSize: 6, embeddingDim: 4, hiddenSize: 5, numLayers: 1, dropout: 0 };
const large: LstmConfig = { vocabSize: 6, embeddingDim: 3, hiddenSize: 8, numLayers: 2, dropout: 0 };

test('a mixture returns the mean of its members, row by row, step by step', () => {
  const a = createLstmStepper(small, initWeights(small, 1));
  const b = createLstmStepper(large, initWeights(large, 2));
  const mix = createMixtureStepper([
    createLstmStepper(small, initWeights(small, 1)),
    createLstmStepper(large, initWeights(large, 2)),
  ]);
  a.reset(2);
  b.reset(2);
  mix.reset(2);
  for (const tokens of [
    [0, 5],
    [3, 3],
    [1, 2],
  ]) {
    const x = Int32Array.from(tokens);
    const pa = Array.from(a.step(x));
    const pb = Array.from(b.step(x));
    const pm = Array.from(mix.step(x));
    pm.forEach((p, i) => assert.ok(Math.abs(p - (pa[i] + pb[i]) / 2) < 1e-7, `${i}: ${p}`));
    for (let r = 0; r < 2; r++) {
      const sum = pm.slice(r * 6, r * 6 + 6).reduce((s, p) => s + p, 0);
      assert.ok(Math.abs(sum - 1) < 1e-5);
    }
    assert.notDeepEqual(pa, pb, 'the members differ, so the test can see the mean');
  }
  mix.broadcastRow(1);
  const p = mix.step(Int32Array.of(4, 4));
  assert.deepEqual(Array.from(p.subarray(0, 6)), Array.from(p.subarray(6, 12)));
  mix.dispose();
  assert.throws(() => mix.step(Int32Array.of(0)), /after dispose/);
});

test('a mixture of one is that member; members must share the vocabulary', () => {
  const one = createLstmStepper(small, initWeights(small, 3));
  assert.equal(createMixtureStepper([one]), one);
  assert.throws(() => createMixtureStepper([]), /at least one member/);
  const other = createLstmStepper({ ...small, vocabSize: 7 }, initWeights({ ...small, vocabSize: 7 }, 3));
  assert.throws(() => createMixtureStepper([one, other]), /disagree on the vocabulary: 7 vs 6/);
});
