/**
 * LstmTrainer: owns the weights and the Adam state (flat float32 arrays; the weights shared with
 * helper threads and uploaded as tfjs tensors for this thread's slice), runs the hand-written
 * forward/backward of graph.ts, and takes the clipped Adam step of adam.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../core/backend';
import type {
  BatchStats,
  EvalStats,
  LstmConfig,
  LstmTrainer,
  NamedTensorData,
  TokenBatch,
  TrainerOptions,
} from './types';
import { availableParallelism } from 'node:os';
import { disposeDeviceBatch, forward, phase, scoreLogits, toDeviceBatch, type ParamMap } from './graph';
import { sliceGradientTensors, type SliceDropout, type SliceJob, type SliceResult } from './slice';
import { GradientPool, type HelperKind, type HelperUsage } from './parallel';
import { readView } from './heap';
import { makeTailShare, reuseTailShare, type TailPart, type TailShare } from './kernel-grads';
import { checkWeights, initWeights, shapeSize, validateConfig, weightSpecs } from './weights';
import { Rng } from '../common/rng.js';
import { InputError } from '../common/options.js';
import {
  adamStep,
  sharedAdamDone,
  sharedAdamPart,
  type AdamArrays,
  type AdamState,
  type SharedAdam,
} from './adam';

export function validateBatch(config: LstmConfig, batch: TokenBatch): void {
  const { inputs, targets, batch: B, seqLen: T } = batch;
  if (!Number.isInteger(B) || B < 1 || !Number.isInteger(T) || T < 1) {
    throw new InputError(`Token batch: batch and seqLen must be positive integers, got ${B} x ${T}`);
  }
  if (inputs.length !== B * T || targets.length !== B * T) {
    throw new InputError(
      `Token batch: inputs and targets must hold batch*seqLen = ${B * T} ids, got ${inputs.length} and ${targets.length}`,
    );
  }
  const V = config.vocabSize;
  for (let k = 0; k < inputs.length; k++) {
    const x = inputs[k]!;
    const y = targets[k]!;
    if (x < 0 || x >= V)
      throw new InputError(`Token batch: input id ${x} at position ${k} is outside 0..${V - 1}`);
    if (y < -1 || y >= V)
      throw new InputError(`Token batch: target id ${y} at position ${k} is outside -1..${V - 1}`);
  }
}

export function validateOptions(options: TrainerOptions): void {
  if (!(options.clipNorm > 0))
    throw new InputError(`Trainer options: clipNorm must be a positive number, got ${options.clipNorm}`);
  if (options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads >= 1))
    throw new InputError(`Trainer options: threads must be a positive integer, got ${options.threads}`);
  if (!Number.isFinite(options.seed))
    throw new InputError(`Trainer options: seed must be a number, got ${options.seed}`);
}

/** Work below this many multiply-adds per batch (B*T*H*H) stays on one thread: for small models
 * the cost of shipping weights and gradients exceeds the gain. */
export const PARALLEL_MIN_WORK = 1 << 24;

/** Fewest rows per slice: below this, per-step overheads and thin matrix products eat the gain. */
export const MIN_ROWS_PER_SLICE = 8;

/**
 * Splits B rows into at most `threads` contiguous slices of near-equal size; `bias` rows more (or
 * fewer, if negative) go to slice 0, this thread's, taken from (or given to) the others evenly.
 * The bias is kept within half an even slice, and every slice keeps MIN_ROWS_PER_SLICE rows.
 */
export function planSlices(
  config: LstmConfig,
  B: number,
  T: number,
  threads: number,
  bias = 0,
): { start: number; rows: number }[] {
  const H = config.hiddenSize;
  const n =
    B * T * H * H < PARALLEL_MIN_WORK
      ? 1
      : Math.max(1, Math.min(threads, Math.floor(B / MIN_ROWS_PER_SLICE)));
  const rows = Array.from({ length: n }, (_, k) => Math.floor(B / n) + (k < B % n ? 1 : 0));
  if (n > 1) {
    const limit = Math.floor(B / n / 2);
    let move = Math.max(-limit, Math.min(limit, Math.round(bias)));
    for (let k = 1; move !== 0; k = (k % (n - 1)) + 1) {
      const step = Math.sign(move);
      if (rows[k]! - step < MIN_ROWS_PER_SLICE || rows[0]! + step < MIN_ROWS_PER_SLICE) break;
      rows[k]! -= step;
      rows[0]! += step;
      move -= step;
    }
  }
  let start = 0;
  return rows.map((r) => {
    const out = { start, rows: r };
    start += r;
    return out;
  });
}

