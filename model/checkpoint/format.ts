import type { GridName } from '../common/types.js';
import { InputError } from '../common/options.js';
import type { LstmConfig } from '../lstm/types.js';
import type { NgramCounts } from '../eval/baselines.js';
import { validateNgramCounts } from '../eval/baselines.js';
import { validateEncodingConfig, type EncodingConfig } from '../encoding/config.js';
import type { StopReason } from '../train/events.js';
import type { TrainOptions } from '../common/training-options.js';

/**
 * The model folder format. A model folder holds:
 * - model.json: this manifest (the commit point: written atomically, last);
 * - weights-<hash>.bin: the weights used for generation (the best epoch by validation loss);
 * - weights-<hash>.bin + optimizer-<hash>.bin named under `resume`: the latest epoch's weights and
 *   Adam state, to continue training exactly (when the latest epoch is the best one, both manifests
 *   name the same content-named weights file).
 * Binary files are the float32 little-endian data of the tensors one after the other; the manifest
 * lists every tensor (name, shape, byte offset) and the file's size and SHA-256.
 *
 * Each setting is stored once: the network under `lstm`, the grid, transposition and repeat bars
 * under `encoding`, the rest of the run's options under `hyperparameters`. Version 1 (see
 * ManifestV1) is read through upgradeManifest; only version 2 is written.
 */

export const MODEL_FORMAT = 'ostinato-model';
export const MODEL_FORMAT_VERSION = 2;
export const MANIFEST_FILE = 'model.json';

export interface TensorEntry {
  name: string;
  shape: number[];
  offset: number; // bytes from the start of the file
}

export interface BlobRef {
  file: string;
  bytes: number;
  sha256: string;
  tensors: TensorEntry[];
}

export interface EpochRecord {
  epoch: number; // 1-based
  trainLoss: number;
  trainAccuracy: number;
  valLoss: number;
  valAccuracy: number;
  learningRate: number; // at the end of the epoch
  seconds: number; // wall time of the epoch (training + validation)
  tokensPerSecond: number;
  partial?: boolean; // cut short by the time limit
}

export type { StopReason };

export interface TrainingState {
  epoch: number; // completed epochs
  step: number; // optimizer steps so far
  bestValLoss: number | null;
  bestEpoch: number; // 0 = none yet
  epochsWithoutImprovement: number;
  rngState: number; // the shuffling Rng after the last completed epoch
  elapsedSeconds: number; // training time summed over every run
  stopReason: StopReason | null; // why the last run ended (null while it runs)
}

/** The state of a run that has not completed an epoch yet. */
export function initialTrainingState(rngState: number): TrainingState {
  return {
    epoch: 0,
    step: 0,
    bestValLoss: null,
    bestEpoch: 0,
    epochsWithoutImprovement: 0,
    rngState,
    elapsedSeconds: 0,
    stopReason: null,
  };
}

export interface CorpusInfo {
  files: number; // pieces given to training
  trainPieces: number;
  valPieces: number;
  trainTokens: number; // tokens of the un-augmented training pieces
  valTokens: number;
  /**
   * Mean nats per token of the validation pieces under the bigram baseline of the training tokens
   * (`baselines`): what the model's validation loss should beat. Absent in models trained before it
   * was recorded.
   */
  bigramValLoss?: number;
}

/** The TrainOptions fields stored under `hyperparameters` (the others are `lstm`, `encoding` and `name`). */
export const RUN_SETTING_KEYS = [
  'epochs',
  'maxSeconds',
  'seqLen',
  'batchSize',
  'learningRate',
  'minLearningRateFactor',
  'clipNorm',
  'valFraction',
  'patience',
  'seed',
] as const satisfies readonly (keyof TrainOptions)[];

/**
 * The run's options as trainModel used them (after defaults), and the warmup the first run chose
 * (kept so a resumed run follows the same learning-rate schedule). Resume reads them back as they are.
 */
