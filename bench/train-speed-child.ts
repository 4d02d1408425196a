/**
 * One measurement of bench/train-speed.bench.ts, in its own process so that the peak memory
 * (VmHWM) belongs to that case alone. Argument: a JSON TrainSpeedCase. Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import {
  initBackend,
  createLstmTrainer,
  createLstmStepper,
  initWeights,
  phaseTimes,
  SPLIT_WARMUP_BATCHES,
  type LstmConfig,
  type TokenBatch,
} from '../model/index.js';

export interface TrainSpeedCase {
  kind: 'ostinato' | 'tfjs-layers' | 'generate' | 'paired';
  hidden: number;
  threads: number;
  steps: number;
  profile?: boolean;
  engine?: 'js' | 'tfjs'; // generate: the stepper's engine (default: what stepperEngine picks)
  batch?: number; // paired: rows per batch (default BATCH)
  dropout?: number; // paired: dropout (default 0)
}

export interface TrainSpeedMeasure {
  backend: string;
  tokensPerSec?: number;
  cpuMsPerBatch?: number;
  wallMsPerBatch?: number;
  gen1000Ms?: number;
  gen8x256Ms?: number;
  genEngine?: string;
  peakRssMB: number;
  phases?: Record<string, number>; // CPU ms per batch
  kernels?: { name: string; ms: number; calls: number }[]; // tf.profile of one batch
  pairedMs?: { one: number[]; two: number[] }; // paired: wall ms per batch, batch by batch
}

export const BATCH = 64;
export const SEQ = 64;
export const VOCAB = 64;
export const EMBEDDING = 64;

function peakRssMB(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : process.memoryUsage().rss / 1048576;
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function syntheticBatch(seed: number, batch = BATCH): TokenBatch {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 8) % VOCAB;
  const inputs = Int32Array.from({ length: batch * SEQ }, next);
  const targets = Int32Array.from({ length: batch * SEQ }, next);
  return { inputs, targets, batch, seqLen: SEQ };
}

async function timeSteps(steps: number, run: (i: number) => Promise<void>) {
  await run(-1); // warm-up (compilation, allocation)
  const c0 = cpuMs();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await run(i);
  const wall = (performance.now() - t0) / steps;
  return {
    wallMsPerBatch: wall,
    cpuMsPerBatch: (cpuMs() - c0) / steps,
    tokensPerSec: (BATCH * SEQ * 1000) / wall,
  };
}

/** The benchmark's model: vocab 64, embedding 64, one LSTM layer of `hidden`, no dropout. */
function benchConfig(hidden: number, dropout = 0): LstmConfig {
  return { vocabSize: VOCAB, embeddingDim: EMBEDDING, hiddenSize: hidden, numLayers: 1, dropout };
}

async function ostinato(c: TrainSpeedCase): Promise<TrainSpeedMeasure> {
  const config = benchConfig(c.hidden);
  const trainer = await createLstmTrainer(config, {
    clipNorm: 1,
    seed: 1,
    threads: c.threads,
  });
  const batches = [0, 1, 2].map((k) => syntheticBatch(k));
  // Starts the helpers, if any, and warms them up (SPLIT_WARMUP_BATCHES, model/lstm/setup.ts);
  // one thread gets the same batches.
  for (let k = 0; k < SPLIT_WARMUP_BATCHES; k++) await trainer.trainBatch(batches[k % 3]!, 1e-3);
  const helpers = () =>
    (trainer as unknown as { helperUsage: { cpuMs: number; peakRssMB: number } }).helperUsage;
  let helperCpu0 = 0;
  const r = await timeSteps(c.steps, async (i) => {
    if (i === 0) helperCpu0 = helpers().cpuMs;
    if (i === 0 && c.profile) phaseTimes.enabled = true;
    await trainer.trainBatch(batches[(i + 3) % 3]!, 1e-3);
  });
  let phases: Record<string, number> | undefined;
  let kernels: TrainSpeedMeasure['kernels'];
  if (c.profile) {
    phases = Object.fromEntries(Object.entries(phaseTimes.ms).map(([k, v]) => [k, v / c.steps]));
    phaseTimes.enabled = false;
    const info = await tf.profile(async () => {
      await trainer.trainBatch(batches[0]!, 1e-3);
    });
    const agg = new Map<string, { ms: number; calls: number }>();
    for (const k of info.kernels) {
      const a = agg.get(k.name) ?? { ms: 0, calls: 0 };
      a.ms += Number(k.kernelTimeMs) || 0;
      a.calls++;
      agg.set(k.name, a);
    }
    kernels = [...agg].map(([name, a]) => ({ name, ...a })).sort((a, b) => b.ms - a.ms);
  }
  // Helper processes (threads > 1) count too: their CPU time per batch, and their peak memory
  // added to this process' (an upper bound of the peak of the sum).
  const helperCpuPerBatch = (helpers().cpuMs - helperCpu0) / c.steps;
  const peak = peakRssMB() + helpers().peakRssMB;
  await trainer.dispose();
  return {
    backend: trainer.backend,
    ...r,
    cpuMsPerBatch: r.cpuMsPerBatch + helperCpuPerBatch,
    peakRssMB: peak,
    phases,
    kernels,
  };
}