/** Rows of one chunk of the summed weight gradients that threads share (kernel-grads.ts). */
export const TAIL_CHUNK_ROWS = 256;

/** How long a thread waits for another's slice to take some of its chunks; only a thread that
 * died makes it wait this long (the trainer then notices and starts the batch over). */
export const TAIL_WAIT_MS = 5_000;

function sliceJob(
  batch: TokenBatch,
  slice: { start: number; rows: number },
  dropout: Omit<SliceDropout, 'rowStart'> | undefined,
  normalizer: number,
  weights: Float32Array[],
  tail?: TailPart,
  adam?: SharedAdam,
): SliceJob {
  const T = batch.seqLen;
  const a = slice.start * T;
  const b = (slice.start + slice.rows) * T;
  return {
    weights,
    inputs: batch.inputs.slice(a, b),
    targets: batch.targets.slice(a, b),
    rows: slice.rows,
    T,
    dropout: dropout && { ...dropout, rowStart: slice.start },
    normalizer,
    tail,
    adam,
  };
}

function countTargets(targets: Int32Array): number {
  let n = 0;
  for (let k = 0; k < targets.length; k++) if (targets[k]! >= 0) n++;
  return n;
}

class TfLstmTrainer implements LstmTrainer {
  readonly config: LstmConfig;
  readonly backend: string;
  private params: ParamMap = new Map();
  private adam: AdamState;
  private rng: Rng;
  private readonly options: TrainerOptions;
  private readonly threads: number;
  private pool: GradientPool | null = null;
  private tailShare: TailShare | null = null;
  /** Arrays a shared Adam step writes (then swapped with the state), and the threads' gradients. */
  private spare: AdamArrays | null = null;
  private sharedGrads: Float32Array[][] | null = null;
  /** Rows this thread takes beyond an even split: one more after a batch in which it took chunks
   * of the helpers' slices (they were slower), one fewer after they took chunks of its slice. */
  private rowBias = 0;
  private poolFailed = false;
  /** Threads that computed the last batch (1 when it stayed on this thread). */
  lastThreads = 0;
  /** Chunks of the summed weight gradients that, in the last batch, this thread took from the
   * helpers' slices and the helpers took from others' (kernel-grads.ts). */
  lastTaken = { byThis: 0, byHelpers: 0 };
  /** CPU time and peak memory of the helper processes so far (for benchmarks; zero for threads). */
  helperUsage: HelperUsage = { cpuMs: 0, peakRssMB: 0 };
  private disposed = false;

  constructor(config: LstmConfig, options: TrainerOptions, backend: string) {
    this.config = { ...config };
    this.options = { ...options };
    this.backend = backend;
    this.threads = options.threads ?? availableParallelism();
    this.rng = Rng.forWeights(options.seed + 1);
    // The weights live in shared memory: helper threads read them there, without a copy.
    const arrays = () =>
      weightSpecs(config).map((s) => new Float32Array(new SharedArrayBuffer(4 * shapeSize(s.shape))));
    this.adam = { weights: arrays(), m: arrays(), v: arrays(), step: 0 };
    this.assign(initWeights(config, options.seed));
  }

  private assign(weights: NamedTensorData[]): void {
    const data = checkWeights(this.config, weights);
    weightSpecs(this.config).forEach((spec, k) => this.adam.weights[k]!.set(data.get(spec.name)!));
    this.upload();
  }

  /** This thread's tensors of the weights, from the arrays (copied: on the cpu backend a tensor may
   * keep the array it was made from, and the arrays change in place). */
  private upload(): void {
    const next: ParamMap = new Map();
    weightSpecs(this.config).forEach((spec, k) =>
      next.set(spec.name, tf.tensor(this.adam.weights[k]!.slice(), spec.shape)),
    );
    for (const t of this.params.values()) t.dispose();
    this.params = next;
  }

