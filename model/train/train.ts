import { promises as fs } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { BackendName, GridPiece } from '../common/types.js';
import { initBackend } from '../core/backend.js';
import type { LstmConfig, LstmTrainer, TrainerOptions } from '../lstm/types.js';
import { createLstmTrainer } from '../lstm/trainer.js';
import { chooseTrainingSetup, type TrainingSetup } from '../lstm/setup.js';
import { countParameters } from '../lstm/weights.js';
import type { Vocabulary } from '../encoding/vocabulary.js';
import { BigramKneserNey, countNgrams, scoreSequences, type NgramCounts } from '../eval/baselines.js';
import { Rng } from '../common/rng.js';
import {
  MANIFEST_FILE,
  ModelFormatError,
  hyperparametersOf,
  initialTrainingState,
  storedTrainOptions,
  type CorpusInfo,
  type ModelManifest,
  type StopReason,
} from '../checkpoint/format.js';
import { readBlob, readManifest } from '../checkpoint/store.js';
import { checkModelWeights, parseVocabulary } from '../checkpoint/load.js';
import { planEpoch } from './dataset.js';
import { defaultTrainOptions, validateTrainOptions, type TrainOptions } from '../common/training-options.js';
import type { TrainingEvent } from './events.js';
export type { TrainingEvent } from './events.js';
import { prepareData, type EncodedCorpus, type PreparedData } from './prepare.js';
export type { EncodedCorpus } from './prepare.js';
import { runEpochs, type RunPlan, type RunProgress } from './epoch-loop.js';
import { defaultWarmupSteps } from './schedule.js';
import { InputError } from '../common/options.js';

/**
 * The training loop. Pieces → vocabulary (model/encoding) → token sequences → split by piece
 * (prepare.ts) → epochs of shuffled windows (dataset.ts) → the LSTM core's trainer (Adam, gradient
 * clipping) under a warmup + cosine learning-rate schedule (schedule.ts). After every epoch
 * (epoch-loop.ts): validation loss and accuracy on the held-out pieces, early stopping on the
 * validation loss, and a checkpoint (checkpoint/store.ts: crash-safe). Transposition augmentation: every epoch, each training piece is
 * moved by a random number of semitones in ±transpose (validation pieces never are).
 *
 * Stopping: `signal` (AbortSignal) is checked between batches; a cancelled run saves nothing more,
 * so the folder keeps the last completed epoch. `maxSeconds` ends the run at the first batch past the
 * limit (after at least one batch): that epoch is cut short, validated and saved (marked `partial`
 * in the history).
 * `resume: true` continues from the folder's checkpoint: same vocabulary, network, optimizer state,
 * step count (so the same learning-rate schedule) and shuffling Rng; only `epochs` and `maxSeconds`
 * (and the machine's `backend` and `threads`) may change: every other option is the stored one.
 */

export interface TrainModelArgs {
  /** Quantized pieces on the grid of `options.grid`, or an encoded corpus. */
  pieces: readonly GridPiece[] | EncodedCorpus;
  /** The model folder (created on the first checkpoint). */
  outDir: string;
  options?: Partial<TrainOptions>;
  signal?: AbortSignal;
  onEvent?: (event: TrainingEvent) => void;
  /** Continue from the checkpoint in outDir. */
  resume?: boolean;
  /** Train from scratch even if outDir already holds a model (it is replaced at the first checkpoint). */
  overwrite?: boolean;
  /** Id used in events (default: the folder name). */
  modelId?: string;
  /** Milliseconds clock for the time limit, ETA and speeds (default Date.now; tests replace it). */
  clock?: () => number;
  /** Replaces the LSTM core's trainer factory (tests). */
  createTrainer?: (config: LstmConfig, options: TrainerOptions) => Promise<LstmTrainer>;
}

export interface TrainResult {
  dir: string;
  reason: StopReason;
  /** The last saved manifest, or null when no epoch was completed. */
  manifest: ModelManifest | null;
  epochs: number;
  bestValLoss: number | null;
}