export interface Hyperparameters extends Pick<TrainOptions, (typeof RUN_SETTING_KEYS)[number]> {
  warmupSteps: number;
}

/** The `hyperparameters` of a run with these options. */
export function hyperparametersOf(options: TrainOptions, warmupSteps: number): Hyperparameters {
  const h = Object.fromEntries(RUN_SETTING_KEYS.map((k) => [k, options[k]]));
  return { ...(h as Pick<TrainOptions, (typeof RUN_SETTING_KEYS)[number]>), warmupSteps };
}

/**
 * The options a model was trained with, read back from where each is stored (resume continues with
 * them); `backend` and `threads` belong to a machine and are not stored.
 */
export function storedTrainOptions(m: ModelManifest): TrainOptions {
  const { warmupSteps: _warmupSteps, ...run } = m.hyperparameters;
  const { embeddingDim, hiddenSize, numLayers, dropout } = m.lstm;
  const { grid, transpose, repeatBars } = m.encoding;
  return { name: m.name, ...run, embeddingDim, hiddenSize, numLayers, dropout, grid, transpose, repeatBars };
}

export interface ModelManifest {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_FORMAT_VERSION;
  name: string;
  createdAt: string;
  updatedAt: string;
  lstm: LstmConfig;
  encoding: EncodingConfig;
  /** Token strings in id order. */
  vocabulary: string[];
  hyperparameters: Hyperparameters;
  corpus: CorpusInfo;
  history: EpochRecord[];
  state: TrainingState;
  /** Unigram/bigram counts of the training tokens, for the baselines of `evaluateModel`. */
  baselines: NgramCounts | null;
  weights: BlobRef;
  resume: { weights: BlobRef; optimizer: BlobRef } | null;
}

/**
 * model.json of format version 1: the network settings, the transposition and the grid were also
 * under `hyperparameters` (the grid as a plain string), the learning-rate floor was absolute
 * (`minLearningRate`), and files written before REPEAT tokens existed have no `encoding.repeatBars`.
 */
export interface ManifestV1 extends Omit<ModelManifest, 'version' | 'encoding' | 'hyperparameters'> {
  version: 1;
  encoding: Omit<EncodingConfig, 'repeatBars'> & { repeatBars?: number };
  hyperparameters: Omit<Hyperparameters, 'minLearningRateFactor'> & {
    minLearningRate: number;
    hiddenSize: number;
    numLayers: number;
    embeddingDim: number;
    dropout: number;
    transpose: number;
    grid: string;
  };
}

/**
 * A version-1 manifest as version 2: the network stays only in `lstm`, grid and transposition only
 * in `encoding` (`repeatBars` 0 where it is absent: such models have no REPEAT tokens), and the
 * learning-rate floor becomes the factor of the peak that TrainOptions has.
 */
export function upgradeManifest(m: ManifestV1): ModelManifest {
  const {
    hiddenSize: _hiddenSize,
    numLayers: _numLayers,
    embeddingDim: _embeddingDim,
    dropout: _dropout,
    transpose: _transpose,
    grid: _grid,
    minLearningRate,
    ...run
  } = m.hyperparameters;
  return {
    ...m,
    version: MODEL_FORMAT_VERSION,
    encoding: { ...m.encoding, repeatBars: m.encoding.repeatBars ?? 0 },
    hyperparameters: { ...run, minLearningRateFactor: minLearningRate / run.learningRate },
  };
}

/** What the model library shows about a model (main/shared/api.ts ModelInfo is a part of it plus `bundled`). */
export interface ModelSummary {
  id: string; // the folder name
  name: string;
  createdAt: string; // ISO date
  updatedAt: string;
  epochs: number; // completed epochs
  parameters: number;
  vocabSize: number;
  grid: GridName;
  bestValLoss: number | null;
  bestEpoch: number;
  /** CorpusInfo.bigramValLoss; null when not recorded. */
  bigramValLoss: number | null;
  corpusFiles: number;
  canResume: boolean;
  stopReason: StopReason | null;
}