  private assertLive(): void {
    if (this.disposed) throw new Error('LSTM trainer: used after dispose()');
  }

  async trainBatch(batch: TokenBatch, learningRate: number): Promise<BatchStats> {
    this.assertLive();
    validateBatch(this.config, batch);
    if (!(learningRate > 0) || !Number.isFinite(learningRate)) {
      throw new InputError(`LSTM trainer: learning rate must be a positive number, got ${learningRate}`);
    }
    phase(null);
    const count = countTargets(batch.targets);
    if (count === 0) return { loss: 0, accuracy: 0, tokens: 0 };
    const dropout = this.dropoutFor(batch);
    let slices = planSlices(this.config, batch.batch, batch.seqLen, this.threads, this.rowBias);
    const pool = slices.length > 1 ? await this.getPool(slices.length - 1) : null;
    if (!pool) slices = [{ start: 0, rows: batch.batch }];
    this.lastThreads = slices.length;
    // Helper threads share the summed weight gradients' chunks with this one (kernel-grads.ts).
    const share = pool?.kind === 'thread' ? this.shareFor(slices, batch.seqLen) : null;
    const tail = (me: number): TailPart | undefined =>
      share ? { share, me, waitMs: TAIL_WAIT_MS } : undefined;
    // ... and take the Adam step with it, each on a part of every parameter (adam.ts).
    const adam = share ? this.sharedAdamFor(slices.length, learningRate) : undefined;
    // Workers start on their slices first; this thread computes slice 0 meanwhile.
    let remote: Promise<SliceResult[]> = Promise.resolve([]);
    let failed = false;
    if (pool) {
      const weights = this.weightArrays(pool.kind);
      remote = Promise.all(
        slices
          .slice(1)
          .map((sl, k) => pool.run(k, sliceJob(batch, sl, dropout, count, weights, tail(k + 1), adam))),
      );
      remote.catch(() => (failed = true)); // awaited below
      await pool.sent(); // a helper process gets its job only while this thread is idle
    }
    // A helper known to be gone already: skip this slice and go to the fallback at once.
    let local: Awaited<ReturnType<TfLstmTrainer['localSlices']>>;
    try {
      local = failed
        ? { grads: {}, nll: 0, correct: 0, takenFrom: [] }
        : this.localSlices(batch, slices.slice(0, 1), dropout, count, tail(0));
    } catch (err) {
      await this.dropPool(false); // its helpers may still be using this batch's shared buffers
      throw err;
    }
    let results: SliceResult[];
    let stepTaken = false;
    try {
      if (adam) {
        const mine = weightSpecs(this.config).map((s) => readView(local.grads[s.name]!));
        if (!sharedAdamPart(adam, 0, mine)) throw new Error('a helper did not share the Adam step');
      }
      results = await remote;
      if (adam && !sharedAdamDone(adam)) throw new Error('a helper did not finish its part of the step');
      stepTaken = !!adam;
      if (pool) this.helperUsage = pool.usage();
    } catch {
      // A helper failed: compute the whole batch here (this thread's part may hold chunks of the
      // failed slice) and continue on one thread from now on.
      await this.dropPool(true);
      for (const t of Object.values(local.grads)) t.dispose();
      local = this.localSlices(batch, slices, dropout, count);
      results = [];
    }
    const byThis = local.takenFrom.reduce((a, n) => a + n, 0);
    const fromThis = results.reduce((a, r) => a + (r.takenFrom[0] ?? 0), 0);
    this.lastTaken = {
      byThis,
      byHelpers: results.reduce((a, r) => a + r.takenFrom.reduce((x, n) => x + n, 0), 0),
    };
    this.rowBias += Math.sign(byThis - fromThis);
    this.rowBias = Math.max(-batch.batch, Math.min(batch.batch, this.rowBias));
    phase('loss readback, gradient exchange');
    if (stepTaken) {
      // Every part is in adam.dst: it becomes the state, and the old state the next spare.
      const old: AdamArrays = { weights: this.adam.weights, m: this.adam.m, v: this.adam.v };
      this.adam = { ...adam!.dst, step: adam!.step };
      this.spare = old;
    } else {
      // This thread's gradients are read in place (no tensor is made until the step is done).
      const mine = weightSpecs(this.config).map((s) => readView(local.grads[s.name]!));
      adamStep(this.adam, [mine, ...results.map((r) => r.grads)], learningRate, this.options.clipNorm);
    }
    for (const t of Object.values(local.grads)) t.dispose();
    this.upload();
    phase('adam');
    const nll = local.nll + results.reduce((a, r) => a + r.nll, 0);
    const correct = local.correct + results.reduce((a, r) => a + r.correct, 0);
    return { loss: nll / count, accuracy: correct / count, tokens: count };
  }

