import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  benchmarkOptionsFor,
  DEFAULT_BENCHMARK_OPTIONS,
  runBenchmark,
  TUNED_BENCHMARK_OPTIONS,
} from './benchmark.js';
import { FRAME_CODINGS } from './frames.js';
import { fewJsbPieces, TINY_BENCHMARK } from './benchmark.fixture.js';

// The whole benchmark path on a tiny model and a few JSB pieces, a few seconds of training.
for (const coding of FRAME_CODINGS)
  test(`quick benchmark (${coding}): train, select on valid, score test with renormalisation`, async () => {
    const data = fewJsbPieces();
    const lines: string[] = [];
    const r = await runBenchmark(data, { ...TINY_BENCHMARK, coding, onLog: (l) => lines.push(l) });
    const l = r.lstm!;
    assert.ok(l, 'the LSTM ran');
    assert.equal(l.coding, coding);
    assert.equal(
      r.predictedFrames.test,
      data.test.reduce((n, p) => n + p.length - 1, 0),
    );
    assert.equal(l.members.length, 1);
    const m = l.members[0];
    assert.ok(m.batches >= 1 && m.log.length >= 1);
    assert.equal(m.testNll, l.testNll);
    assert.ok(l.trainSeconds < 30);
    // Renormalising over the allowed tokens can only raise probabilities.
    assert.ok(l.testNll <= l.testNllPlainSoftmax + 1e-6, `${l.testNll} vs ${l.testNllPlainSoftmax}`);
    // Kept the best-valid weights: the exact valid score is at most the plain-softmax score that selected them.
    const bestUpper = Math.min(...m.log.map((e) => e.validNllUpper));
    assert.equal(m.bestValidNllUpper, bestUpper);
    assert.ok(l.validNll !== null && l.validNll <= bestUpper + 1e-4, `${l.validNll} vs ${bestUpper}`);
    // Untrained, every token is about 1/90 (1/178) likely: ~5 tokens x 4.5 nats = 22 nats a frame. Training must help.
    assert.ok(l.testNll < 18, `test NLL ${l.testNll}`);
    assert.ok(Number.isFinite(r.references.markov.test));
    assert.ok(lines.some((s) => s.includes('LSTM model test')));
  });

test('members: each trained with its own seed, scored alone and as a mixture', async () => {
  const data = fewJsbPieces();
  const lines: string[] = [];
  const r = await runBenchmark(data, {
    ...TINY_BENCHMARK,
    seconds: 3,
    members: 2,
    onLog: (l) => lines.push(l),
  });
  const l = r.lstm!;
  assert.deepEqual(
    l.members.map((m) => m.seed),
    [1, 2],
  );
  const [a, b] = l.members.map((m) => m.testNll);
  assert.ok(Number.isFinite(a) && Number.isFinite(b) && a !== b, `${a} ${b}`);
  // Mixing can only help, up to the renormalisation (Jensen's inequality on every token).
  assert.ok(l.testNll < (a + b) / 2 + 0.05, `mixture ${l.testNll} vs members ${a}, ${b}`);
  assert.ok(lines.some((s) => s.includes('member 2/2')));
  assert.ok(lines.some((s) => s.includes('LSTM mixture of 2 test')));
  await assert.rejects(
    runBenchmark(data, { ...TINY_BENCHMARK, members: 0 }),
    /members must be an integer >= 1/,
  );
});

test('benchmarkOptionsFor: the tuned settings for the standard sets, the defaults for any other file', () => {
  for (const name of ['jsb-chorales', 'nottingham']) {
    const o = benchmarkOptionsFor(name);
    const tuned = TUNED_BENCHMARK_OPTIONS[name];
    assert.deepEqual(o.model, { ...DEFAULT_BENCHMARK_OPTIONS.model, ...tuned.model });
    assert.equal(o.seconds, tuned.seconds ?? DEFAULT_BENCHMARK_OPTIONS.seconds);
    assert.equal(o.coding, tuned.coding ?? DEFAULT_BENCHMARK_OPTIONS.coding);
    assert.equal(o.members, tuned.members ?? DEFAULT_BENCHMARK_OPTIONS.members);
    assert.equal(o.rows, DEFAULT_BENCHMARK_OPTIONS.rows); // untouched fields come from the defaults
  }
  assert.deepEqual(benchmarkOptionsFor('my-own-set'), DEFAULT_BENCHMARK_OPTIONS);
  assert.notDeepEqual(benchmarkOptionsFor('nottingham').model, DEFAULT_BENCHMARK_OPTIONS.model);
});
