/**
 * Data-parallel training on worker threads (default) or helper processes: each helper has its own
 * tfjs (wasm) instance and computes the gradients of some rows of the batch; the trainer sums them
 * and takes one Adam step. (The threaded wasm build of tfjs cannot start in Node: tfjs disables it
 * there and its pthread workers are created from blob: URLs, which worker_threads rejects.)
 *
 * Worker threads are the default, by measurement (hidden 256, batch 64 x 64, 3 interleaved runs
 * each, docs/benchmarks.md): two helper processes 15.0-16.4k tokens/s, two worker threads
 * 15.7-16.8k, one thread 10.0-10.5k; the processes also used ~100 MB more memory.
 * OSTINATO_LSTM_HELPERS=process selects processes; a helper process exits when its parent's IPC
 * channel closes, so a killed app leaves no helper behind.
 */
import { Worker } from 'node:worker_threads';
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import type { LstmConfig } from './types';
import type { SliceJob, SliceResult, WorkerInit } from './slice';

type Reply =
  | { type: 'ready'; backend: string }
  | { type: 'result'; result: SliceResult; usage?: HelperUsage }
  | { type: 'error'; message: string };

export type HelperKind = 'process' | 'thread';

/** CPU time and peak resident memory of helper processes (worker threads count as this process). */
export interface HelperUsage {
  cpuMs: number;
  peakRssMB: number;
}

/** One helper, thread or process, behind the same small interface. */
interface Helper {
  readonly events: EventEmitter; // 'message' (Reply), 'error' (Error), 'exit' (code)
  /** Sends a job; resolves once it has left this process (a pipe is written only while the event
   * loop runs, so the trainer waits for this before it computes its own slice). */
  post(job: SliceJob): Promise<void>;
  ref(): void;
  unref(): void;
  terminate(): Promise<void>;
}

/** The script to run: grad-worker.js when compiled, grad-worker.ts through tsx in development, or
 * the file named by OSTINATO_LSTM_WORKER (for bundled builds). */
function script(): { file: string; ts: boolean } {
  const override = process.env.OSTINATO_LSTM_WORKER;
  if (override) return { file: override, ts: override.endsWith('.ts') };
  const js = join(__dirname, 'grad-worker.js');
  if (existsSync(js)) return { file: js, ts: false };
  return { file: join(__dirname, 'grad-worker.ts'), ts: true };
}

function threadHelper(init: WorkerInit): Helper {
  const { file, ts } = script();
  const worker = ts
    ? new Worker(
        `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(file)});`,
        {
          eval: true,
          workerData: init,
        },
      )
    : new Worker(file, { workerData: init });
  const events = new EventEmitter();
  worker.on('message', (m) => events.emit('message', m));
  worker.on('error', (e) => events.emit('error', e));
  worker.on('exit', (code) => events.emit('exit', code));
  return {
    events,
    post: async (job) => worker.postMessage(job),
    ref: () => worker.ref(),
    unref: () => worker.unref(),
    terminate: async () => {
      await worker.terminate();
    },
  };
}

function processHelper(init: WorkerInit): Helper {
  const { file, ts } = script();
  const child: ChildProcess = fork(file, [], {
    serialization: 'advanced', // typed arrays travel as such
    execArgv: ts ? ['--import', require.resolve('tsx')] : [],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  const events = new EventEmitter();
  let exited = false;
  child.on('message', (m) => events.emit('message', m));
  child.on('error', (e) => events.emit('error', e));
  child.on('exit', (code) => {
    exited = true;
    events.emit('exit', code);
  });
  child.send({ type: 'init', init });
  return {
    events,
    post: (job) =>
      new Promise<void>((resolve, reject) => {
        child.send(job, (err) => (err ? reject(err) : resolve()));
      }),
    ref: () => {
      child.ref();
      child.channel?.ref();
    },
    unref: () => {
      child.unref();
      child.channel?.unref();
    },
    terminate: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.ref(); // an unref'd child's exit would not keep this process waiting for it
        child.kill();
      }),
  };
}