  /** Gradients of the given slices, summed, on this thread (tensors kept; caller disposes). */
  private localSlices(
    batch: TokenBatch,
    slices: { start: number; rows: number }[],
    dropout: Omit<SliceDropout, 'rowStart'> | undefined,
    count: number,
    tail?: TailPart,
  ): { grads: Record<string, tf.Tensor>; nll: number; correct: number; takenFrom: number[] } {
    let nll = 0;
    let takenFrom: number[] = [];
    let correct = 0;
    const grads: Record<string, tf.Tensor> = {};
    for (const sl of slices) {
      const job = sliceJob(batch, sl, dropout, count, [], tail);
      const out = tf.tidy(() => {
        const r = sliceGradientTensors(this.config, this.params, job);
        correct += r.correct;
        nll += r.nll;
        takenFrom = takenFrom.length ? takenFrom.map((n, k) => n + (r.takenFrom[k] ?? 0)) : r.takenFrom;
        const sum: Record<string, tf.Tensor> = {};
        for (const [name, g] of r.grads) sum[name] = grads[name] ? tf.add(grads[name]!, g) : g;
        return sum;
      });
      for (const t of Object.values(grads)) t.dispose();
      Object.assign(grads, out);
    }
    return { grads, nll, correct, takenFrom };
  }

  /** This batch's dropout: the stream's place, then the stream moved past the batch's draws (one
   * per unit, step and row of each layer, in that order: SliceDropout). */
  private dropoutFor(batch: TokenBatch): Omit<SliceDropout, 'rowStart'> | undefined {
    const p = this.config.dropout;
    if (p <= 0) return undefined;
    const state = this.rng.state;
    this.rng.skip(this.config.numLayers * batch.batch * batch.seqLen * this.config.hiddenSize);
    return { state, p, batchRows: batch.batch };
  }

  /** A shared Adam step for n threads, from the state into the spare arrays. */
  private sharedAdamFor(n: number, lr: number): SharedAdam {
    const specs = weightSpecs(this.config);
    const arrays = () => specs.map((s) => new Float32Array(new SharedArrayBuffer(4 * shapeSize(s.shape))));
    this.spare ??= { weights: arrays(), m: arrays(), v: arrays() };
    if (this.sharedGrads?.length !== n) this.sharedGrads = Array.from({ length: n }, arrays);
    return {
      src: this.adam,
      dst: this.spare,
      grads: this.sharedGrads,
      sync: new Int32Array(new SharedArrayBuffer(4 * 3 * n)),
      partials: new Float64Array(new SharedArrayBuffer(8 * n)),
      n,
      lr,
      clipNorm: this.options.clipNorm,
      step: this.adam.step + 1,
      waitMs: TAIL_WAIT_MS,
    };
  }

  /** The shared buffers for this batch's slices (reused while the slices keep their sizes). */
  private shareFor(slices: { rows: number }[], T: number): TailShare {
    const rows = slices.map((s) => s.rows);
    const steps = Math.max(1, Math.round(TAIL_CHUNK_ROWS / rows[0]!));
    // Room for the largest slice planSlices can make, so that a new split needs no new buffers.
    const capacity = rows.map(() =>
      Math.max(...rows, Math.ceil((1.5 * rows.reduce((a, r) => a + r)) / rows.length)),
    );
    this.tailShare =
      reuseTailShare(this.tailShare, this.config, rows, T, steps) ??
      makeTailShare(this.config, rows, T, true, steps, capacity);
    return this.tailShare;
  }

