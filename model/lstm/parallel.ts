/**
 * Data-parallel training on worker_threads: each worker has its own tfjs (wasm) instance and
 * computes the gradients of some rows of the batch; the trainer sums them and takes one Adam step.
 * (The threaded wasm build of tfjs cannot start in Node: tfjs disables it there and its pthread
 * workers are created from blob: URLs, which worker_threads rejects.)
 */
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import type { LstmConfig } from './types';
import type { SliceJob, SliceResult, WorkerInit } from './slice';

type Reply =
  | { type: 'ready'; backend: string }
  | { type: 'result'; result: SliceResult }
  | { type: 'error'; message: string };

/** Starts the worker script: grad-worker.ts through tsx in development, grad-worker.js when
 * compiled, or the file named by OSTINATO_LSTM_WORKER (for bundled builds). */
function spawn(init: WorkerInit): Worker {
  const override = process.env.OSTINATO_LSTM_WORKER;
  if (override) return new Worker(override, { workerData: init });
  const js = join(__dirname, 'grad-worker.js');
  if (existsSync(js)) return new Worker(js, { workerData: init });
  const ts = join(__dirname, 'grad-worker.ts');
  const tsx = require.resolve('tsx/cjs');
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(ts)});`, {
    eval: true,
    workerData: init,
  });
}

class Slot {
  private pending: { resolve: (r: SliceResult) => void; reject: (e: Error) => void } | null = null;
  private failed: Error | null = null;

  constructor(readonly worker: Worker) {
    worker.on('message', (m: Reply) => {
      const p = this.pending;
      this.pending = null;
      this.worker.unref();
      if (!p) return;
      if (m.type === 'result') p.resolve(m.result);
      else if (m.type === 'error') p.reject(new Error(`training worker: ${m.message}`));
    });
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => this.fail(new Error(`training worker exited (code ${code})`)));
  }

  private fail(e: Error): void {
    this.failed ??= e;
    const p = this.pending;
    this.pending = null;
    p?.reject(e);
  }

  run(job: SliceJob): Promise<SliceResult> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.ref(); // keep the process alive while a job is out
      this.worker.postMessage(job);
    });
  }
}

export class GradientPool {
  private constructor(private readonly slots: Slot[]) {}

  get size(): number {
    return this.slots.length;
  }

  /** Starts `n` workers and waits until each has its backend ready. */
  static async start(
    config: LstmConfig,
    n: number,
    backend: string,
    timeoutMs = 60_000,
  ): Promise<GradientPool> {
    const workers: Worker[] = [];
    try {
      await Promise.all(
        Array.from({ length: n }, () => {
          const w = spawn({ config, backend });
          workers.push(w);
          return new Promise<void>((resolve, reject) => {
            const timer = setTimeout(
              () => reject(new Error('training worker did not start in time')),
              timeoutMs,
            );
            w.once('message', (m: Reply) => {
              clearTimeout(timer);
              if (m.type === 'ready') resolve();
              else reject(new Error(m.type === 'error' ? m.message : 'unexpected message'));
            });
            w.once('error', (e) => {
              clearTimeout(timer);
              reject(e);
            });
          });
        }),
      );
    } catch (err) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw err;
    }
    for (const w of workers) w.unref();
    return new GradientPool(workers.map((w) => new Slot(w)));
  }

  run(k: number, job: SliceJob): Promise<SliceResult> {
    return this.slots[k]!.run(job);
  }

  async dispose(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
