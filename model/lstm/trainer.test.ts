import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { createLstmTrainer } from './trainer';
import { createLstmStepper } from './stepper';
import { countParameters } from './weights';
import { disposeDeviceBatch, forward, toDeviceBatch, type ParamMap } from './graph';
import type { LstmConfig, TokenBatch } from './types';

const config: LstmConfig = { vocabSize: 6, embeddingDim: 4, hiddenSize: 8, numLayers: 2, dropout: 0.1 };

function repeatingBatch(B: number, T: number): TokenBatch {
  const pattern = [0, 1, 2, 3, 4, 5, 4, 3, 2, 1];
  const inputs = new Int32Array(B * T);
  const targets = new Int32Array(B * T);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      inputs[b * T + t] = pattern[(b + t) % pattern.length]!;
      targets[b * T + t] = t === T - 1 && b === 0 ? -1 : pattern[(b + t + 1) % pattern.length]!;
    }
  }
  return { inputs, targets, batch: B, seqLen: T };
}

test('countParameters counts every weight', () => {
  // embedding 6*4, layer 0: 4*32 + 8*32 + 32, layer 1: 8*32 + 8*32 + 32, output 8*6 + 6
  assert.equal(countParameters(config), 24 + 128 + 256 + 32 + 256 + 256 + 32 + 48 + 6);
  assert.throws(() => countParameters({ ...config, numLayers: 4 }), /numLayers/);
});

test('loss decreases on a tiny repeating sequence and accuracy rises', async () => {
  const trainer = await createLstmTrainer(config, { clipNorm: 5, seed: 1 });
  const batch = repeatingBatch(4, 12);
  const first = await trainer.trainBatch(batch, 0.02);
  let last = first;
  for (let i = 0; i < 100; i++) last = await trainer.trainBatch(batch, 0.03);
  assert.equal(first.tokens, 4 * 12 - 1);
  assert.ok(first.loss > 1.5, `initial loss ${first.loss} near ln 6`);
  assert.ok(last.loss < first.loss * 0.5, `loss ${first.loss} -> ${last.loss}`);
  assert.ok(last.accuracy > 0.8, `accuracy ${last.accuracy}`);
  await trainer.dispose();
});

test('getWeights/setWeights round trip and same seed gives the same weights', async () => {
  const a = await createLstmTrainer(config, { clipNorm: 1, seed: 5 });
  const b = await createLstmTrainer(config, { clipNorm: 1, seed: 5 });
  const c = await createLstmTrainer(config, { clipNorm: 1, seed: 6 });
  const wa = await a.getWeights();
  assert.deepEqual(
    wa.map((w) => w.name),
    [
      'embedding',
      'lstm_0/kernel',
      'lstm_0/recurrent_kernel',
      'lstm_0/bias',
      'lstm_1/kernel',
      'lstm_1/recurrent_kernel',
      'lstm_1/bias',
      'output/kernel',
      'output/bias',
    ],
  );
  assert.deepEqual(await b.getWeights(), wa);
  assert.notDeepEqual(await c.getWeights(), wa);
  await a.trainBatch(repeatingBatch(2, 5), 0.01);
  const trained = await a.getWeights();
  await c.setWeights(trained);
  assert.deepEqual(await c.getWeights(), trained);
  await assert.rejects(c.setWeights(trained.slice(1)), /"embedding" is missing/);
  const bad = trained.map((w) =>
    w.name === 'output/bias' ? { ...w, shape: [5], data: new Float32Array(5) } : w,
  );
  await assert.rejects(c.setWeights(bad), /output\/bias.*shape/);
  for (const t of [a, b, c]) await t.dispose();
});

test('optimizer-state resume gives an identical next step (dropout included)', async () => {
  const batch = repeatingBatch(3, 7);
  const a = await createLstmTrainer(config, { clipNorm: 1, seed: 2 });
  for (let i = 0; i < 3; i++) await a.trainBatch(batch, 0.01);
  const weights = await a.getWeights();
  const state = await a.getOptimizerState();
  const b = await createLstmTrainer(config, { clipNorm: 1, seed: 99 });
  await b.setWeights(weights);
  await b.setOptimizerState(state);
  const sa = await a.trainBatch(batch, 0.01);
  const sb = await b.trainBatch(batch, 0.01);
  assert.deepEqual(sb, sa);
  assert.deepEqual(await b.getWeights(), await a.getWeights());
  // Without the optimizer state the step differs.
  const c = await createLstmTrainer(config, { clipNorm: 1, seed: 2 });
  await c.setWeights(weights);
  await c.trainBatch(batch, 0.01);
  assert.notDeepEqual(await c.getWeights(), await a.getWeights());
  await assert.rejects(b.setOptimizerState(state.filter((s) => s.name !== 'adam/step')), /adam\/step/);
  for (const t of [a, b, c]) await t.dispose();
});

test('bad batches get clear messages', async () => {
  const t = await createLstmTrainer(config, { clipNorm: 1, seed: 2 });
  const b = repeatingBatch(2, 3);
  await assert.rejects(
    t.trainBatch({ ...b, inputs: new Int32Array([0, 1, 9, 0, 0, 0]) }, 0.01),
    /input id 9/,
  );
  await assert.rejects(t.trainBatch({ ...b, seqLen: 4 }, 0.01), /batch\*seqLen/);
  await assert.rejects(t.trainBatch(b, -1), /learning rate/);
  const empty = await t.trainBatch({ ...b, targets: new Int32Array(6).fill(-1) }, 0.01);
  assert.deepEqual(empty, { loss: 0, accuracy: 0, tokens: 0 });
  await t.dispose();
});

test('a trained model loads into the stepper and gives the training-graph probabilities', async () => {
  const trainer = await createLstmTrainer(config, { clipNorm: 5, seed: 3 });
  const batch = repeatingBatch(3, 9);
  for (let i = 0; i < 5; i++) await trainer.trainBatch(batch, 0.02);
  const weights = await trainer.getWeights();
  const evalStats = await trainer.evaluateBatch(batch);
  const params: ParamMap = new Map(weights.map((w) => [w.name, tf.tensor(w.data, w.shape)]));
  const probs = tf.tidy(() => {
    const db = toDeviceBatch(config, batch.inputs, batch.targets, batch.batch, batch.seqLen);
    const p = tf.softmax(forward(config, params, db, []).logits).arraySync() as number[][];
    disposeDeviceBatch(db);
    return p;
  });
  const stepper = createLstmStepper(config, weights);
  stepper.reset(batch.batch);
  let nll = 0;
  for (let t = 0; t < batch.seqLen; t++) {
    const tokens = new Int32Array(batch.batch);
    for (let b = 0; b < batch.batch; b++) tokens[b] = batch.inputs[b * batch.seqLen + t]!;
    const p = stepper.step(tokens);
    for (let b = 0; b < batch.batch; b++) {
      const row = probs[t * batch.batch + b]!;
      for (let v = 0; v < config.vocabSize; v++) {
        assert.ok(Math.abs(p[b * config.vocabSize + v]! - row[v]!) < 1e-5, `t=${t} b=${b} v=${v}`);
      }
      const y = batch.targets[b * batch.seqLen + t]!;
      if (y >= 0) nll -= Math.log(p[b * config.vocabSize + y]!);
    }
  }
  assert.ok(Math.abs(nll - evalStats.nllSum) < 1e-3 * evalStats.count, `${nll} vs ${evalStats.nllSum}`);
  for (const t of params.values()) t.dispose();
  await trainer.dispose();
});