  /** The weights for the helpers (weightSpecs order): shared with threads; copied for processes,
   * which cannot share memory with this one. */
  private weightArrays(kind: HelperKind): Float32Array[] {
    return kind === 'thread' ? this.adam.weights : this.adam.weights.map((w) => w.slice());
  }

  private async getPool(n: number): Promise<GradientPool | null> {
    if (this.poolFailed) return null;
    if (this.pool && this.pool.size >= n) return this.pool;
    await this.dropPool(false);
    try {
      this.pool = await GradientPool.start(this.config, n, this.backend);
      return this.pool;
    } catch {
      this.poolFailed = true; // e.g. a bundled build without the worker script: one thread
      return null;
    }
  }

  private async dropPool(failed: boolean): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    if (failed) this.poolFailed = true;
    if (pool) await pool.dispose();
  }

  async evaluateBatch(batch: TokenBatch): Promise<EvalStats> {
    this.assertLive();
    validateBatch(this.config, batch);
    const db = toDeviceBatch(this.config, batch.inputs, batch.targets, batch.batch, batch.seqLen);
    try {
      const { nll, correct } = tf.tidy(() =>
        scoreLogits(
          readView(forward(this.config, this.params, db, []).logits),
          db.targets,
          this.config.vocabSize,
        ),
      );
      return { nllSum: nll, correct, count: db.count };
    } finally {
      disposeDeviceBatch(db);
    }
  }

  async getWeights(): Promise<NamedTensorData[]> {
    this.assertLive();
    return this.named(this.adam.weights, '');
  }

  private named(arrays: Float32Array[], prefix: string): NamedTensorData[] {
    return weightSpecs(this.config).map((s, k) => ({
      name: prefix + s.name,
      shape: [...s.shape],
      data: arrays[k]!.slice(),
    }));
  }

  async setWeights(weights: NamedTensorData[]): Promise<void> {
    this.assertLive();
    this.assign(weights);
  }

  async getOptimizerState(): Promise<NamedTensorData[]> {
    this.assertLive();
    const out = [...this.named(this.adam.m, 'adam/m/'), ...this.named(this.adam.v, 'adam/v/')];
    out.push({ name: 'adam/step', shape: [1], data: new Float32Array([this.adam.step]) });
    // The PRNG state (dropout) as two 16-bit halves, exact in float32.
    out.push({
      name: 'rng/state',
      shape: [2],
      data: new Float32Array([this.rng.state >>> 16, this.rng.state & 0xffff]),
    });
    return out;
  }

  async setOptimizerState(state: NamedTensorData[]): Promise<void> {
    this.assertLive();
    const byName = new Map(state.map((s) => [s.name, s]));
    const take = (prefix: string) =>
      checkWeights(
        this.config,
        weightSpecs(this.config).map((spec) => {
          const s = byName.get(prefix + spec.name);
          if (!s) throw new InputError(`Optimizer state: "${prefix + spec.name}" is missing`);
          return { ...s, name: spec.name };
        }),
      );
    const m = take('adam/m/');
    const v = take('adam/v/');
    const step = byName.get('adam/step');
    if (!step || step.data.length !== 1 || !Number.isInteger(step.data[0]) || step.data[0]! < 0) {
      throw new InputError('Optimizer state: "adam/step" is missing or not a non-negative integer');
    }
    const rngState = byName.get('rng/state');
    weightSpecs(this.config).forEach((spec, k) => {
      this.adam.m[k]!.set(m.get(spec.name)!);
      this.adam.v[k]!.set(v.get(spec.name)!);
    });
    this.adam.step = step.data[0]!;
    if (rngState && rngState.data.length === 2)
      this.rng = Rng.fromState(((rngState.data[0]! << 16) | rngState.data[1]!) >>> 0);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.dropPool(false);
    for (const t of this.params.values()) t.dispose();
    this.params.clear();
    this.tailShare = null;
  }
}

/** Creates a trainer with fresh weights from `options.seed` on the process' tfjs backend. */
export async function createLstmTrainer(config: LstmConfig, options: TrainerOptions): Promise<LstmTrainer> {
  validateConfig(config);
  validateOptions(options);
  const backend = await initBackend();
  return new TfLstmTrainer(config, options, backend);
}
