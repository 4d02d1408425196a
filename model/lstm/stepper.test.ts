import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLstmStepper } from './stepper';
import { initBackend } from '../core/backend';
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

test('the tfjs (wasm) engine gives the same probabilities as the JavaScript engine, batch or not', async () => {
  await initBackend('wasm');
  const w = initWeights(config, 13);
  const fast = createLstmStepper(config, w);
  process.env.OSTINATO_STEPPER = 'js';
  const js = createLstmStepper(config, w);
  delete process.env.OSTINATO_STEPPER;
  assert.equal((fast as unknown as { engine: string }).engine, 'tfjs');
  assert.equal((js as unknown as { engine: string }).engine, 'js');
  fast.reset(3);
  for (let t = 0; t < 5; t++) {
    const tokens = Int32Array.of(t, (t * 3) % 9, 8 - t);
    const p = fast.step(tokens, 0.9);
    for (let b = 0; b < 3; b++) {
      const q = createLstmStepper(config, w);
      q.reset(1);
      // Replay row b alone from the start to compare with the batched row.
      let last: Float32Array = new Float32Array(0);
      for (let s = 0; s <= t; s++) last = q.step(Int32Array.of([s, (s * 3) % 9, 8 - s][b]!), 0.9);
      q.dispose();
      for (let v = 0; v < 9; v++) assert.ok(Math.abs(p[b * 9 + v]! - last[v]!) < 1e-5, `t=${t} row ${b}`);
    }
  }
  const a = createLstmStepper(config, w);
  a.reset(1);
  js.reset(1);
  for (const tok of [1, 5, 2, 7]) {
    const pa = a.step(Int32Array.of(tok));
    const pj = js.step(Int32Array.of(tok));
    for (let v = 0; v < 9; v++) assert.ok(Math.abs(pa[v]! - pj[v]!) < 1e-5);
  }
  for (const s of [fast, js, a]) s.dispose();
});