/** Helper kind: OSTINATO_LSTM_HELPERS=thread|process, else worker threads. */
export function helperKind(): HelperKind {
  return process.env.OSTINATO_LSTM_HELPERS === 'process' ? 'process' : 'thread';
}

function startHelper(init: WorkerInit, kind: HelperKind): Helper {
  return kind === 'thread' ? threadHelper(init) : processHelper(init);
}

class Slot {
  private pending: { resolve: (r: SliceResult) => void; reject: (e: Error) => void } | null = null;
  private failed: Error | null = null;
  usage: HelperUsage = { cpuMs: 0, peakRssMB: 0 };

  constructor(readonly helper: Helper) {
    helper.events.on('message', (m: Reply) => {
      if (m.type === 'result' && m.usage) this.usage = m.usage;
      const p = this.pending;
      this.pending = null;
      this.helper.unref();
      if (!p) return;
      if (m.type === 'result') p.resolve(m.result);
      else if (m.type === 'error') p.reject(new Error(`training helper: ${m.message}`));
    });
    helper.events.on('error', (e: Error) => this.fail(e));
    helper.events.on('exit', (code) => this.fail(new Error(`training helper exited (code ${code})`)));
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
      this.helper.ref(); // keep the process alive while a job is out
      this.sent = this.helper.post(job).catch((e: Error) => this.fail(e));
    });
  }

  /** Resolves when the last job has been handed over. */
  sent: Promise<void> = Promise.resolve();
}

export class GradientPool {
  private constructor(
    private readonly slots: Slot[],
    readonly kind: HelperKind,
  ) {}

  get size(): number {
    return this.slots.length;
  }

  /** Starts `n` helpers and waits until each has its backend ready. */
  static async start(
    config: LstmConfig,
    n: number,
    backend: string,
    timeoutMs = 60_000,
    kind: HelperKind = helperKind(),
  ): Promise<GradientPool> {
    const helpers: Helper[] = [];
    try {
      await Promise.all(
        Array.from({ length: n }, () => {
          const h = startHelper({ config, backend }, kind);
          helpers.push(h);
          return new Promise<void>((resolve, reject) => {
            const timer = setTimeout(
              () => reject(new Error('training helper did not start in time')),
              timeoutMs,
            );
            const done = (err?: Error) => {
              clearTimeout(timer);
              h.events.off('message', onMessage);
              h.events.off('error', done);
              h.events.off('exit', onExit);
              if (err) reject(err);
              else resolve();
            };
            const onMessage = (m: Reply) =>
              done(
                m.type === 'ready'
                  ? undefined
                  : new Error(m.type === 'error' ? m.message : 'unexpected message'),
              );
            const onExit = (code: number | null) =>
              done(new Error(`training helper exited at start (code ${code})`));
            h.events.on('message', onMessage);
            h.events.on('error', done);
            h.events.on('exit', onExit);
          });
        }),
      );
    } catch (err) {
      await Promise.all(helpers.map((h) => h.terminate()));
      throw err;
    }
    for (const h of helpers) h.unref();
    return new GradientPool(
      helpers.map((h) => new Slot(h)),
      kind,
    );
  }

  run(k: number, job: SliceJob): Promise<SliceResult> {
    return this.slots[k]!.run(job);
  }

  /** Resolves when every job given to `run` has left this process. */
  async sent(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.sent));
  }

  /** Helper processes' CPU time and peak memory, summed, as of their last results. */
  usage(): HelperUsage {
    return this.slots.reduce(
      (a, s) => ({ cpuMs: a.cpuMs + s.usage.cpuMs, peakRssMB: a.peakRssMB + s.usage.peakRssMB }),
      { cpuMs: 0, peakRssMB: 0 },
    );
  }

  async dispose(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.helper.terminate()));
  }
}