/** A readable error about a model folder; `code` lets callers (CLI, app) tell the cases apart. */
export class ModelFormatError extends InputError {
  constructor(
    readonly code: 'not-a-model' | 'corrupt' | 'newer-version' | 'missing-file' | 'mismatch',
    message: string,
  ) {
    super(message);
    this.name = 'ModelFormatError';
  }
}

const BLOB_NAME = /^(weights|optimizer)-[0-9a-f]{16,64}\.bin$/;

export function isBlobFileName(name: string): boolean {
  return BLOB_NAME.test(name);
}

function fail(where: string, what: string): never {
  throw new ModelFormatError('corrupt', `${where}: ${what}`);
}

function num(
  v: unknown,
  where: string,
  field: string,
  opts: { int?: boolean; min?: number; nullable?: boolean } = {},
) {
  if (v === null && opts.nullable) return;
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(where, `"${field}" must be a number`);
  if (opts.int && !Number.isInteger(v)) fail(where, `"${field}" must be an integer`);
  if (opts.min !== undefined && (v as number) < opts.min) fail(where, `"${field}" must be >= ${opts.min}`);
}

function validateBlobRef(b: unknown, where: string, field: string, prefix: 'weights' | 'optimizer'): void {
  const r = b as BlobRef;
  if (!r || typeof r !== 'object') fail(where, `"${field}" is missing`);
  if (typeof r.file !== 'string' || !BLOB_NAME.test(r.file) || !r.file.startsWith(prefix + '-'))
    fail(where, `"${field}.file" is not a ${prefix} file name`);
  num(r.bytes, where, `${field}.bytes`, { int: true, min: 0 });
  if (typeof r.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(r.sha256))
    fail(where, `"${field}.sha256" is not a SHA-256`);
  if (!Array.isArray(r.tensors)) fail(where, `"${field}.tensors" must be a list`);
  let expected = 0;
  for (const t of r.tensors) {
    if (!t || typeof t.name !== 'string' || !Array.isArray(t.shape))
      fail(where, `a tensor of "${field}" is malformed`);
    for (const d of t.shape)
      if (!Number.isInteger(d) || d < 0) fail(where, `tensor ${t.name} has a bad shape`);
    if (t.offset !== expected)
      fail(where, `tensor ${t.name} of "${field}" has offset ${t.offset}, expected ${expected}`);
    expected += 4 * t.shape.reduce((a: number, d: number) => a * d, 1);
  }
  if (expected !== r.bytes)
    fail(where, `"${field}" tensors add up to ${expected} bytes, the file is listed as ${r.bytes}`);
}

/**
 * Checks a parsed model.json: format name and version first (a newer version gets its own message),
 * then every field; a version-1 manifest is upgraded (upgradeManifest) before its fields are
 * checked, so every reader gets version 2. `where` names the folder in messages.
 */
