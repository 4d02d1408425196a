import { createLstmTrainer } from '../lstm/trainer.js';
import { createLstmStepper } from '../lstm/stepper.js';
import { countParameters } from '../lstm/weights.js';
import type { LstmConfig } from '../lstm/types.js';
import { baselineNll, fitBernoulli, fitMarkov } from './baselines.js';
import { countPredictedFrames, type PianoRollDataset } from './data.js';
import { stepperNll } from './evaluate.js';
import { frameVocab, type FrameCoding } from './frames.js';
import { PIANO_HIGH, PIANO_LOW } from './data.js';
import {
  plainNllPerFrame,
  trainPianoRoll,
  validationBatches,
  type PianoRollTrainOptions,
  type TrainLogEntry,
} from './train.js';

/**
 * One piano-roll benchmark run: the two references, then an LSTM on frame tokens trained on the
 * train split within a time budget, selected on valid, scored on test (nats per predicted frame,
 * renormalised over the allowed tokens).
 */
export interface BenchmarkModelOptions {
  embeddingDim: number;
  hiddenSize: number;
  numLayers: number;
  dropout: number;
}

export interface BenchmarkOptions extends Omit<PianoRollTrainOptions, 'onLog'> {
  model: BenchmarkModelOptions;
  /** How frames become tokens (frames.ts). */
  coding: FrameCoding;
  /** Pieces stepped together when scoring. */
  rows: number;
  /** Score the kept weights exactly on the whole valid split too (default true). */
  scoreValid?: boolean;
  /** Skip the LSTM (references only). */
  referencesOnly?: boolean;
  onLog?: (line: string) => void;
}

export const DEFAULT_BENCHMARK_OPTIONS: BenchmarkOptions = {
  model: { embeddingDim: 32, hiddenSize: 128, numLayers: 2, dropout: 0.3 },
  coding: 'pitch-sets',
  learningRate: 4e-3,
  minLearningRateFactor: 0.05,
  warmupSteps: 50,
  clipNorm: 5,
  batchSize: 16,
  seqLen: 64,
  transpose: 0,
  seed: 1,
  seconds: 600,
  validEvery: 400,
  rows: 64,
};

/**
 * The settings of the best runs in docs/benchmarks.md, per standard dataset: `npm run eval:benchmarks`
 * uses them unless a flag says otherwise (other files get DEFAULT_BENCHMARK_OPTIONS).
 */
export const TUNED_BENCHMARK_OPTIONS: Readonly<Record<string, Partial<BenchmarkOptions>>> = {
  'jsb-chorales': {
    model: { embeddingDim: 32, hiddenSize: 192, numLayers: 2, dropout: 0.3 },
    seconds: 1800,
  },
  nottingham: {
    model: { embeddingDim: 32, hiddenSize: 128, numLayers: 2, dropout: 0.1 },
    seconds: 1800,
  },
};

/** The options for a dataset: the tuned settings of a standard set, else the defaults. */
export function benchmarkOptionsFor(dataset: string): BenchmarkOptions {
  const tuned = TUNED_BENCHMARK_OPTIONS[dataset] ?? {};
  return {
    ...DEFAULT_BENCHMARK_OPTIONS,
    ...tuned,
    model: { ...DEFAULT_BENCHMARK_OPTIONS.model, ...tuned.model },
  };
}

export interface BenchmarkResult {
  dataset: string;
  pieces: { train: number; valid: number; test: number };
  predictedFrames: { valid: number; test: number };
  references: {
    bernoulli: { test: number; testAllFrames: number };
    markov: { test: number };
  };
  lstm?: {
    config: LstmConfig;
    parameters: number;
    backend: string;
    trainSeconds: number;
    epochs: number;
    batches: number;
    tokensSeen: number;
    validNll: number | null; // renormalised, best weights (null when not asked)
    validPiecesForSelection: number;
    testNll: number; // renormalised, best weights
    testNllPlainSoftmax: number; // without renormalisation (an upper bound)
    evalSeconds: number;
    log: TrainLogEntry[];
  };
  options: Omit<BenchmarkOptions, 'onLog'>;
}

