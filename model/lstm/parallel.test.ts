import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../core/backend';
import { createLstmTrainer, planSlices } from './trainer';
import { GradientPool } from './parallel';
import { computeSliceGradients, type SliceJob } from './slice';
import { initWeights, weightSpecs } from './weights';
import { Rng } from '../common/rng.js';
import type { LstmConfig, TokenBatch } from './types';

// Large enough (B*T*H*H >= PARALLEL_MIN_WORK) for the batch to be split across threads.
const config: LstmConfig = { vocabSize: 11, embeddingDim: 8, hiddenSize: 256, numLayers: 1, dropout: 0.2 };

function batch(B: number, T: number, seed: number): TokenBatch {
  const rng = Rng.forWeights(seed);
  const inputs = Int32Array.from({ length: B * T }, () => Math.floor(rng.next() * 11));
  const targets = Int32Array.from({ length: B * T }, (_, k) =>
    k % 7 === 6 ? -1 : Math.floor(rng.next() * 11),
  );
  return { inputs, targets, batch: B, seqLen: T };
}

test('planSlices splits rows evenly and keeps small work on one thread', () => {
  assert.deepEqual(planSlices(config, 17, 32, 2), [
    { start: 0, rows: 9 },
    { start: 9, rows: 8 },
  ]);
  assert.deepEqual(planSlices(config, 64, 64, 16).length, 8, 'at least 8 rows per slice');
  assert.deepEqual(planSlices(config, 7, 512, 4), [{ start: 0, rows: 7 }]);
  assert.deepEqual(planSlices({ ...config, hiddenSize: 8 }, 64, 32, 2), [{ start: 0, rows: 64 }]);
});

test('planSlices moves rows to or from this thread by the bias, within half a slice and the minimum', () => {
  const rows = (B: number, threads: number, bias: number) =>
    planSlices(config, B, 64, threads, bias).map((s) => s.rows);
  assert.deepEqual(rows(64, 2, 5), [37, 27]);
  assert.deepEqual(rows(64, 2, -5), [27, 37]);
  assert.deepEqual(rows(64, 2, 100), [48, 16], 'at most half an even slice');
  assert.deepEqual(rows(64, 3, 4), [26, 19, 19]);
  assert.deepEqual(rows(17, 2, 4), [9, 8], 'no slice below MIN_ROWS_PER_SLICE');
  const s = planSlices(config, 64, 64, 3, -3);
  assert.deepEqual(
    s.map((x) => x.start),
    [0, s[0]!.rows, s[0]!.rows + s[1]!.rows],
    'contiguous',
  );
  assert.equal(
    s.reduce((a, x) => a + x.rows, 0),
    64,
  );
});

// The second case has several chunks of the summed weight gradients per slice (TAIL_CHUNK_ROWS),
// which either thread may take, and a second layer (its kernel gradient is among them).
for (const [label, cfg, B, T] of [
  ['one chunk per slice', config, 17, 16],
  ['2 layers, 6 chunks per slice', { ...config, hiddenSize: 128, numLayers: 2 }, 64, 24],
] as const)
  test(`two helpers give the same training steps as one thread (dropout included; ${label})`, async () => {
    const one = await createLstmTrainer(cfg, { clipNorm: 1, seed: 4, threads: 1 });
    const two = await createLstmTrainer(cfg, { clipNorm: 1, seed: 4, threads: 2 });
    for (let step = 0; step < 2; step++) {
      const b = batch(B, T, step);
      const a = await one.trainBatch(b, 0.01);
      const c = await two.trainBatch(b, 0.01);
      assert.equal(
        (two as unknown as { lastThreads: number }).lastThreads,
        2,
        'the batch was split across 2 threads',
      );
      assert.equal((one as unknown as { lastThreads: number }).lastThreads, 1);
      assert.equal(c.tokens, a.tokens);
      assert.ok(Math.abs(a.loss - c.loss) < 1e-5, `loss ${a.loss} vs ${c.loss}`);
      assert.ok(Math.abs(a.accuracy - c.accuracy) < 1e-9);
    }
    const wa = await one.getWeights();
    const wc = await two.getWeights();
    wa.forEach((w, k) => {
      let max = 0;
      for (let i = 0; i < w.data.length; i++) max = Math.max(max, Math.abs(w.data[i]! - wc[k]!.data[i]!));
      assert.ok(max < 1e-5, `${w.name}: max diff ${max}`);
    });
    await one.dispose();
    await two.dispose();
  });

test('the worker pool grows when a later batch can use more threads', async () => {
  const small: LstmConfig = { ...config, dropout: 0 };
  const t = await createLstmTrainer(small, { clipNorm: 1, seed: 4, threads: 3 });
  const threads = () => (t as unknown as { lastThreads: number }).lastThreads;
  await t.trainBatch(batch(16, 16, 1), 0.01);
  assert.equal(threads(), 2);
  const r = await t.trainBatch(batch(24, 16, 2), 0.01);
  assert.equal(threads(), 3);
  assert.ok(Number.isFinite(r.loss) && r.tokens > 0);
  await t.trainBatch(batch(24, 16, 3), 0.01);
  assert.equal(threads(), 3, 'the grown pool stays in use');
  await t.dispose();
});

