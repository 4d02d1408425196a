import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { backward, disposeDeviceBatch, forward, scoreLogits, toDeviceBatch, type ParamMap } from './graph';
import { readView } from './heap';
import { initWeights } from './weights';
import { Rng } from '../common/rng.js';
import { initBackend } from '../core/backend';
import type { LstmConfig } from './types';
import { ownTail } from './kernel-grads';

/** The same model built from tfjs layers: one-hot -> dense (no bias) -> lstm x L -> dense. */
function layersModel(config: LstmConfig, weights: Map<string, tf.Tensor>, T: number): tf.LayersModel {
  const input = tf.input({ shape: [T, config.vocabSize] });
  const emb = tf.layers.dense({ units: config.embeddingDim, useBias: false });
  let x = emb.apply(input) as tf.SymbolicTensor;
  const lstms: tf.layers.Layer[] = [];
  for (let l = 0; l < config.numLayers; l++) {
    const layer = tf.layers.lstm({
      units: config.hiddenSize,
      returnSequences: true,
      recurrentActivation: 'sigmoid',
    });
    x = layer.apply(x) as tf.SymbolicTensor;
    lstms.push(layer);
  }
  const out = tf.layers.dense({ units: config.vocabSize });
  const logits = out.apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: logits });
  emb.setWeights([weights.get('embedding')!]);
  lstms.forEach((layer, l) =>
    layer.setWeights([
      weights.get(`lstm_${l}/kernel`)!,
      weights.get(`lstm_${l}/recurrent_kernel`)!,
      weights.get(`lstm_${l}/bias`)!,
    ]),
  );
  out.setWeights([weights.get('output/kernel')!, weights.get('output/bias')!]);
  return model;
}

function randomBatch(V: number, B: number, T: number, seed: number, padEvery = 0) {
  const rng = Rng.forWeights(seed);
  const inputs = new Int32Array(B * T);
  const targets = new Int32Array(B * T);
  for (let k = 0; k < B * T; k++) {
    inputs[k] = Math.floor(rng.next() * V);
    targets[k] = padEvery && k % padEvery === padEvery - 1 ? -1 : Math.floor(rng.next() * V);
  }
  return { inputs, targets };
}

for (const [numLayers, backend] of [
  [1, 'cpu'],
  [2, 'cpu'],
  [2, 'wasm'],
] as const) {
  test(`hand-written gradients (${backend}) match tfjs layers.lstm (${numLayers} layer${numLayers > 1 ? 's' : ''}, 1e-4)`, async () => {
    await initBackend('wasm'); // registers and initialises wasm once (sets its .wasm path)
    await tf.setBackend(backend);
    const config: LstmConfig = { vocabSize: 7, embeddingDim: 5, hiddenSize: 6, numLayers, dropout: 0 };
    const B = 3;
    const T = 5;
    const w = initWeights(config, 42);
    // Perturb the biases so that every gate path carries a gradient.
    const rng = Rng.forWeights(9);
    for (const x of w)
      if (x.name.endsWith('bias')) for (let k = 0; k < x.data.length; k++) x.data[k]! += rng.next() - 0.5;
    const params: ParamMap = new Map(w.map((x) => [x.name, tf.tensor(x.data, x.shape)]));
    const { inputs, targets } = randomBatch(config.vocabSize, B, T, 3, 4);
    const count = [...targets].filter((y) => y >= 0).length;

    const ours = tf.tidy(() => {
      const db = toDeviceBatch(config, inputs, targets, B, T);
      const fwd = forward(config, params, db, []);
      const { grads: g } = backward(config, params, db, [], fwd, count, ownTail(config, B, T));
      const loss = tf.scalar(scoreLogits(readView(fwd.logits), db.targets, config.vocabSize).nll / count);
      disposeDeviceBatch(db);
      return { g: Object.fromEntries(g), loss };
    });
    // The reference always runs on the cpu backend.
    await tf.setBackend('cpu');

    const model = layersModel(config, params, T);
    const x = tf.oneHot(tf.tensor2d(inputs, [B, T], 'int32'), config.vocabSize).toFloat();
    const y = tf.oneHot(tf.tensor2d(targets, [B, T], 'int32'), config.vocabSize).toFloat(); // -1 -> zero row
    const vars = model.trainableWeights.map((v) => v.read() as tf.Variable);
    const ref = tf.variableGrads(() => {
      const logits = model.apply(x) as tf.Tensor;
      return tf.div(tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), y))), count) as tf.Scalar;
    }, vars);
    const refNames = ['embedding'];
    for (let l = 0; l < numLayers; l++)
      refNames.push(`lstm_${l}/kernel`, `lstm_${l}/recurrent_kernel`, `lstm_${l}/bias`);
    refNames.push('output/kernel', 'output/bias');
    assert.ok(Math.abs(ours.loss.dataSync()[0]! - ref.value.dataSync()[0]!) < 1e-5, 'loss matches');
    vars.forEach((v, k) => {
      const name = refNames[k]!;
      const a = ours.g[name]!.dataSync();
      const b = ref.grads[v.name]!.dataSync();
      assert.equal(a.length, b.length, name);
      let maxAbs = 0;
      let maxDiff = 0;
      for (let i = 0; i < a.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
        maxAbs = Math.max(maxAbs, Math.abs(b[i]!));
      }
      assert.ok(maxAbs > 1e-4, `${name}: reference gradient is not trivially zero`);
      assert.ok(maxDiff < 1e-4, `${name}: max |diff| ${maxDiff}`);
    });
    model.dispose();
    for (const t of params.values()) t.dispose();
  });
}

test('scoreLogits gives the NLL of tf.logSoftmax and the hits of tf.argMax, skipping padding', async () => {
  await initBackend('cpu');
  const V = 9;
  const rows = 40;
  const rng = Rng.forWeights(11);
  const logits = Float32Array.from({ length: rows * V }, () => (rng.next() - 0.5) * 30);
  logits.fill(2.5, 3 * V, 4 * V); // a row of ties: the first maximum counts
  const targets = Int32Array.from({ length: rows }, (_, n) => (n % 5 === 4 ? -1 : n % V));
  targets[3] = 0;
  const { nll, correct } = scoreLogits(logits, targets, V);
  const t = tf.tensor2d(logits, [rows, V]);
  const lsm = tf.logSoftmax(t).arraySync() as number[][];
  const arg = tf.argMax(t, 1).arraySync() as number[];
  let refNll = 0;
  let refCorrect = 0;
  targets.forEach((y, n) => {
    if (y < 0) return;
    refNll -= lsm[n]![y]!;
    if (arg[n] === y) refCorrect++;
  });
  assert.ok(Math.abs(nll - refNll) < 1e-4 * Math.abs(refNll), `${nll} vs ${refNll}`);
  assert.equal(correct, refCorrect);
  assert.ok(correct >= 1, 'row 3 (all ties, target 0) is a hit');
});