export async function runBenchmark(data: PianoRollDataset, opts: BenchmarkOptions): Promise<BenchmarkResult> {
  const log = opts.onLog ?? (() => undefined);
  const bern = fitBernoulli(data.train);
  const markov = fitMarkov(data.train);
  const { onLog: _drop, ...options } = opts;
  const result: BenchmarkResult = {
    dataset: data.name,
    pieces: { train: data.train.length, valid: data.valid.length, test: data.test.length },
    predictedFrames: { valid: countPredictedFrames(data.valid), test: countPredictedFrames(data.test) },
    references: {
      bernoulli: {
        test: baselineNll(bern, data.test).nll,
        testAllFrames: baselineNll(bern, data.test, 0).nll,
      },
      markov: { test: baselineNll(markov, data.test).nll },
    },
    options,
  };
  log(
    `${data.name}: Bernoulli ${result.references.bernoulli.test.toFixed(3)} (all frames ${result.references.bernoulli.testAllFrames.toFixed(3)}), ` +
      `Markov ${result.references.markov.test.toFixed(3)} nats/frame on test`,
  );
  if (opts.referencesOnly) return result;

  const vocab = frameVocab(PIANO_LOW, PIANO_HIGH, opts.coding);
  const config: LstmConfig = { vocabSize: vocab.size, ...opts.model };
  const trainer = await createLstmTrainer(config, {
    learningRate: opts.learningRate,
    clipNorm: opts.clipNorm,
    seed: opts.seed,
  });
  try {
    const parameters = countParameters(config);
    log(
      `${data.name}: LSTM ${JSON.stringify(opts.model)}, ${parameters} parameters, backend ${trainer.backend}, budget ${opts.seconds}s`,
    );
    const tr = await trainPianoRoll(trainer, data.train, data.valid, vocab, {
      ...opts,
      onLog: (l) => log(`${data.name}: ${l}`),
    });
    const t0 = Date.now();
    await trainer.setWeights(tr.best);
    const testPlain = await plainNllPerFrame(
      trainer,
      validationBatches(data.test, vocab, Math.max(opts.seqLen, 256), opts.batchSize),
      result.predictedFrames.test,
    );
    const stepper = createLstmStepper(config, tr.best);
    const progress = (what: string) => (done: number, total: number) =>
      log(`${data.name}: scoring ${what} ${done}/${total} frames, ${((Date.now() - t0) / 1000).toFixed(0)}s`);
    const valid =
      opts.scoreValid === false
        ? null
        : stepperNll(stepper, data.valid, vocab, { rows: opts.rows, onProgress: progress('valid') });
    const test = stepperNll(stepper, data.test, vocab, { rows: opts.rows, onProgress: progress('test') });
    stepper.dispose();
    result.lstm = {
      config,
      parameters,
      backend: trainer.backend,
      trainSeconds: tr.seconds,
      epochs: tr.epochs,
      batches: tr.batches,
      tokensSeen: tr.tokensSeen,
      validNll: valid ? valid.nll : null,
      validPiecesForSelection: Math.min(opts.validPieces ?? data.valid.length, data.valid.length),
      testNll: test.nll,
      testNllPlainSoftmax: testPlain,
      evalSeconds: (Date.now() - t0) / 1000,
      log: tr.log,
    };
    log(
      `${data.name}: LSTM test ${test.nll.toFixed(3)} nats/frame (valid ${valid ? valid.nll.toFixed(3) : 'not scored'}; plain softmax test ${testPlain.toFixed(3)}), ` +
        `${tr.seconds.toFixed(0)}s training, ${tr.epochs.toFixed(2)} epochs`,
    );
    return result;
  } finally {
    await trainer.dispose();
  }
}
