/**
 * LstmTrainer: owns the weights (tfjs tensors) and the Adam state, runs the hand-written
 * forward/backward of graph.ts, clips by global norm, and steps Adam.
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
import { disposeDeviceBatch, forward, nllSum, phase, toDeviceBatch, type ParamMap } from './graph';
import { countCorrect, sliceGradientTensors, type SliceJob, type SliceResult } from './slice';
import { GradientPool, type HelperUsage } from './parallel';
import { checkWeights, initWeights, validateConfig, weightSpecs } from './weights';
import { Rng } from '../common/rng.js';
import { InputError } from '../common/options.js';

export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;
export const ADAM_EPSILON = 1e-7; // tfjs' default for tf.train.adam

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

/** Dropout masks for a whole batch, batch-major [B, T, H] per layer, scaled by 1/(1-p). Drawn in
 * this canonical order so that results do not depend on how the batch is split across threads. */
export function makeDropoutMasks(config: LstmConfig, rng: Rng, B: number, T: number): Float32Array[] {
  const p = config.dropout;
  if (p <= 0) return [];
  const scale = 1 / (1 - p);
  const masks: Float32Array[] = [];
  for (let l = 0; l < config.numLayers; l++) {
    const m = new Float32Array(B * T * config.hiddenSize);
    for (let k = 0; k < m.length; k++) m[k] = rng.next() >= p ? scale : 0;
    masks.push(m);
  }
  return masks;
}

/** Work below this many multiply-adds per batch (B*T*H*H) stays on one thread: for small models
 * the cost of shipping weights and gradients exceeds the gain. */
export const PARALLEL_MIN_WORK = 1 << 24;

/** Fewest rows per slice: below this, per-step overheads and thin matrix products eat the gain. */
export const MIN_ROWS_PER_SLICE = 8;

/** Splits B rows into at most `threads` contiguous slices of near-equal size. */
export function planSlices(
  config: LstmConfig,
  B: number,
  T: number,
  threads: number,
): { start: number; rows: number }[] {
  const H = config.hiddenSize;
  const n =
    B * T * H * H < PARALLEL_MIN_WORK
      ? 1
      : Math.max(1, Math.min(threads, Math.floor(B / MIN_ROWS_PER_SLICE)));
  const out: { start: number; rows: number }[] = [];
  let start = 0;
  for (let k = 0; k < n; k++) {
    const rows = Math.floor(B / n) + (k < B % n ? 1 : 0);
    out.push({ start, rows });
    start += rows;
  }
  return out;
}

