import {
  createLstmTrainer,
  createLstmStepper,
  createMixtureStepper,
  initBackend,
  countParameters,
  type LstmConfig,
  type NamedTensorData,
} from '../../model/index.js';
import { baselineNll, fitBernoulli, fitMarkov } from './baselines.js';
import { stepperNll } from './evaluate.js';
import { frameVocab, type FrameCoding } from './frames.js';
import { countPredictedFrames, PIANO_HIGH, PIANO_LOW, type PianoRollDataset } from './data.js';
import { trainPianoRoll, type PianoRollTrainOptions, type TrainLogEntry } from './train.js';

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
  /**
   * Models trained with seeds seed, seed+1, ... (each on one thread, with the same time budget) and
   * scored as one equal-weight mixture (createMixtureStepper); 1 = a single model.
   */
  members: number;
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
  members: 1,
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
  // A mixture of 4 models of 15 minutes each: 30 minutes on 2 cores. One model overfits after
  // about 25 epochs (12 minutes), so more, shorter members beat fewer, longer ones.
  'jsb-chorales': {
    model: { embeddingDim: 32, hiddenSize: 192, numLayers: 2, dropout: 0.3 },
    coding: 'pitch-sets',
    members: 4,
    seconds: 900,
  },
  // A mixture of 2 models of 30 minutes each (2 cores), frames as pitch changes.
  nottingham: {
    model: { embeddingDim: 32, hiddenSize: 128, numLayers: 2, dropout: 0.1 },
    coding: 'pitch-changes',
    members: 2,
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

/** One trained model of a run: its best-valid weights and how its training went. */
export interface BenchmarkMember {
  seed: number;
  backend: string;
  weights: NamedTensorData[];
  bestValidNllUpper: number; // plain-softmax valid NLL of the kept weights (the selection score)
  trainSeconds: number;
  epochs: number;
  batches: number;
  tokensSeen: number;
  log: TrainLogEntry[];
}

/** Trains member `index` of a run (seed `opts.seed + index`) on one thread; keeps its best weights on valid. */
export async function trainBenchmarkMember(
  data: PianoRollDataset,
  opts: BenchmarkOptions,
  index: number,
): Promise<BenchmarkMember> {
  const log = opts.onLog ?? (() => undefined);
  const vocab = frameVocab(PIANO_LOW, PIANO_HIGH, opts.coding);
  const config: LstmConfig = { vocabSize: vocab.size, ...opts.model };
  const seed = opts.seed + index;
  const tag = opts.members > 1 ? `${data.name} member ${index + 1}/${opts.members}` : data.name;
  const trainer = await createLstmTrainer(config, {
    clipNorm: opts.clipNorm,
    seed,
    threads: 1,
  });
  try {
    const tr = await trainPianoRoll(trainer, data.train, data.valid, vocab, {
      ...opts,
      seed,
      onLog: (l) => log(`${tag}: ${l}`),
    });
    return {
      seed,
      backend: trainer.backend,
      weights: tr.best,
      bestValidNllUpper: tr.bestValidNllUpper,
      trainSeconds: tr.seconds,
      epochs: tr.epochs,
      batches: tr.batches,
      tokensSeen: tr.tokensSeen,
      log: tr.log,
    };
  } finally {
    await trainer.dispose();
  }
}

/**
 * Trains the members of a run. The default trains them one after another in this thread; a caller
 * with several cores can pass one that trains them at the same time in other processes.
 */
export type MemberTrainer = (
  data: PianoRollDataset,
  opts: BenchmarkOptions,
  count: number,
) => Promise<BenchmarkMember[]>;

export const trainMembersInTurn: MemberTrainer = async (data, opts, count) => {
  const out: BenchmarkMember[] = [];
  for (let i = 0; i < count; i++) out.push(await trainBenchmarkMember(data, opts, i));
  return out;
};

export interface BenchmarkMemberSummary extends Omit<BenchmarkMember, 'weights'> {
  testNll: number; // this member alone, renormalised
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
    coding: FrameCoding;
    parameters: number; // of one member
    backend: string;
    /** Wall-clock time from the start of training to the last member's end. */
    trainSeconds: number;
    members: BenchmarkMemberSummary[];
    validNll: number | null; // the (mixture) model, renormalised (null when not asked)
    validPiecesForSelection: number;
    testNll: number; // the (mixture) model, renormalised
    testNllPlainSoftmax: number; // without renormalisation (an upper bound)
    evalSeconds: number;
  };
  options: Omit<BenchmarkOptions, 'onLog'>;
}

export async function runBenchmark(
  data: PianoRollDataset,
  opts: BenchmarkOptions,
  trainMembers: MemberTrainer = trainMembersInTurn,
): Promise<BenchmarkResult> {
  const log = opts.onLog ?? (() => undefined);
  if (!Number.isInteger(opts.members) || opts.members < 1)
    throw new Error(`members must be an integer >= 1, got ${opts.members}`);
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
  const parameters = countParameters(config);
  log(
    `${data.name}: LSTM ${JSON.stringify(opts.model)}, ${opts.coding}, ${parameters} parameters` +
      `${opts.members > 1 ? ` x ${opts.members} members` : ''}, budget ${opts.seconds}s`,
  );
  const t0 = Date.now();
  const members = await trainMembers(data, opts, opts.members);
  const trainSeconds = (Date.now() - t0) / 1000;
  // The stepper runs its products on tfjs once a fast backend is up; members trained in other
  // processes left none running here.
  await initBackend();
  const t1 = Date.now();
  const progress = (what: string) => (done: number, total: number) =>
    log(`${data.name}: scoring ${what} ${done}/${total} frames, ${((Date.now() - t1) / 1000).toFixed(0)}s`);
  const summaries: BenchmarkMemberSummary[] = members.map(({ weights, ...m }, i) => {
    if (members.length === 1) return { ...m, testNll: NaN }; // the model itself is scored below
    const stepper = createLstmStepper(config, weights);
    const alone = stepperNll(stepper, data.test, vocab, {
      rows: opts.rows,
      onProgress: progress(`member ${i + 1} test`),
    });
    stepper.dispose();
    log(`${data.name}: member ${i + 1} alone: test ${alone.nll.toFixed(3)} nats/frame`);
    return { ...m, testNll: alone.nll };
  });
  const model = createMixtureStepper(members.map((m) => createLstmStepper(config, m.weights)));
  const what = members.length > 1 ? `mixture of ${members.length}` : 'model';
  const valid =
    opts.scoreValid === false
      ? null
      : stepperNll(model, data.valid, vocab, { rows: opts.rows, onProgress: progress(`${what} valid`) });
  const test = stepperNll(model, data.test, vocab, { rows: opts.rows, onProgress: progress(`${what} test`) });
  model.dispose();
  if (members.length === 1) summaries[0].testNll = test.nll;
  result.lstm = {
    config,
    coding: opts.coding,
    parameters,
    backend: members[0].backend,
    trainSeconds,
    members: summaries,
    validNll: valid ? valid.nll : null,
    validPiecesForSelection: Math.min(opts.validPieces ?? data.valid.length, data.valid.length),
    testNll: test.nll,
    testNllPlainSoftmax: test.plainNll,
    evalSeconds: (Date.now() - t1) / 1000,
  };
  log(
    `${data.name}: LSTM ${what} test ${test.nll.toFixed(3)} nats/frame (valid ${valid ? valid.nll.toFixed(3) : 'not scored'}; plain softmax test ${test.plainNll.toFixed(3)}), ` +
      `${trainSeconds.toFixed(0)}s training`,
  );
  return result;
}
