/**
 * Chooses how a training run computes, by measurement on this machine: the tfjs backend (tfjs-node,
 * wasm or cpu, whichever is installed and starts) and the number of threads. Each candidate trains a
 * few batches of the run's model shape from the same fresh weights; the fastest wins. Forced choices
 * (an asked-for backend or thread count) are kept and only the rest is measured.
 */
import { availableParallelism } from 'node:os';
import { availableBackends, switchBackend } from '../core/backend';
import type { BackendName } from '../common/types';
import { createLstmTrainer, planSlices } from './trainer';
import { Rng } from '../common/rng.js';
import type { LstmConfig, LstmTrainer, TokenBatch, TrainerOptions } from './types';

export interface SetupTiming {
  backend: BackendName;
  threads: number;
  shape: string; // "B x T" of the timed batches
  msPerBatch: number; // best of the timed batches (wall clock)
}

export interface TrainingSetup {
  backend: BackendName;
  threads: number;
  reason: string; // one line for the UI and the CLI
  timings: SetupTiming[];
}

export interface SetupRequest {
  config: LstmConfig;
  batch: number;
  seqLen: number;
  backend?: BackendName; // forced backend
  threads?: number; // forced thread count
  maxThreads?: number; // default: availableParallelism()
  timedBatches?: number; // per candidate, after one warm-up batch (default 2)
}

export interface SetupDeps {
  availableBackends: () => Promise<BackendName[]>;
  switchBackend: (name: BackendName) => Promise<unknown>;
  createTrainer: (config: LstmConfig, options: TrainerOptions) => Promise<LstmTrainer>;
  now: () => number;
}

const defaultDeps: SetupDeps = {
  availableBackends: () => availableBackends(),
  switchBackend: (name) => switchBackend(name),
  createTrainer: createLstmTrainer,
  now: () => performance.now(),
};

/** Backends whose warm-up batch is this many times slower than the best so far are not timed on. */
const GIVE_UP_FACTOR = 8;
/** The backend comparison uses a batch of at most this many rows and steps (a cpu batch of the
 * full shape can take seconds); the thread comparison uses the run's full batch. */
const PROBE_ROWS = 16;
const PROBE_STEPS = 32;

function syntheticBatch(config: LstmConfig, B: number, T: number, seed: number): TokenBatch {
  const rng = Rng.forWeights(seed);
  const draw = () => Math.floor(rng.next() * config.vocabSize);
  return {
    inputs: Int32Array.from({ length: B * T }, draw),
    targets: Int32Array.from({ length: B * T }, draw),
    batch: B,
    seqLen: T,
  };
}

/**
 * Warm-up batches before the split is timed. Its helpers start cold (their own wasm and JS are
 * compiled and tiered up as they run): at hidden 256, batches 2-6 of a 2-thread trainer took
 * 407, 314, 317, 270, 246 ms, then 214-272 ms, while one thread was steady from batch 3 (380-413).
 */
export const SPLIT_WARMUP_BATCHES = 4;

/** Trains `warmup` batches and `timed` more; returns the best timed one (ms), or the first
 * warm-up batch's time alone when it took longer than `giveUpMs`. */
async function timeCandidate(
  deps: SetupDeps,
  config: LstmConfig,
  threads: number,
  B: number,
  T: number,
  timed: number,
  giveUpMs: number,
  warmup = 1,
): Promise<number> {
  const trainer = await deps.createTrainer(config, { clipNorm: 1, seed: 1, threads });
  try {
    const batch = syntheticBatch(config, B, T, 7);
    let t0 = deps.now();
    await trainer.trainBatch(batch, 1e-3);
    let best = deps.now() - t0;
    if (best > giveUpMs) return best;
    for (let k = 1; k < warmup; k++) await trainer.trainBatch(batch, 1e-3);
    best = Infinity;
    for (let k = 0; k < timed; k++) {
      t0 = deps.now();
      await trainer.trainBatch(batch, 1e-3);
      best = Math.min(best, deps.now() - t0);
    }
    return best;
  } finally {
    await trainer.dispose();
  }
}

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toPrecision(2));

export async function chooseTrainingSetup(
  req: SetupRequest,
  deps: SetupDeps = defaultDeps,
): Promise<TrainingSetup> {
  const { config, batch: B, seqLen: T } = req;
  const timed = req.timedBatches ?? 2;
  const timings: SetupTiming[] = [];
  const why: string[] = [];

  // Backend.
  const available = await deps.availableBackends();
  if (available.length === 0) throw new Error('No tfjs backend could start');
  let candidates = available;
  if (req.backend) {
    if (available.includes(req.backend)) candidates = [req.backend];
    else why.push(`${req.backend} (asked for) is not available here`);
  }
  let backend = candidates[0]!;
  if (candidates.length > 1) {
    const pb = Math.min(B, PROBE_ROWS);
    const pt = Math.min(T, PROBE_STEPS);
    let best = Infinity;
    for (const name of candidates) {
      await deps.switchBackend(name);
      const t = await timeCandidate(deps, config, 1, pb, pt, timed, best * GIVE_UP_FACTOR);
      timings.push({ backend: name, threads: 1, shape: `${pb} x ${pt}`, msPerBatch: t });
      if (t < best) {
        best = t;
        backend = name;
      }
    }
    const others = timings
      .filter((x) => x.backend !== backend)
      .map((x) => `${x.backend} ${ms(x.msPerBatch)} ms`)
      .join(', ');
    why.push(`${backend} measured fastest (${ms(best)} ms per ${pb} x ${pt} batch; ${others})`);
  } else if (req.backend === backend) why.push(`${backend} as asked`);
  else why.push(`${backend}, the only backend that starts here`);
  await deps.switchBackend(backend);

  // Threads.
  let threads = 1;
  const max = req.maxThreads ?? availableParallelism();
  if (req.threads !== undefined) {
    threads = req.threads;
    why.push(`${threads} thread${threads === 1 ? '' : 's'} as asked`);
  } else {
    const n = planSlices(config, B, T, max).length;
    if (n > 1) {
      const one = await timeCandidate(deps, config, 1, B, T, timed, Infinity);
      const many = await timeCandidate(deps, config, n, B, T, timed, Infinity, SPLIT_WARMUP_BATCHES);
      for (const [k, t] of [
        [1, one],
        [n, many],
      ] as const)
        timings.push({ backend, threads: k, shape: `${B} x ${T}`, msPerBatch: t });
      threads = many < one ? n : 1;
      why.push(
        `${threads} thread${threads === 1 ? '' : 's'}: ${n} threads measured ${(one / many).toFixed(2)}x one thread (${ms(many)} vs ${ms(one)} ms per ${B} x ${T} batch)`,
      );
    } else why.push(`1 thread (a ${B} x ${T} batch of hidden ${config.hiddenSize} is too small to split)`);
  }
  return { backend, threads, reason: why.join('; '), timings };
}
