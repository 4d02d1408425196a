import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { loadPianoRoll, standardDatasetPath } from './data.js';
import {
  benchmarkOptionsFor,
  DEFAULT_BENCHMARK_OPTIONS,
  runBenchmark,
  TUNED_BENCHMARK_OPTIONS,
} from './benchmark.js';

const repoRoot = resolve(__dirname, '../..');

// The whole benchmark path on a tiny model and a few JSB pieces, a few seconds of training.
test('quick benchmark: train, select on valid, score test with renormalisation', async () => {
  const full = loadPianoRoll(standardDatasetPath(repoRoot, 'jsb-chorales'));
  const data = {
    ...full,
    train: full.train.slice(0, 12),
    valid: full.valid.slice(0, 3),
    test: full.test.slice(0, 3),
  };
  const lines: string[] = [];
  const r = await runBenchmark(data, {
    ...DEFAULT_BENCHMARK_OPTIONS,
    model: { embeddingDim: 8, hiddenSize: 24, numLayers: 1, dropout: 0 },
    learningRate: 0.01,
    batchSize: 8,
    seqLen: 32,
    seconds: 4,
    validEvery: 10,
    rows: 3,
    onLog: (l) => lines.push(l),
  });
  const l = r.lstm!;
  assert.ok(l, 'the LSTM ran');
  assert.equal(
    r.predictedFrames.test,
    data.test.reduce((n, p) => n + p.length - 1, 0),
  );
  assert.ok(l.batches >= 1 && l.log.length >= 1);
  assert.ok(l.trainSeconds < 30);
  // Renormalising over the allowed tokens can only raise probabilities.
  assert.ok(l.testNll <= l.testNllPlainSoftmax + 1e-6, `${l.testNll} vs ${l.testNllPlainSoftmax}`);
  // Kept the best-valid weights: the exact valid score is at most the plain-softmax score that selected them.
  const bestUpper = Math.min(...l.log.map((e) => e.validNllUpper));
  assert.ok(l.validNll !== null && l.validNll <= bestUpper + 1e-4, `${l.validNll} vs ${bestUpper}`);
  // Untrained, every token is about 1/90 likely: ~5 tokens x 4.5 nats = 22 nats a frame. Training must help.
  assert.ok(l.testNll < 18, `test NLL ${l.testNll}`);
  assert.ok(Number.isFinite(r.references.markov.test));
  assert.ok(lines.some((s) => s.includes('LSTM test')));
});

test('benchmarkOptionsFor: the tuned settings for the standard sets, the defaults for any other file', () => {
  for (const name of ['jsb-chorales', 'nottingham']) {
    const o = benchmarkOptionsFor(name);
    const tuned = TUNED_BENCHMARK_OPTIONS[name];
    assert.deepEqual(o.model, { ...DEFAULT_BENCHMARK_OPTIONS.model, ...tuned.model });
    assert.equal(o.seconds, tuned.seconds ?? DEFAULT_BENCHMARK_OPTIONS.seconds);
    assert.equal(o.rows, DEFAULT_BENCHMARK_OPTIONS.rows); // untouched fields come from the defaults
  }
  assert.deepEqual(benchmarkOptionsFor('my-own-set'), DEFAULT_BENCHMARK_OPTIONS);
  assert.notDeepEqual(benchmarkOptionsFor('nottingham').model, DEFAULT_BENCHMARK_OPTIONS.model);
});
