import { BACKEND_ORDER, GRID_NAMES } from './types.js';
import { checkOptions, optionDefaults, SEED_BOUNDS, type OptionTable, type OptionValues } from './options.js';

/**
 * Training options: one table (model/common/options.ts) that the core's check (validateTrainOptions),
 * the host's argument check (main/shared/validate.ts), the app's training form and the CLI's
 * `train` flags all read. `TRAINING_OPTIONS` is the app's settings form (`TrainingOptions`);
 * `TRAIN_OPTIONS` adds the settings only the CLI, tests and benchmarks change (`TrainOptions`).
 * The reasoning behind every default is in docs/model-defaults.md.
 */
export const TRAINING_OPTIONS = {
  name: {
    kind: 'text',
    maxLength: 200,
    default: 'My model',
    label: 'Model name',
    help: 'How the new model is listed in the library.',
  },
  epochs: {
    kind: 'number',
    min: 1,
    max: 10000,
    integer: true,
    default: 20,
    label: 'Epochs',
    help: 'Passes over the whole corpus. More epochs learn more but can overfit.',
  },
  maxSeconds: {
    kind: 'number',
    min: 0,
    max: 30 * 24 * 3600,
    step: 1,
    default: 0,
    label: 'Time limit (s)',
    help: 'Stop after this many seconds; 0 = no limit. The last checkpoint is kept.',
  },
  hiddenSize: {
    kind: 'number',
    min: 8,
    max: 2048,
    integer: true,
    default: 256,
    label: 'Hidden size',
    help: 'Units per LSTM layer: the model’s memory. Larger is slower but more expressive.',
  },
  numLayers: {
    kind: 'number',
    min: 1,
    max: 3,
    integer: true,
    default: 1,
    label: 'Layers',
    help: 'Stacked LSTM layers. One (the default) trains about 3x faster; two or three can learn more from a large corpus.',
  },
  embeddingDim: {
    kind: 'number',
    min: 4,
    max: 1024,
    integer: true,
    default: 64,
    label: 'Embedding size',
    help: 'Size of the vector each note/chord event is turned into before the LSTM.',
  },
  dropout: {
    kind: 'number',
    min: 0,
    max: 0.9,
    step: 0.05,
    default: 0.2,
    label: 'Dropout',
    help: 'Fraction of activations dropped while training; fights overfitting on small corpora.',
  },
  seqLen: {
    kind: 'number',
    min: 8,
    max: 1024,
    integer: true,
    default: 64,
    label: 'Sequence length',
    help: 'Events per training window: how far back the model looks while learning.',
  },
  batchSize: {
    kind: 'number',
    min: 1,
    max: 1024,
    integer: true,
    default: 32,
    label: 'Batch size',
    help: 'Windows trained on at once. Larger is smoother and faster per event, uses more memory.',
  },
  learningRate: {
    kind: 'number',
    min: 0,
    max: 1,
    above: true,
    step: 0.0001,
    default: 0.005,
    label: 'Learning rate',
    help: 'Step size of the optimizer (its peak: it decays along a cosine). Lower if the loss jumps around; higher if it barely moves.',
  },
  transpose: {
    kind: 'number',
    min: 0,
    max: 11,
    integer: true,
    default: 0,
    label: 'Transpose ± (semitones)',
    help: 'Augmentation: each piece is also learned shifted up and down by up to this many semitones. Off (0) by default: the model then writes in your music’s keys and registers; try 3–5 for a very small corpus.',
  },
  grid: {
    kind: 'choice',
    choices: GRID_NAMES,
    default: '16th',
    label: 'Time grid',
    help: 'Quantization of note times: the finest rhythm the model can write.',
  },
} as const satisfies OptionTable;

export const TRAIN_OPTIONS = {
  ...TRAINING_OPTIONS,
  valFraction: {
    kind: 'number',
    min: 0,
    max: 0.5,
    above: true,
    default: 0.1,
    label: 'Validation share',
    help: 'Share of pieces held out for validation (at least one piece).',
  },
  patience: {
    kind: 'number',
    min: 0,
    max: 10000,
    integer: true,
    default: 4,
    label: 'Patience',
    help: 'Stop after this many epochs without a better validation loss; 0 = never stop early.',
  },
  clipNorm: {
    kind: 'number',
    min: 0,
    max: 1e6,
    above: true,
    default: 1,
    label: 'Gradient clipping',
    help: 'Global gradient-norm clipping.',
  },
  minLearningRateFactor: {
    kind: 'number',
    min: 0,
    max: 1,
    default: 0.1,
    label: 'Final learning rate factor',
    help: 'The cosine decay ends at the learning rate × this factor.',
  },
  seed: {
    ...SEED_BOUNDS,
    label: 'Seed',
    help: 'Seed of the split, shuffles, augmentation, weight initialisation and dropout.',
  },
  backend: {
    kind: 'choice',
    choices: BACKEND_ORDER,
    optional: true,
    label: 'Backend',
    help: 'tfjs backend to ask for (falls back down tensorflow → wasm → cpu; default: the best available).',
  },
  threads: {
    kind: 'number',
    min: 1,
    max: 256,
    integer: true,
    optional: true,
    label: 'Threads',
    help: 'Cores for the trainer (default: what the LSTM core picks).',
  },
  repeatBars: {
    kind: 'number',
    min: 0,
    max: 64,
    integer: true,
    default: 16,
    label: 'Repeat bars',
    help: 'REPEAT_k tokens for a bar repeating one up to this many bars back, 0 = none (docs/encoding.md).',
  },
} as const satisfies OptionTable;

/** The app's training settings (main/shared/api.ts re-exports it). */
export interface TrainingOptions extends OptionValues<typeof TRAINING_OPTIONS> {
  resumeModelId?: string; // used by the app host only; trainModel takes `resume: true`
}

/** TrainingOptions and the settings only the CLI, tests and benchmarks change. */
export interface TrainOptions extends TrainingOptions, OptionValues<typeof TRAIN_OPTIONS> {}

export function defaultTrainingOptions(): TrainingOptions {
  return optionDefaults(TRAINING_OPTIONS) as TrainingOptions;
}

export function defaultTrainOptions(): TrainOptions {
  return optionDefaults(TRAIN_OPTIONS) as TrainOptions;
}

/** Checks every option; throws one InputError naming the first bad one. */
export function validateTrainOptions(o: TrainOptions): TrainOptions {
  checkOptions(TRAIN_OPTIONS, o, 'training options');
  return o;
}
