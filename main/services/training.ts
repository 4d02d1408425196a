/**
 * Training in a worker thread (main/worker/training-worker.ts), so the host's main thread stays
 * responsive. One training at a time. Progress events from the worker are passed on as they come;
 * trainCancel() sends a message that the worker turns into an AbortSignal (the core stops after the
 * current batch and keeps the last checkpoint). Whatever happens (completion, cancel, a crash of the
 * worker, a worker that no longer answers) exactly one final event is emitted: 'done' or 'error'.
 * The worker is started by worker-spawn.ts (TypeScript through tsx in dev, compiled JS when packaged).
 */
import type { Worker } from 'node:worker_threads';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { GridName, TrainingEvent, TrainingOptions } from '../shared/api.js';
import { errorMessage } from './util.js';
import { spawnWorker, workerEntry } from './worker-spawn.js';

/** What the worker is given (workerData). */
export interface TrainingJob {
  modelId: string;
  modelDir: string;
  resume: boolean;
  /** The grid to quantize on: the options' grid, or the resumed model's. */
  grid: GridName;
  options: TrainingOptions;
  corpus: { id: string; name: string; path: string; tracks: number[]; sustain: boolean }[];
}

/** Messages between the host and the worker. */
export type ToWorker = { type: 'cancel' };
export type FromWorker = { type: 'event'; event: TrainingEvent } | { type: 'log'; message: string };

export interface WorkerSpec {
  /** The worker module; default: main/worker/training-worker (.ts under tsx, .js when compiled). */
  entry?: string;
  /** How long a cancelled worker may take to stop before it is terminated (ms). Default 30 s. */
  cancelGraceMs?: number;
}

export function defaultWorkerEntry(): string {
  return workerEntry('training-worker');
}

export class TrainingService {
  private worker: Worker | null = null;
  private job: TrainingJob | null = null;
  private finished = false;
  private killTimer: NodeJS.Timeout | null = null;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    private readonly opts: {
      emit: (event: TrainingEvent) => void;
      worker?: WorkerSpec;
      log?: (message: string) => void;
    },
  ) {}

  isRunning(): boolean {
    return this.worker !== null;
  }

  currentModelId(): string | null {
    return this.job?.modelId ?? null;
  }

  /** Starts a training; throws when one is already running. Returns the model id. */
  start(job: TrainingJob): string {
    if (this.worker) throw new Error('A training is already running: cancel it or wait for it to finish');
    const entry = this.opts.worker?.entry ?? defaultWorkerEntry();
    const worker = spawnWorker(entry, job);
    this.worker = worker;
    this.job = job;
    this.finished = false;
    let resolveExit!: () => void;
    this.exited = new Promise((r) => (resolveExit = r));

    worker.on('message', (msg: FromWorker) => {
      if (this.worker !== worker) return;
      if (msg?.type === 'log') this.opts.log?.(msg.message);
      if (msg?.type !== 'event') return;
      if (msg.event.type === 'done' || msg.event.type === 'error') this.finish(msg.event);
      else if (!this.finished) this.opts.emit(msg.event);
    });
    worker.on('error', (err) => {
      this.finish({ type: 'error', message: `The training stopped unexpectedly: ${errorMessage(err)}` });
    });
    worker.on('exit', (code) => {
      this.finish(
        code === 0
          ? { type: 'error', message: 'The training worker ended without reporting a result' }
          : { type: 'error', message: `The training worker stopped unexpectedly (exit code ${code})` },
      );
      if (this.killTimer) clearTimeout(this.killTimer);
      this.killTimer = null;
      if (this.worker === worker) {
        this.worker = null;
        const ended = this.job;
        this.job = null;
        if (ended && !ended.resume) void this.removeIfEmpty(ended.modelDir);
      }
      resolveExit();
    });
    return job.modelId;
  }

  /** Emits the final event once; later ones (e.g. the exit after 'done') are ignored. */
  private finish(event: TrainingEvent): void {
    if (this.finished) return;
    this.finished = true;
    this.opts.emit(event);
  }

  /** A new model's folder without a model.json (cancelled before its first epoch) is removed. */
  private async removeIfEmpty(dir: string): Promise<void> {
    try {
      await fs.access(join(dir, 'model.json'));
    } catch {
      await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  /** Asks the running training to stop; no-op when none runs. The 'done' event follows. */
  async cancel(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    worker.postMessage({ type: 'cancel' } satisfies ToWorker);
    if (!this.killTimer) {
      this.killTimer = setTimeout(() => {
        if (this.worker !== worker) return;
        this.finish({ type: 'done', modelId: this.job!.modelId, reason: 'cancelled' });
        void worker.terminate();
      }, this.opts.worker?.cancelGraceMs ?? 30_000);
      this.killTimer.unref();
    }
  }

  /** Resolves when no worker runs any more. */
  whenIdle(): Promise<void> {
    return this.exited;
  }

  async dispose(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    worker.postMessage({ type: 'cancel' } satisfies ToWorker);
    const stopped = await Promise.race([
      this.exited.then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), 5000).unref()),
    ]);
    if (!stopped) await worker.terminate();
    await this.exited;
  }
}
