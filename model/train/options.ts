import type { GridName } from '../core/types.js';
import { STEPS_PER_QUARTER } from '../core/types.js';

/**
 * Training options. `TrainingOptions` is the same shape as main/shared/api.ts TrainingOptions (the
 * app's settings form); `TrainOptions` adds the settings only the CLI, tests and benchmarks change.
 * The reasoning behind every default is in docs/model-defaults.md.
 */
export interface TrainingOptions {
  name: string;
  epochs: number;
  maxSeconds: number; // 0 = no limit
  hiddenSize: number;
  numLayers: number;
  embeddingDim: number;
  dropout: number;
  seqLen: number;
  batchSize: number;
  learningRate: number;
  transpose: number; // augmentation range in semitones (±)
  grid: GridName;
  resumeModelId?: string; // used by the app host only; trainModel takes `resume: true`
}

export interface TrainOptions extends TrainingOptions {
  /** Share of pieces held out for validation (at least one piece). */
  valFraction: number;
  /** Stop after this many epochs without a better validation loss; 0 = never stop early. */
  patience: number;
  /** Global gradient-norm clipping. */
  clipNorm: number;
  /** Cosine decay ends at learningRate × this factor. */
  minLearningRateFactor: number;
  /** Seed of the split, shuffles, augmentation, weight initialisation and dropout. */
  seed: number;
  /** tfjs backend to ask for (falls back down tensorflow → wasm → cpu). */
  backend?: 'tensorflow' | 'wasm' | 'cpu';
  /** Cores for the trainer (default: what the LSTM core picks). */
  threads?: number;
}

export function defaultTrainingOptions(): TrainingOptions {
  return {
    name: 'My model',
    epochs: 20,
    maxSeconds: 0,
    hiddenSize: 256,
    numLayers: 1,
    embeddingDim: 64,
    dropout: 0.2,
    seqLen: 64,
    batchSize: 32,
    learningRate: 0.005,
    transpose: 5,
    grid: '16th',
  };
}

export function defaultTrainOptions(): TrainOptions {
  return {
    ...defaultTrainingOptions(),
    valFraction: 0.1,
    patience: 4,
    clipNorm: 1,
    minLearningRateFactor: 0.1,
    seed: 1,
  };
}

/** Checks every option; throws one readable message naming the first bad one. */
export function validateTrainOptions(o: TrainOptions): TrainOptions {
  const bad = (name: string, what: string, v: unknown): never => {
    throw new RangeError(`Training option ${name} ${what} (got ${JSON.stringify(v)})`);
  };
  const int = (name: keyof TrainOptions, lo: number, hi: number) => {
    const v = o[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi)
      bad(name, `must be an integer from ${lo} to ${hi}`, v);
  };
  const real = (name: keyof TrainOptions, lo: number, hi: number, openLo = false) => {
    const v = o[name];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi || (openLo && v === lo))
      bad(name, `must be a number ${openLo ? 'above' : 'from'} ${lo} ${openLo ? 'up to' : 'to'} ${hi}`, v);
  };
  if (typeof o.name !== 'string') bad('name', 'must be a string', o.name);
  int('epochs', 1, 10000);
  real('maxSeconds', 0, 30 * 24 * 3600);
  int('hiddenSize', 8, 2048);
  int('numLayers', 1, 3);
  int('embeddingDim', 4, 1024);
  real('dropout', 0, 0.9);
  int('seqLen', 8, 1024);
  int('batchSize', 1, 1024);
  real('learningRate', 0, 1, true);
  int('transpose', 0, 11);
  if (!(o.grid in STEPS_PER_QUARTER))
    bad('grid', `must be one of ${Object.keys(STEPS_PER_QUARTER).join(', ')}`, o.grid);
  real('valFraction', 0, 0.5, true);
  int('patience', 0, 10000);
  real('clipNorm', 0, 1e6, true);
  real('minLearningRateFactor', 0, 1);
  if (typeof o.seed !== 'number' || !Number.isFinite(o.seed)) bad('seed', 'must be a number', o.seed);
  if (o.backend !== undefined && !['tensorflow', 'wasm', 'cpu'].includes(o.backend))
    bad('backend', 'must be tensorflow, wasm or cpu', o.backend);
  if (o.threads !== undefined) int('threads', 1, 256);
  return o;
}
