import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, promises as fs, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initWeights } from '../lstm/weights.js';
import { createLstmStepper } from '../lstm/stepper.js';
import { Rng } from '../common/rng.js';
import { exportTfjsLayers } from './tfjs-export.js';
import { layersFolderHandler } from './interop.fixture.js';

test("a model exported as tfjs Layers loads with tf.loadLayersModel and gives our stepper's log-probabilities (1e-4)", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ostinato-tfjs-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  const config = { vocabSize: 23, embeddingDim: 6, hiddenSize: 11, numLayers: 2, dropout: 0.3 };
  // Fresh weights have zero biases; make every bias count.
  const rng = Rng.forWeights(5);
  const weights = initWeights(config, 9).map((w) =>
    w.name.endsWith('bias') ? { ...w, data: w.data.map(() => rng.next() * 2 - 1) } : w,
  );
  const vocabulary = Array.from({ length: 23 }, (_, i) => `T${i}`);
  const files = await exportTfjsLayers(
    { name: 'x', config, weights, vocabulary, encoding: { grid: '16th' } },
    dir,
  );
  assert.deepEqual(files, ['model.json', 'group1-shard1of1.bin']);
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  assert.equal(json.format, 'layers-model');
  assert.deepEqual(json.userDefinedMetadata.ostinato.vocabulary, vocabulary);
  const layers = json.modelTopology.config.layers.map((l: { class_name: string }) => l.class_name);
  assert.deepEqual(layers, ['Embedding', 'LSTM', 'Dropout', 'LSTM', 'Dropout', 'Dense']);

  const net = await tf.loadLayersModel(layersFolderHandler(dir));
  const tokens = [1, 4, 22, 0, 7, 7, 13, 2, 19, 5];
  const probs = tf.tidy(() =>
    (net.predict(tf.tensor2d([tokens], [1, tokens.length], 'int32')) as tf.Tensor).arraySync(),
  ) as number[][][];
  net.dispose();
  const stepper = createLstmStepper(config, weights);
  let worst = 0;
  tokens.forEach((tok, i) => {
    const p = stepper.step(Int32Array.of(tok));
    for (let v = 0; v < config.vocabSize; v++)
      worst = Math.max(worst, Math.abs(Math.log(p[v]) - Math.log(probs[0][i][v])));
  });
  stepper.dispose();
  t.diagnostic(`largest |ln p ours - ln p tfjs| = ${worst.toExponential(2)}`);
  assert.ok(worst < 1e-4, `largest |ln p ours - ln p tfjs| = ${worst}`);
});