function sliceJob(
  batch: TokenBatch,
  slice: { start: number; rows: number },
  masks: Float32Array[],
  normalizer: number,
  H: number,
  weights: Float32Array[],
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
    masks: masks.map((m) => m.slice(a * H, b * H)),
    normalizer,
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
  private m: ParamMap = new Map();
  private v: ParamMap = new Map();
  private step = 0;
  private rng: Rng;
  private readonly options: TrainerOptions;
  private readonly threads: number;
  private pool: GradientPool | null = null;
  private poolFailed = false;
  private weightCache: Float32Array[] | null = null;
  /** Threads that computed the last batch (1 when it stayed on this thread). */
  lastThreads = 0;
  /** CPU time and peak memory of the helper processes so far (for benchmarks; zero for threads). */
  helperUsage: HelperUsage = { cpuMs: 0, peakRssMB: 0 };
  private disposed = false;

  constructor(config: LstmConfig, options: TrainerOptions, backend: string) {
    this.config = { ...config };
    this.options = { ...options };
    this.backend = backend;
    this.threads = options.threads ?? availableParallelism();
    this.rng = Rng.forWeights(options.seed + 1);
    this.assign(initWeights(config, options.seed));
    this.resetOptimizer();
  }

  private assign(weights: NamedTensorData[]): void {
    const data = checkWeights(this.config, weights);
    const next: ParamMap = new Map();
    for (const spec of weightSpecs(this.config))
      next.set(spec.name, tf.tensor(data.get(spec.name)!, spec.shape));
    for (const t of this.params.values()) t.dispose();
    this.params = next;
    this.weightCache = null;
  }

  private resetOptimizer(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
    this.m = new Map();
    this.v = new Map();
    for (const spec of weightSpecs(this.config)) {
      this.m.set(spec.name, tf.zeros(spec.shape));
      this.v.set(spec.name, tf.zeros(spec.shape));
    }
    this.step = 0;
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
    const H = this.config.hiddenSize;
    const masks = makeDropoutMasks(this.config, this.rng, batch.batch, batch.seqLen);
    let slices = planSlices(this.config, batch.batch, batch.seqLen, this.threads);
    const pool = slices.length > 1 ? await this.getPool(slices.length - 1) : null;
    if (!pool) slices = [{ start: 0, rows: batch.batch }];
    this.lastThreads = slices.length;
    // Workers start on their slices first; this thread computes slice 0 meanwhile.
    let remote: Promise<SliceResult[]> = Promise.resolve([]);
    if (pool) {
      const weights = this.weightArrays();
      remote = Promise.all(
        slices.slice(1).map((sl, k) => pool.run(k, sliceJob(batch, sl, masks, count, H, weights))),
      );
      remote.catch(() => undefined); // awaited below
      await pool.sent(); // a helper process gets its job only while this thread is idle
    }
    const local = this.localSlices(batch, slices.slice(0, 1), masks, count);
    let results: SliceResult[];
    try {
      results = await remote;
      if (pool) this.helperUsage = pool.usage();
    } catch {
      // A worker failed: finish its slices here and continue on one thread from now on.
      await this.dropPool(true);
      results = [];
      const rest = this.localSlices(batch, slices.slice(1), masks, count);
      tf.tidy(() => {
        for (const name of Object.keys(local.grads)) {
          const sum = tf.add(local.grads[name]!, rest.grads[name]!);
          local.grads[name]!.dispose();
          local.grads[name] = tf.keep(sum);
        }
      });
      for (const t of Object.values(rest.grads)) t.dispose();
      local.nll += rest.nll;
      local.correct += rest.correct;
    }
    phase('loss readback, gradient exchange');
    tf.tidy(() => {
      const specs = weightSpecs(this.config);
      const grads = new Map<string, tf.Tensor>();
      specs.forEach((spec, k) => {
        const parts = [local.grads[spec.name]!, ...results.map((r) => tf.tensor(r.grads[k]!, spec.shape))];
        grads.set(spec.name, parts.length > 1 ? tf.addN(parts) : parts[0]!);
      });
      this.applyAdam(grads, learningRate);
    });
    for (const t of Object.values(local.grads)) t.dispose();
    phase('adam');
    const nll = local.nll + results.reduce((a, r) => a + r.nll, 0);
    const correct = local.correct + results.reduce((a, r) => a + r.correct, 0);
    return { loss: nll / count, accuracy: correct / count, tokens: count };
  }

  /** Gradients of the given slices, summed, on this thread (tensors kept; caller disposes). */
  private localSlices(
    batch: TokenBatch,
    slices: { start: number; rows: number }[],
    masks: Float32Array[],
    count: number,
  ): { grads: Record<string, tf.Tensor>; nll: number; correct: number } {
    let nll = 0;
    let correct = 0;
    const grads: Record<string, tf.Tensor> = {};
    for (const sl of slices) {
      const job = sliceJob(batch, sl, masks, count, this.config.hiddenSize, []);
      const out = tf.tidy(() => {
        const r = sliceGradientTensors(this.config, this.params, job);
        correct += countCorrect(r.argmax.dataSync(), r.targets);
        nll += r.nll.dataSync()[0]!;
        const sum: Record<string, tf.Tensor> = {};
        for (const [name, g] of r.grads) sum[name] = grads[name] ? tf.add(grads[name]!, g) : g;
        return sum;
      });
      for (const t of Object.values(grads)) t.dispose();
      Object.assign(grads, out);
    }
    return { grads, nll, correct };
  }

  /** Current weights as arrays (weightSpecs order) for the workers; cached until they change. */
  private weightArrays(): Float32Array[] {
    this.weightCache ??= weightSpecs(this.config).map(
      (s) => this.params.get(s.name)!.dataSync() as Float32Array,
    );
    return this.weightCache;
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

  /** Global-norm clipping then one Adam step; replaces params/m/v (old tensors disposed, new kept). */
  private applyAdam(grads: Map<string, tf.Tensor>, lr: number): void {
    const names = [...this.params.keys()];
    const sq = tf.addN(names.map((n) => tf.sum(tf.square(grads.get(n)!))));
    const norm = tf.sqrt(sq);
    const clip = this.options.clipNorm;
    const scale = tf.div(clip, tf.maximum(norm, clip));
    this.step++;
    this.weightCache = null;
    const c1 = 1 - Math.pow(ADAM_BETA1, this.step);
    const c2 = 1 - Math.pow(ADAM_BETA2, this.step);
    for (const n of names) {
      const g = tf.mul(grads.get(n)!, scale);
      const m = tf.add(tf.mul(this.m.get(n)!, ADAM_BETA1), tf.mul(g, 1 - ADAM_BETA1));
      const v = tf.add(tf.mul(this.v.get(n)!, ADAM_BETA2), tf.mul(tf.square(g), 1 - ADAM_BETA2));
      const upd = tf.div(tf.mul(m, lr / c1), tf.add(tf.sqrt(tf.div(v, c2)), ADAM_EPSILON));
      const w = tf.sub(this.params.get(n)!, upd);
      for (const [map, t] of [
        [this.params, w],
        [this.m, m],
        [this.v, v],
      ] as const) {
        map.get(n)!.dispose();
        map.set(n, tf.keep(t));
      }
    }
  }

  async evaluateBatch(batch: TokenBatch): Promise<EvalStats> {
    this.assertLive();
    validateBatch(this.config, batch);
    const db = toDeviceBatch(this.config, batch.inputs, batch.targets, batch.batch, batch.seqLen);
    try {
      const [nllT, argmaxT] = tf.tidy(() => {
        const fwd = forward(this.config, this.params, db, []);
        return [nllSum(fwd.logits, db.targetOneHot), tf.argMax(fwd.logits, 1)];
      });
      const [nll, argmax] = await Promise.all([nllT.data(), argmaxT.data()]);
      nllT.dispose();
      argmaxT.dispose();
      return { nllSum: nll[0]!, correct: countCorrect(argmax as Int32Array, db.targets), count: db.count };
    } finally {
      disposeDeviceBatch(db);
    }
  }

  async getWeights(): Promise<NamedTensorData[]> {
    this.assertLive();
    return readAll(this.params, '');
  }

  async setWeights(weights: NamedTensorData[]): Promise<void> {
    this.assertLive();
    this.assign(weights);
  }

  async getOptimizerState(): Promise<NamedTensorData[]> {
    this.assertLive();
    const out = [...(await readAll(this.m, 'adam/m/')), ...(await readAll(this.v, 'adam/v/'))];
    out.push({ name: 'adam/step', shape: [1], data: new Float32Array([this.step]) });
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
    this.resetOptimizer();
    for (const spec of weightSpecs(this.config)) {
      this.m.get(spec.name)!.dispose();
      this.v.get(spec.name)!.dispose();
      this.m.set(spec.name, tf.tensor(m.get(spec.name)!, spec.shape));
      this.v.set(spec.name, tf.tensor(v.get(spec.name)!, spec.shape));
    }
    this.step = step.data[0]!;
    if (rngState && rngState.data.length === 2)
      this.rng = Rng.fromState(((rngState.data[0]! << 16) | rngState.data[1]!) >>> 0);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.dropPool(false);
    for (const t of [...this.params.values(), ...this.m.values(), ...this.v.values()]) t.dispose();
    this.params.clear();
    this.m.clear();
    this.v.clear();
  }
}

async function readAll(map: ParamMap, prefix: string): Promise<NamedTensorData[]> {
  const out: NamedTensorData[] = [];
  for (const [name, t] of map)
    out.push({ name: prefix + name, shape: [...t.shape], data: new Float32Array(await t.data()) });
  return out;
}

/** Creates a trainer with fresh weights from `options.seed` on the process' tfjs backend. */
export async function createLstmTrainer(config: LstmConfig, options: TrainerOptions): Promise<LstmTrainer> {
  validateConfig(config);
  validateOptions(options);
  const backend = await initBackend();
  return new TfLstmTrainer(config, options, backend);
}
