import type { BackendName, GridName } from '../core/types.js';
import { BACKEND_ORDER, STEPS_PER_QUARTER } from '../core/types.js';
import { DEFAULT_REPEAT_BARS } from '../encoding/config.js';

/**
 * Training options. `TrainingOptions` is the app's settings form (main/shared/api.ts re-exports it); `TrainOptions` adds the settings only the CLI, tests and benchmarks change.
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

/** A numeric option's allowed values; `above`: the lower bound itself is not allowed. */
export interface OptionRange {
  min: number;
  max: number;
  integer: boolean;
  above?: boolean;
}

/**
 * The allowed range of every numeric TrainingOptions field: the one table behind validateTrainOptions
 * and the app's argument checks (main/shared/validate.ts).
 */
export const TRAINING_OPTION_RANGES = {
  epochs: { min: 1, max: 10000, integer: true },
  maxSeconds: { min: 0, max: 30 * 24 * 3600, integer: false },
  hiddenSize: { min: 8, max: 2048, integer: true },
  numLayers: { min: 1, max: 3, integer: true },
  embeddingDim: { min: 4, max: 1024, integer: true },
  dropout: { min: 0, max: 0.9, integer: false },
  seqLen: { min: 8, max: 1024, integer: true },
  batchSize: { min: 1, max: 1024, integer: true },
  learningRate: { min: 0, max: 1, integer: false, above: true },
  transpose: { min: 0, max: 11, integer: true },
} as const satisfies { [K in keyof TrainingOptions]?: OptionRange };

/** Every TrainingOptions field (the numeric ones in the order of TRAINING_OPTION_RANGES). */
export const TRAINING_OPTION_KEYS: readonly (keyof TrainingOptions)[] = [
  'name',
  ...(Object.keys(TRAINING_OPTION_RANGES) as (keyof typeof TRAINING_OPTION_RANGES)[]),
  'grid',
  'resumeModelId',
];

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
  backend?: BackendName;
  /** Cores for the trainer (default: what the LSTM core picks). */
  threads?: number;
  /** REPEAT_k tokens for k up to this many bars back, 0 = none (model/encoding; docs/encoding.md). */
  repeatBars: number;
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
    transpose: 0,
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
    repeatBars: DEFAULT_REPEAT_BARS,
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
  for (const [name, r] of Object.entries(TRAINING_OPTION_RANGES) as [keyof TrainOptions, OptionRange][]) {
    if (r.integer) int(name, r.min, r.max);
    else real(name, r.min, r.max, r.above);
  }
  if (!(o.grid in STEPS_PER_QUARTER))
    bad('grid', `must be one of ${Object.keys(STEPS_PER_QUARTER).join(', ')}`, o.grid);
  real('valFraction', 0, 0.5, true);
  int('patience', 0, 10000);
  real('clipNorm', 0, 1e6, true);
  real('minLearningRateFactor', 0, 1);
  if (typeof o.seed !== 'number' || !Number.isFinite(o.seed)) bad('seed', 'must be a number', o.seed);
  if (o.backend !== undefined && !BACKEND_ORDER.includes(o.backend))
    bad('backend', 'must be tensorflow, wasm or cpu', o.backend);
  if (o.threads !== undefined) int('threads', 1, 256);
  int('repeatBars', 0, 64);
  return o;
}