export function validateManifest(json: unknown, where: string): ModelManifest {
  const given = json as ModelManifest | ManifestV1;
  if (!given || typeof given !== 'object' || Array.isArray(given))
    throw new ModelFormatError(
      'not-a-model',
      `${where} is not an Ostinato model (model.json is not an object)`,
    );
  if (given.format !== MODEL_FORMAT)
    throw new ModelFormatError(
      'not-a-model',
      `${where} is not an Ostinato model (model.json has no "format": "${MODEL_FORMAT}")`,
    );
  if (!Number.isInteger(given.version) || given.version < 1)
    fail(where, '"version" must be a positive integer');
  if (given.version > MODEL_FORMAT_VERSION)
    throw new ModelFormatError(
      'newer-version',
      `${where} was saved by a newer version of Ostinato (model format ${given.version}; this version reads up to ${MODEL_FORMAT_VERSION}). Update Ostinato to open it.`,
    );
  if (!given.encoding || typeof given.encoding !== 'object') fail(where, '"encoding" is missing');
  const h = given.hyperparameters;
  if (!h || typeof h !== 'object') fail(where, '"hyperparameters" is missing');
  if (given.version === 1) {
    const v1 = h as ManifestV1['hyperparameters'];
    num(v1.minLearningRate, where, 'hyperparameters.minLearningRate', { min: 0 });
    num(v1.learningRate, where, 'hyperparameters.learningRate', { min: 0 });
  }
  const m = given.version === 1 ? upgradeManifest(given as ManifestV1) : (given as ModelManifest);
  if (typeof m.name !== 'string') fail(where, '"name" must be a string');
  const c = m.lstm;
  if (!c || typeof c !== 'object') fail(where, '"lstm" is missing');
  num(c.vocabSize, where, 'lstm.vocabSize', { int: true, min: 1 });
  num(c.embeddingDim, where, 'lstm.embeddingDim', { int: true, min: 1 });
  num(c.hiddenSize, where, 'lstm.hiddenSize', { int: true, min: 1 });
  num(c.numLayers, where, 'lstm.numLayers', { int: true, min: 1 });
  num(c.dropout, where, 'lstm.dropout', { min: 0 });
  let encoding: EncodingConfig;
  try {
    encoding = validateEncodingConfig(m.encoding);
  } catch (e) {
    fail(where, (e as Error).message);
  }
  if (!Array.isArray(m.vocabulary) || m.vocabulary.some((t) => typeof t !== 'string'))
    fail(where, '"vocabulary" must be a list of token strings');
  if (new Set(m.vocabulary).size !== m.vocabulary.length) fail(where, '"vocabulary" has duplicate tokens');
  if (m.vocabulary.length !== c.vocabSize)
    throw new ModelFormatError(
      'mismatch',
      `${where}: the vocabulary has ${m.vocabulary.length} tokens but the network was built for ${c.vocabSize}`,
    );
  for (const k of [...RUN_SETTING_KEYS, 'warmupSteps'] as const)
    num(m.hyperparameters[k], where, `hyperparameters.${k}`);
  if (!m.corpus || typeof m.corpus !== 'object') fail(where, '"corpus" is missing');
  num(m.corpus.files, where, 'corpus.files', { int: true, min: 0 });
  if (m.corpus.bigramValLoss !== undefined)
    num(m.corpus.bigramValLoss, where, 'corpus.bigramValLoss', { min: 0 });
  if (!Array.isArray(m.history)) fail(where, '"history" must be a list');
  const s = m.state;
  if (!s || typeof s !== 'object') fail(where, '"state" is missing');
  num(s.epoch, where, 'state.epoch', { int: true, min: 0 });
  num(s.step, where, 'state.step', { int: true, min: 0 });
  num(s.bestValLoss, where, 'state.bestValLoss', { nullable: true });
  num(s.rngState, where, 'state.rngState', { int: true, min: 0 });
  if (m.history.length !== s.epoch)
    fail(where, `"history" has ${m.history.length} epochs, "state.epoch" says ${s.epoch}`);
  if (m.baselines !== null && m.baselines !== undefined) {
    try {
      validateNgramCounts(m.baselines);
    } catch (e) {
      fail(where, (e as Error).message);
    }
    if (m.baselines.vocabSize !== c.vocabSize) fail(where, 'the baseline counts do not match the vocabulary');
  }
  validateBlobRef(m.weights, where, 'weights', 'weights');
  if (m.resume !== null && m.resume !== undefined) {
    validateBlobRef(m.resume.weights, where, 'resume.weights', 'weights');
    validateBlobRef(m.resume.optimizer, where, 'resume.optimizer', 'optimizer');
  }
  return { ...m, encoding, baselines: m.baselines ?? null, resume: m.resume ?? null };
}