test('thread and process helpers compute the same slice gradients as this thread', async () => {
  const small: LstmConfig = { ...config, hiddenSize: 32 };
  const weights = initWeights(small, 3);
  const specs = weightSpecs(small);
  const arrays = specs.map((s) => weights.find((w) => w.name === s.name)!.data as Float32Array);
  const b = batch(5, 12, 9);
  const job: SliceJob = {
    weights: arrays,
    inputs: b.inputs,
    targets: b.targets,
    rows: 5,
    T: 12,
    normalizer: 50,
  };
  await initBackend();
  const params = new Map(specs.map((s, k) => [s.name, tf.tensor(arrays[k]!, s.shape)]));
  const here = computeSliceGradients(small, params, job);
  for (const t of params.values()) t.dispose();
  for (const kind of ['thread', 'process'] as const) {
    const pool = await GradientPool.start(small, 1, tf.getBackend(), 60_000, kind);
    try {
      assert.equal(pool.kind, kind);
      const there = await pool.run(0, job);
      assert.ok(Math.abs(there.nll - here.nll) < 1e-4, `${kind}: nll ${there.nll} vs ${here.nll}`);
      assert.equal(there.correct, here.correct);
      here.grads.forEach((g, k) => {
        let max = 0;
        for (let i = 0; i < g.length; i++) max = Math.max(max, Math.abs(g[i]! - there.grads[k]![i]!));
        assert.ok(max < 1e-6, `${kind}: ${specs[k]!.name} max diff ${max}`);
      });
    } finally {
      await pool.dispose();
    }
  }
});

test(
  'a helper process exits when the process that started it is killed',
  { skip: process.platform !== 'linux' },
  async () => {
    const script = [
      `const { GradientPool } = require(${JSON.stringify(join(__dirname, 'parallel.ts'))});`,
      `GradientPool.start(${JSON.stringify({ ...config, hiddenSize: 16 })}, 1, 'cpu', 60000, 'process')`,
      `  .then(() => { console.log('ready'); setInterval(() => {}, 1000); });`,
    ].join('\n');
    const parent = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      parent.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      parent.once('exit', (code) => reject(new Error(`exited early (${code})`)));
    });
    const children = readFileSync(`/proc/${parent.pid}/task/${parent.pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    assert.equal(children.length, 1, 'one helper process');
    const helper = children[0]!;
    parent.kill('SIGKILL');
    const alive = () =>
      existsSync(`/proc/${helper}`) &&
      !/^\S+ \S+ Z/.test(readFileSync(`/proc/${helper}/stat`, 'utf8').replace(/\(.*\)/, 'x'));
    const deadline = Date.now() + 10_000;
    while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(alive(), false, 'the helper process is gone after its parent was killed');
  },
);

test('when a helper thread dies, its batch is computed on this thread and training goes on there', async () => {
  const cfg: LstmConfig = { ...config, hiddenSize: 128, numLayers: 2 };
  const one = await createLstmTrainer(cfg, { clipNorm: 1, seed: 4, threads: 1 });
  const two = await createLstmTrainer(cfg, { clipNorm: 1, seed: 4, threads: 2 });
  const internals = two as unknown as {
    lastThreads: number;
    pool: { slots: { helper: { terminate(): Promise<void> } }[] } | null;
  };
  for (let step = 0; step < 3; step++) {
    if (step === 1) await internals.pool!.slots[0]!.helper.terminate();
    const b = batch(64, 24, step);
    const a = await one.trainBatch(b, 0.01);
    const c = await two.trainBatch(b, 0.01);
    assert.ok(Math.abs(a.loss - c.loss) < 1e-5, `step ${step}: loss ${a.loss} vs ${c.loss}`);
    assert.equal(internals.lastThreads, step === 0 ? 2 : step === 1 ? 2 : 1, `step ${step}`);
  }
  assert.equal(internals.pool, null, 'the failed pool is gone');
  const wa = await one.getWeights();
  const wc = await two.getWeights();
  wa.forEach((w, k) => {
    let max = 0;
    for (let i = 0; i < w.data.length; i++) max = Math.max(max, Math.abs(w.data[i]! - wc[k]!.data[i]!));
    assert.ok(max < 1e-5, `${w.name}: max diff ${max}`);
  });
  await one.dispose();
  await two.dispose();
});

test('when helpers cannot start, training goes on on one thread', async () => {
  const saved = process.env.OSTINATO_LSTM_WORKER;
  process.env.OSTINATO_LSTM_WORKER = join(__dirname, 'no-such-helper.js');
  try {
    const t = await createLstmTrainer(config, { clipNorm: 1, seed: 4, threads: 2 });
    const r = await t.trainBatch(batch(16, 16, 1), 0.01);
    assert.equal((t as unknown as { lastThreads: number }).lastThreads, 1);
    assert.ok(Number.isFinite(r.loss) && r.tokens > 0);
    await t.dispose();
  } finally {
    if (saved === undefined) delete process.env.OSTINATO_LSTM_WORKER;
    else process.env.OSTINATO_LSTM_WORKER = saved;
  }
});
