import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyTraining } from '../state.js';
import { applyTrainingEvent } from './training-events.js';

test('training events build the progress and the loss curves', () => {
  let t = emptyTraining();
  t = applyTrainingEvent(t, {
    type: 'started',
    modelId: 'm1',
    backend: 'wasm',
    totalEpochs: 2,
    parameters: 12000,
  });
  assert.equal(t.running, true);
  assert.equal(t.modelId, 'm1');
  assert.match(t.message, /wasm/);
  t = applyTrainingEvent(t, {
    type: 'batch',
    epoch: 1,
    batch: 5,
    batchesPerEpoch: 10,
    loss: 3.2,
    tokensPerSecond: 600,
    progress: 0.25,
    etaSeconds: 30,
  });
  t = applyTrainingEvent(t, {
    type: 'batch',
    epoch: 1,
    batch: 10,
    batchesPerEpoch: 10,
    loss: Number.NaN,
    tokensPerSecond: 600,
    progress: 0.5,
    etaSeconds: 20,
  });
  assert.deepEqual(t.batchLoss, [{ x: 0.5, y: 3.2 }]); // NaN loss is not drawn
  assert.equal(t.progress, 0.5);
  assert.equal(t.etaSeconds, 20);
  t = applyTrainingEvent(t, {
    type: 'epoch',
    epoch: 1,
    trainLoss: 3,
    trainAccuracy: 0.2,
    valLoss: 3.3,
    valAccuracy: 0.18,
    checkpointSaved: true,
  });
  assert.deepEqual(t.trainLoss, [{ x: 1, y: 3 }]);
  assert.deepEqual(t.valLoss, [{ x: 1, y: 3.3 }]);
  assert.match(t.message, /checkpoint saved/);
  const cancelled = applyTrainingEvent(t, { type: 'done', modelId: 'm1', reason: 'cancelled' });
  assert.equal(cancelled.running, false);
  assert.equal(cancelled.progress, 0.5);
  assert.match(cancelled.message, /cancelled/);
  const done = applyTrainingEvent(t, { type: 'done', modelId: 'm1', reason: 'completed' });
  assert.equal(done.progress, 1);
  const failed = applyTrainingEvent(t, { type: 'error', message: 'out of memory' });
  assert.equal(failed.running, false);
  assert.match(failed.message, /out of memory/);
});
