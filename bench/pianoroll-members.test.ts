import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runBenchmark, type BenchmarkOptions } from './pianoroll/benchmark.js';
import { fewJsbPieces, TINY_BENCHMARK } from './pianoroll/benchmark.fixture.js';
import { trainMembersInProcesses } from './pianoroll-members.js';

const data = fewJsbPieces(8, 2, 2);
const tiny: BenchmarkOptions = {
  ...TINY_BENCHMARK,
  model: { ...TINY_BENCHMARK.model, hiddenSize: 16 },
  seconds: 3,
  rows: 2,
  members: 2,
};

test('members trained in child processes come back with their weights and logs', async () => {
  const lines: string[] = [];
  const r = await runBenchmark(data, { ...tiny, onLog: (l) => lines.push(l) }, trainMembersInProcesses(2));
  const l = r.lstm!;
  assert.deepEqual(
    l.members.map((m) => m.seed),
    [1, 2],
  );
  for (const m of l.members) {
    assert.ok(m.batches >= 1 && m.log.length >= 1 && Number.isFinite(m.testNll));
    assert.ok(m.trainSeconds >= 3);
  }
  assert.ok(l.testNll < 18, `test ${l.testNll}`);
  assert.ok(lines.some((s) => s.startsWith('jsb-chorales member 1/2: ')));
  assert.ok(lines.some((s) => s.startsWith('jsb-chorales member 2/2: ')));
});

test('a member that fails in its process fails the run with its message', async () => {
  const bad = { ...tiny, clipNorm: NaN }; // refused by the trainer, which only the child creates
  await assert.rejects(
    runBenchmark(data, bad, trainMembersInProcesses(1)),
    /^Error: member 1: Trainer options: clipNorm must be a positive number/,
  );
  assert.throws(() => trainMembersInProcesses(0), /parallel must be an integer >= 1/);
});