async function folderHasModel(dir: string): Promise<boolean> {
  return fs.stat(join(dir, MANIFEST_FILE)).then(
    () => true,
    () => false,
  );
}

export async function trainModel(args: TrainModelArgs): Promise<TrainResult> {
  const emit = (e: TrainingEvent) => args.onEvent?.(e);
  try {
    return await runTraining(args, emit);
  } catch (err) {
    emit({ type: 'error', message: (err as Error).message });
    throw err;
  }
}

async function runTraining(args: TrainModelArgs, emit: (e: TrainingEvent) => void): Promise<TrainResult> {
  const started = Date.now();
  const { opts, saved } = await startingPoint(args);
  const data = prepareData(
    args.pieces,
    opts,
    saved && { vocab: saved.vocab, encoding: saved.manifest.encoding },
  );
  const plan = planRun(args, opts, data, saved?.manifest ?? null, started);
  const setup = await measureSetup(args, plan);
  const trainer = await (args.createTrainer ?? createLstmTrainer)(plan.config, {
    clipNorm: opts.clipNorm,
    // A resumed run draws new dropout masks (the trainer's dropout stream is not checkpointed).
    seed: opts.seed + (saved ? saved.manifest.state.step : 0),
    threads: setup.threads,
  });
  try {
    const progress = await restoreProgress(trainer, plan, saved?.manifest ?? null);
    emit({
      type: 'started',
      modelId: plan.modelId,
      backend: setup.backend,
      totalEpochs: opts.epochs,
      parameters: plan.parameters,
      threads: setup.threads,
      setup: setup.reason,
    });
    const reason: StopReason =
      progress.state.epoch >= opts.epochs
        ? 'completed'
        : await runEpochs(plan, progress, trainer, {
            signal: args.signal,
            clock: args.clock ?? Date.now,
            emit,
          });
    emit({ type: 'done', modelId: plan.modelId, reason });
    const { state } = progress;
    return {
      dir: plan.dir,
      reason,
      manifest: progress.manifest,
      epochs: state.epoch,
      bestValLoss: state.bestValLoss,
    };
  } finally {
    await trainer.dispose();
  }
}

/**
 * The options of the run and, when resuming, the checkpoint it continues: the stored options as they
 * are, with the run's length and the machine's settings from `args.options`.
 */
async function startingPoint(
  args: TrainModelArgs,
): Promise<{ opts: TrainOptions; saved: { manifest: ModelManifest; vocab: Vocabulary } | null }> {
  const dir = args.outDir;
  if (!args.resume) {
    const opts = validateTrainOptions({ ...defaultTrainOptions(), ...args.options });
    if (!args.overwrite && (await folderHasModel(dir)))
      throw new InputError(`${dir} already holds a model: resume it, or train into another folder`);
    return { opts, saved: null };
  }
  if (!(await folderHasModel(dir)))
    throw new ModelFormatError(
      'not-a-model',
      `Nothing to resume in ${dir}: it holds no checkpoint (training there never completed an epoch). Train without resume.`,
    );
  const manifest = await readManifest(dir);
  if (!manifest.resume)
    throw new InputError(
      `The model in ${dir} was saved without its training state (optimizer), so it cannot be resumed`,
    );
  const vocab = parseVocabulary(dir, manifest);
  const stored = storedTrainOptions(manifest);
  const opts = validateTrainOptions({
    ...stored,
    epochs: args.options?.epochs ?? stored.epochs,
    maxSeconds: args.options?.maxSeconds ?? stored.maxSeconds,
    backend: args.options?.backend,
    threads: args.options?.threads,
  });
  return { opts, saved: { manifest, vocab } };
}

/**
 * The network, the batches per epoch, the learning-rate schedule (a resumed run keeps its warmup),
 * and what the checkpoints record about the options and the corpus.
 */