/**
 * A one-thread and a two-thread trainer in one process, batch by batch (1, 2, 2, 1, 1, 2, ...):
 * each pair of batches runs within a second, so the speed swings of a shared machine, which last
 * seconds to minutes, hit both sides of a pair alike.
 */
async function paired(c: TrainSpeedCase): Promise<TrainSpeedMeasure> {
  const config = benchConfig(c.hidden, c.dropout);
  const one = await createLstmTrainer(config, { clipNorm: 1, seed: 1, threads: 1 });
  const two = await createLstmTrainer(config, { clipNorm: 1, seed: 1, threads: c.threads });
  const batches = [0, 1, 2].map((k) => syntheticBatch(k, c.batch));
  for (const t of [one, two])
    for (let k = 0; k < SPLIT_WARMUP_BATCHES; k++) await t.trainBatch(batches[k % 3]!, 1e-3); // warm-up
  const ms = { one: [] as number[], two: [] as number[] };
  const time = async (t: typeof one, out: number[], b: TokenBatch) => {
    const t0 = performance.now();
    await t.trainBatch(b, 1e-3);
    out.push(performance.now() - t0);
  };
  for (let i = 0; i < c.steps; i++) {
    const b = batches[i % 3]!;
    if (i % 2 === 0) {
      await time(one, ms.one, b);
      await time(two, ms.two, b);
    } else {
      await time(two, ms.two, b);
      await time(one, ms.one, b);
    }
  }
  await one.dispose();
  await two.dispose();
  return { backend: one.backend, peakRssMB: peakRssMB(), pairedMs: ms };
}

async function tfjsLayers(c: TrainSpeedCase): Promise<TrainSpeedMeasure> {
  const backend = await initBackend();
  // The same model with tfjs layers: one-hot -> dense (embedding) -> lstm -> dense softmax.
  const input = tf.input({ shape: [SEQ, VOCAB] });
  const emb = tf.layers.dense({ units: EMBEDDING, useBias: false }).apply(input) as tf.SymbolicTensor;
  const h = tf.layers
    .lstm({ units: c.hidden, returnSequences: true, recurrentActivation: 'sigmoid' })
    .apply(emb) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: VOCAB, activation: 'softmax' }).apply(h) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  const b = syntheticBatch(0);
  const x = tf.oneHot(tf.tensor2d(b.inputs, [BATCH, SEQ], 'int32'), VOCAB).toFloat();
  const y = tf.oneHot(tf.tensor2d(b.targets, [BATCH, SEQ], 'int32'), VOCAB).toFloat();
  const r = await timeSteps(c.steps, async () => {
    await model.trainOnBatch(x, y);
  });
  return { backend, ...r, peakRssMB: peakRssMB() };
}

async function generate(c: TrainSpeedCase): Promise<TrainSpeedMeasure> {
  if (c.engine) process.env.OSTINATO_STEPPER = c.engine;
  const backend = await initBackend();
  const config = benchConfig(c.hidden);
  const stepper = createLstmStepper(config, initWeights(config, 1));
  let s = 12345;
  const sample = (p: Float32Array, row: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    let u = s / 4294967296;
    for (let v = 0; v < VOCAB; v++) {
      u -= p[row * VOCAB + v]!;
      if (u <= 0) return v;
    }
    return VOCAB - 1;
  };
  const run = (rows: number, tokens: number) => {
    stepper.reset(rows);
    const t0 = performance.now();
    const tok = new Int32Array(rows);
    for (let i = 0; i < tokens; i++) {
      const p = stepper.step(tok, 1);
      for (let r = 0; r < rows; r++) tok[r] = sample(p, r);
    }
    return performance.now() - t0;
  };
  run(1, 200); // warm-up (JIT)
  const best = (f: () => number) => Math.min(...Array.from({ length: Math.max(1, c.steps) }, f));
  const gen1000Ms = best(() => run(1, 1000));
  const gen8x256Ms = best(() => run(8, 256));
  const genEngine = (stepper as unknown as { engine: string }).engine;
  stepper.dispose();
  return { backend, genEngine, gen1000Ms, gen8x256Ms, peakRssMB: peakRssMB() };
}

async function main(): Promise<void> {
  const c = JSON.parse(process.argv[2] ?? '{}') as TrainSpeedCase;
  const r =
    c.kind === 'ostinato'
      ? await ostinato(c)
      : c.kind === 'paired'
        ? await paired(c)
        : c.kind === 'tfjs-layers'
          ? await tfjsLayers(c)
          : await generate(c);
  process.stdout.write(JSON.stringify(r) + '\n');
  process.exit(0);
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`train-speed case failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
