import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { chooseTrainingSetup, SPLIT_WARMUP_BATCHES, type SetupDeps } from './setup';
import { availableBackends, switchBackend } from '../core/backend';
import { createLstmTrainer } from './trainer';
import type { LstmConfig, LstmTrainer } from './types';

const small: LstmConfig = { vocabSize: 9, embeddingDim: 4, hiddenSize: 8, numLayers: 1, dropout: 0 };

/** A fake trainer whose k-th batch (from 0) takes `msOf(backend, threads, k)` on a fake clock. */
function fakeDeps(
  backends: string[],
  msOf: (backend: string, threads: number, k: number) => number,
): SetupDeps & { clock: number; current: string } {
  const d = {
    clock: 0,
    current: '',
    availableBackends: async () => backends as never,
    switchBackend: async (name: string) => {
      d.current = name;
    },
    now: () => d.clock,
    createTrainer: async (config: LstmConfig, o: { threads?: number }) => {
      let k = 0;
      return {
        config,
        backend: d.current,
        trainBatch: async () => {
          d.clock += msOf(d.current, o.threads ?? 1, k++);
          return { loss: 1, accuracy: 0, tokens: 1 };
        },
        dispose: async () => undefined,
      } as unknown as LstmTrainer;
    },
  };
  return d;
}

test('the split is timed after its helpers have warmed up', async () => {
  const big: LstmConfig = { ...small, hiddenSize: 256 };
  // Like a cold 2-thread trainer: its first SPLIT_WARMUP_BATCHES batches are slower than one thread.
  const deps = fakeDeps(['wasm'], (_, th, k) => (th === 1 ? 380 : k < SPLIT_WARMUP_BATCHES ? 400 : 230));
  const s = await chooseTrainingSetup({ config: big, batch: 64, seqLen: 64, maxThreads: 2 }, deps);
  assert.equal(s.threads, 2);
  assert.match(s.reason, /2 threads measured 1\.65x one thread \(230 vs 380 ms/);
});

test('the measured fastest backend and thread count win, with the numbers in the reason', async () => {
  const big: LstmConfig = { ...small, hiddenSize: 256 };
  const deps = fakeDeps(
    ['tensorflow', 'wasm', 'cpu'],
    (b, th) => ({ tensorflow: 30, wasm: 10, cpu: 500 })[b]! / (th > 1 ? 1.6 : 1),
  );
  const s = await chooseTrainingSetup({ config: big, batch: 64, seqLen: 64, maxThreads: 2 }, deps);
  assert.equal(s.backend, 'wasm');
  assert.equal(deps.current, 'wasm', 'the winner is left active');
  assert.equal(s.threads, 2);
  assert.match(s.reason, /wasm measured fastest/);
  assert.match(s.reason, /2 threads measured 1\.60x one thread/);
  const cpu = s.timings.find((t) => t.backend === 'cpu')!;
  assert.equal(cpu.msPerBatch, 500, 'a backend far slower than the best stops after its warm-up batch');
});

test('threads stay at one when the split measures slower; forced choices are kept', async () => {
  const big: LstmConfig = { ...small, hiddenSize: 256 };
  const slower = fakeDeps(['wasm', 'cpu'], (b, th) => (b === 'wasm' ? 10 : 100) * (th > 1 ? 1.2 : 1));
  const s = await chooseTrainingSetup({ config: big, batch: 64, seqLen: 64, maxThreads: 2 }, slower);
  assert.equal(s.threads, 1);
  assert.match(s.reason, /1 thread: 2 threads measured 0\.83x/);
  const forced = await chooseTrainingSetup(
    { config: big, batch: 64, seqLen: 64, backend: 'cpu', threads: 3 },
    fakeDeps(['wasm', 'cpu'], () => 1),
  );
  assert.deepEqual([forced.backend, forced.threads], ['cpu', 3]);
  assert.match(forced.reason, /cpu as asked; 3 threads as asked/);
  const missing = await chooseTrainingSetup(
    { config: small, batch: 4, seqLen: 4, backend: 'tensorflow' },
    fakeDeps(['wasm', 'cpu'], (b) => (b === 'cpu' ? 5 : 1)),
  );
  assert.equal(missing.backend, 'wasm');
  assert.match(missing.reason, /tensorflow \(asked for\) is not available here; wasm measured fastest/);
});

test('real backends: wasm and cpu are measured and training runs on cpu with the same loss as on wasm', async () => {
  const names = await availableBackends();
  assert.ok(names.includes('wasm') && names.includes('cpu'), `available: ${names.join(', ')}`);
  const s = await chooseTrainingSetup({ config: small, batch: 8, seqLen: 8, maxThreads: 1 });
  assert.ok(s.timings.length >= 2 && s.timings.every((t) => t.msPerBatch > 0));
  assert.equal(tf.getBackend(), s.backend);
  const batch = {
    inputs: Int32Array.from({ length: 64 }, (_, k) => k % 9),
    targets: Int32Array.from({ length: 64 }, (_, k) => (k * 5) % 9),
    batch: 8,
    seqLen: 8,
  };
  const losses: number[] = [];
  for (const name of ['cpu', 'wasm'] as const) {
    await switchBackend(name);
    const t = await createLstmTrainer(small, { clipNorm: 1, seed: 3, threads: 1 });
    assert.equal(t.backend, name);
    await t.trainBatch(batch, 0.01);
    losses.push((await t.trainBatch(batch, 0.01)).loss);
    await t.dispose();
  }
  assert.ok(Math.abs(losses[0]! - losses[1]!) < 1e-4, `cpu ${losses[0]} vs wasm ${losses[1]}`);
});