function planRun(
  args: TrainModelArgs,
  opts: TrainOptions,
  data: PreparedData,
  saved: ModelManifest | null,
  started: number,
): RunPlan {
  const config: LstmConfig = {
    vocabSize: data.vocab.size,
    embeddingDim: opts.embeddingDim,
    hiddenSize: opts.hiddenSize,
    numLayers: opts.numLayers,
    dropout: opts.dropout,
  };
  const parameters = countParameters(config);
  const unshuffled = { seqLen: opts.seqLen, batchSize: opts.batchSize, shuffle: false, jitter: false };
  const batchesPerEpoch = planEpoch(data.trainSeqs, unshuffled).batches.length;
  const valPlan = planEpoch(data.valSeqs, unshuffled);
  if (batchesPerEpoch === 0) throw new InputError('The training pieces hold no tokens to learn from');
  if (valPlan.batches.length === 0) throw new InputError('The validation pieces hold no tokens');
  const totalSteps = opts.epochs * batchesPerEpoch;
  const warmupSteps = saved ? saved.hyperparameters.warmupSteps : defaultWarmupSteps(totalSteps);
  const baselines = saved?.baselines ?? countNgrams(data.trainSeqs, config.vocabSize);
  return {
    dir: args.outDir,
    modelId: args.modelId ?? basename(resolve(args.outDir)),
    opts,
    data,
    config,
    parameters,
    batchesPerEpoch,
    valPlan,
    schedule: {
      learningRate: opts.learningRate,
      minLearningRate: opts.learningRate * opts.minLearningRateFactor,
      warmupSteps,
      totalSteps,
    },
    hyperparameters: hyperparametersOf(opts, warmupSteps),
    corpus: corpusInfo(data, baselines),
    baselines,
    createdAt: saved?.createdAt ?? new Date(started).toISOString(),
  };
}

/** The corpus as the manifest records it, with the bigram baseline's validation loss. */
function corpusInfo(data: PreparedData, baselines: NgramCounts): CorpusInfo {
  const tokens = (seqs: Int32Array[]) => seqs.reduce((a, s) => a + s.length, 0);
  const bigram = scoreSequences(new BigramKneserNey(baselines), data.valSeqs);
  return {
    files: data.files,
    trainPieces: data.trainSeqs.length,
    valPieces: data.valSeqs.length,
    trainTokens: tokens(data.trainSeqs),
    valTokens: tokens(data.valSeqs),
    ...(bigram.count ? { bigramValLoss: bigram.nllSum / bigram.count } : {}),
  };
}

/** The backend and threads: measured on this machine unless both were asked for (or a trainer is given). */
async function measureSetup(args: TrainModelArgs, plan: RunPlan): Promise<Omit<TrainingSetup, 'timings'>> {
  const { opts } = plan;
  if (args.createTrainer)
    return {
      backend: (await initBackend(opts.backend)) as BackendName,
      threads: opts.threads ?? 1,
      reason: 'a given trainer',
    };
  return chooseTrainingSetup({
    config: plan.config,
    batch: opts.batchSize,
    seqLen: opts.seqLen,
    backend: opts.backend,
    threads: opts.threads,
  });
}

/** The checkpoint's weights and optimizer state into the trainer, and its state; or a fresh start. */
async function restoreProgress(
  trainer: LstmTrainer,
  plan: RunPlan,
  saved: ModelManifest | null,
): Promise<RunProgress> {
  if (!saved)
    return {
      state: initialTrainingState(0),
      history: [],
      bestWeights: null,
      rng: new Rng(plan.opts.seed),
      manifest: null,
    };
  const { dir, config } = plan;
  const resumeWeights = await readBlob(dir, saved.resume!.weights);
  checkModelWeights(dir, config, resumeWeights);
  await trainer.setWeights(resumeWeights);
  await trainer.setOptimizerState(await readBlob(dir, saved.resume!.optimizer));
  const bestWeights = await readBlob(dir, saved.weights);
  const state = { ...saved.state, stopReason: null };
  // Resuming a run that stopped early asks for more epochs: give it `patience` of them again.
  if (saved.state.stopReason === 'early-stopped') state.epochsWithoutImprovement = 0;
  return {
    state,
    history: [...saved.history],
    bestWeights,
    rng: Rng.fromState(saved.state.rngState),
    manifest: saved,
  };
}
