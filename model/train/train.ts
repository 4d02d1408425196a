import { promises as fs } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { BackendName, GridPiece } from '../common/types.js';
import { STEPS_PER_QUARTER } from '../common/types.js';
import { initBackend } from '../core/backend.js';
import type { LstmConfig, LstmTrainer, NamedTensorData, TrainerOptions } from '../lstm/types.js';
import { createLstmTrainer } from '../lstm/trainer.js';
import { chooseTrainingSetup, type TrainingSetup } from '../lstm/setup.js';
import { countParameters } from '../lstm/weights.js';
import { defaultEncodingConfig, type EncodingConfig } from '../encoding/config.js';
import { Vocabulary } from '../encoding/vocabulary.js';
import { encodePiece } from '../encoding/codec.js';
import { transposePiece } from '../common/transpose.js';
import { BigramKneserNey, countNgrams, scoreSequences } from '../eval/baselines.js';
import { Rng } from '../common/rng.js';
import {
  MANIFEST_FILE,
  ModelFormatError,
  type EpochRecord,
  type Hyperparameters,
  type ModelManifest,
  type StopReason,
  type TrainingState,
} from '../checkpoint/format.js';
import { readBlob, readManifest, saveCheckpoint, type ManifestContent } from '../checkpoint/store.js';
import { checkModelWeights, parseVocabAndEncoding } from '../checkpoint/load.js';
import { planEpoch, splitByPiece, type EpochPlan } from './dataset.js';
import { defaultTrainOptions, validateTrainOptions, type TrainOptions } from '../common/training-options.js';
import type { TrainingEvent } from './events.js';
export type { TrainingEvent } from './events.js';
import { defaultWarmupSteps, learningRateAt } from './schedule.js';

/**
 * The training loop. Pieces → vocabulary (model/encoding) → token sequences → split by piece →
 * epochs of shuffled windows (dataset.ts) → the LSTM core's trainer (Adam, gradient clipping) under a
 * warmup + cosine learning-rate schedule (schedule.ts). After every epoch: validation loss and
 * accuracy on the held-out pieces, early stopping on the validation loss, and a checkpoint
 * (checkpoint/store.ts: crash-safe). Transposition augmentation: every epoch, each training piece is
 * moved by a random number of semitones in ±transpose (validation pieces never are).
 *
 * Stopping: `signal` (AbortSignal) is checked between batches; a cancelled run saves nothing more,
 * so the folder keeps the last completed epoch. `maxSeconds` ends the run at the first batch past the
 * limit (after at least one batch): that epoch is cut short, validated and saved (marked `partial`
 * in the history).
 * `resume: true` continues from the folder's checkpoint: same vocabulary, network, optimizer state,
 * step count (so the same learning-rate schedule) and shuffling Rng; only `epochs` and `maxSeconds`
 * may change (everything else comes from the checkpoint).
 */

/** Pieces already turned into tokens (e.g. by a benchmark): no augmentation is possible then. */
export interface EncodedCorpus {
  vocabulary: Vocabulary;
  encoding: EncodingConfig;
  sequences: Int32Array[];
}

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

/** The corpus as training sees it (also written out by model/interop's dataset export). */
export interface PreparedData {
  vocab: Vocabulary;
  encoding: EncodingConfig;
  trainPieces: GridPiece[] | null; // null for an encoded corpus
  trainSeqs: Int32Array[]; // un-augmented
  valSeqs: Int32Array[];
  files: number;
}

function isEncodedCorpus(p: TrainModelArgs['pieces']): p is EncodedCorpus {
  return !Array.isArray(p) && typeof p === 'object' && p !== null && 'sequences' in p;
}

export function prepareData(
  input: TrainModelArgs['pieces'],
  opts: TrainOptions,
  saved: { vocab: Vocabulary; encoding: EncodingConfig } | null,
): PreparedData {
  if (isEncodedCorpus(input)) {
    const vocab = saved?.vocab ?? input.vocabulary;
    if (saved && saved.vocab.size !== input.vocabulary.size)
      throw new Error('The encoded corpus has a different vocabulary than the model being resumed');
    const seqs = input.sequences.filter((s) => s.length >= 2);
    for (const s of seqs)
      for (const t of s)
        if (!(t >= 0 && t < vocab.size)) throw new Error(`token id ${t} is outside the vocabulary`);
    const split = splitByPiece(seqs.length, opts.valFraction, opts.seed);
    return {
      vocab,
      encoding: saved?.encoding ?? input.encoding,
      trainPieces: null,
      trainSeqs: split.train.map((i) => seqs[i]),
      valSeqs: split.val.map((i) => seqs[i]),
      files: input.sequences.length,
    };
  }
  const spq = STEPS_PER_QUARTER[opts.grid];
  for (const p of input) {
    if (p.stepsPerQuarter !== spq)
      throw new Error(
        `${p.name} is quantized to ${p.stepsPerQuarter} steps per quarter, but the model uses the ${opts.grid} grid (${spq}); quantize with the same grid`,
      );
  }
  const usable = input.filter((p) => p.notes.length > 0);
  if (usable.length < 2)
    throw new Error(
      `Training needs at least 2 pieces with notes, got ${usable.length} (of ${input.length} given)`,
    );
  const encoding = saved?.encoding ?? {
    ...defaultEncodingConfig(opts.grid),
    transpose: opts.transpose,
    repeatBars: opts.repeatBars,
  };
  const vocab = saved?.vocab ?? Vocabulary.fromCorpus(usable, encoding);
  const split = splitByPiece(usable.length, opts.valFraction, opts.seed);
  const trainPieces = split.train.map((i) => usable[i]);
  const valPieces = split.val.map((i) => usable[i]);
  return {
    vocab,
    encoding,
    trainPieces,
    trainSeqs: trainPieces.map((p) => encodePiece(p, vocab, encoding)),
    valSeqs: valPieces.map((p) => encodePiece(p, vocab, encoding)),
    files: input.length,
  };
}

/** This epoch's training sequences: each piece moved by a random shift in ±transpose. */
function augmentedEpoch(data: PreparedData, transpose: number, rng: Rng): Int32Array[] {
  if (!data.trainPieces || transpose === 0) return data.trainSeqs;
  return data.trainPieces.map((p, i) => {
    const shift = rng.range(-transpose, transpose);
    if (shift === 0) return data.trainSeqs[i];
    const t = transposePiece(p, shift, data.encoding.pitchRange);
    if (t.piece.notes.length === 0) return data.trainSeqs[i];
    return encodePiece(t.piece, data.vocab, data.encoding);
  });
}

async function validate(
  trainer: LstmTrainer,
  plan: EpochPlan,
  signal?: AbortSignal,
): Promise<{ loss: number; accuracy: number } | null> {
  let nll = 0;
  let correct = 0;
  let count = 0;
  for (let i = 0; i < plan.batches.length; i++) {
    if (signal?.aborted) return null;
    const s = await trainer.evaluateBatch(plan.batch(i));
    nll += s.nllSum;
    correct += s.correct;
    count += s.count;
    await yieldToEventLoop();
  }
  return { loss: count ? nll / count : NaN, accuracy: count ? correct / count : 0 };
}

/** Lets messages (a worker's cancel request) and timers run between batches. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((r) => setImmediate(r));
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
  const dir = args.outDir;
  const modelId = args.modelId ?? basename(resolve(dir));
  const started = Date.now();

  // Options and saved state.
  let saved: ModelManifest | null = null;
  let savedVocab: { vocab: Vocabulary; encoding: EncodingConfig } | null = null;
  let opts: TrainOptions;
  if (args.resume) {
    if (!(await folderHasModel(dir)))
      throw new ModelFormatError(
        'not-a-model',
        `Nothing to resume in ${dir}: it holds no checkpoint (training there never completed an epoch). Train without resume.`,
      );
    saved = await readManifest(dir);
    if (!saved.resume)
      throw new Error(
        `The model in ${dir} was saved without its training state (optimizer), so it cannot be resumed`,
      );
    savedVocab = parseVocabAndEncoding(dir, saved);
    const h = saved.hyperparameters;
    opts = validateTrainOptions({
      ...defaultTrainOptions(),
      ...h,
      minLearningRateFactor: h.minLearningRate / h.learningRate,
      grid: h.grid as TrainOptions['grid'],
      repeatBars: savedVocab.encoding.repeatBars, // the encoding comes from the checkpoint
      name: saved.name,
      epochs: args.options?.epochs ?? h.epochs,
      maxSeconds: args.options?.maxSeconds ?? h.maxSeconds,
      backend: args.options?.backend,
      threads: args.options?.threads,
    });
  } else {
    opts = validateTrainOptions({ ...defaultTrainOptions(), ...args.options });
    if (!args.overwrite && (await folderHasModel(dir)))
      throw new Error(`${dir} already holds a model: resume it, or train into another folder`);
  }
  const data = prepareData(args.pieces, opts, savedVocab);
  const V = data.vocab.size;
  const config: LstmConfig = saved
    ? { ...saved.lstm }
    : {
        vocabSize: V,
        embeddingDim: opts.embeddingDim,
        hiddenSize: opts.hiddenSize,
        numLayers: opts.numLayers,
        dropout: opts.dropout,
      };
  const parameters = countParameters(config);

  const trainTokens = data.trainSeqs.reduce((a, s) => a + s.length, 0);
  const valTokens = data.valSeqs.reduce((a, s) => a + s.length, 0);
  const epochOpts = { seqLen: opts.seqLen, batchSize: opts.batchSize };
  const batchesPerEpoch = planEpoch(data.trainSeqs, { ...epochOpts, shuffle: false, jitter: false }).batches
    .length;
  const valPlan = planEpoch(data.valSeqs, { ...epochOpts, shuffle: false, jitter: false });
  if (batchesPerEpoch === 0) throw new Error('The training pieces hold no tokens to learn from');
  if (valPlan.batches.length === 0) throw new Error('The validation pieces hold no tokens');
  const totalSteps = opts.epochs * batchesPerEpoch;
  const hyper: Hyperparameters = {
    epochs: opts.epochs,
    maxSeconds: opts.maxSeconds,
    hiddenSize: config.hiddenSize,
    numLayers: config.numLayers,
    embeddingDim: config.embeddingDim,
    dropout: config.dropout,
    seqLen: opts.seqLen,
    batchSize: opts.batchSize,
    learningRate: opts.learningRate,
    minLearningRate: opts.learningRate * opts.minLearningRateFactor,
    warmupSteps: saved ? saved.hyperparameters.warmupSteps : defaultWarmupSteps(totalSteps),
    clipNorm: opts.clipNorm,
    transpose: opts.transpose,
    grid: opts.grid,
    valFraction: opts.valFraction,
    patience: opts.patience,
    seed: opts.seed,
  };
  const schedule = {
    learningRate: hyper.learningRate,
    minLearningRate: hyper.minLearningRate,
    warmupSteps: hyper.warmupSteps,
    totalSteps,
  };

  // The network: backend and threads measured on this machine unless both were asked for.
  const setup: Omit<TrainingSetup, 'timings'> = args.createTrainer
    ? {
        backend: (await initBackend(opts.backend)) as BackendName,
        threads: opts.threads ?? 1,
        reason: 'a given trainer',
      }
    : await chooseTrainingSetup({
        config,
        batch: opts.batchSize,
        seqLen: opts.seqLen,
        backend: opts.backend,
        threads: opts.threads,
      });
  const backend = setup.backend;
  const trainer = await (args.createTrainer ?? createLstmTrainer)(config, {
    clipNorm: opts.clipNorm,
    // A resumed run draws new dropout masks (the trainer's dropout stream is not checkpointed).
    seed: opts.seed + (saved ? saved.state.step : 0),
    threads: setup.threads,
  });
  try {
    let state: TrainingState;
    let history: EpochRecord[];
    let bestWeights: NamedTensorData[] | null = null;
    let rng: Rng;
    if (saved) {
      const resumeWeights = await readBlob(dir, saved.resume!.weights);
      checkModelWeights(dir, config, resumeWeights);
      await trainer.setWeights(resumeWeights);
      await trainer.setOptimizerState(await readBlob(dir, saved.resume!.optimizer));
      bestWeights = await readBlob(dir, saved.weights);
      state = { ...saved.state, stopReason: null };
      // Resuming a run that stopped early asks for more epochs: give it `patience` of them again.
      if (saved.state.stopReason === 'early-stopped') state.epochsWithoutImprovement = 0;
      history = [...saved.history];
      rng = Rng.fromState(saved.state.rngState);
    } else {
      state = {
        epoch: 0,
        step: 0,
        bestValLoss: null,
        bestEpoch: 0,
        epochsWithoutImprovement: 0,
        rngState: 0,
        elapsedSeconds: 0,
        stopReason: null,
      };
      history = [];
      rng = new Rng(opts.seed);
    }
    const baselines = saved?.baselines ?? countNgrams(data.trainSeqs, V);
    const bigramStats = scoreSequences(new BigramKneserNey(baselines), data.valSeqs);
    const bigramValLoss = bigramStats.count ? bigramStats.nllSum / bigramStats.count : undefined;
    const elapsedBefore = state.elapsedSeconds;

    emit({
      type: 'started',
      modelId,
      backend,
      totalEpochs: opts.epochs,
      parameters,
      threads: setup.threads,
      setup: setup.reason,
    });

    let manifest: ModelManifest | null = saved;
    const finish = (reason: StopReason): TrainResult => {
      emit({ type: 'done', modelId, reason });
      return { dir, reason, manifest, epochs: state.epoch, bestValLoss: state.bestValLoss };
    };
    if (state.epoch >= opts.epochs) return finish('completed');

    const clock = args.clock ?? Date.now;
    const runStart = clock();
    const runSeconds = () => (clock() - runStart) / 1000;
    const batchesAtStart = state.epoch * batchesPerEpoch;
    let batchesThisRun = 0;

    while (state.epoch < opts.epochs) {
      const epoch = state.epoch + 1;
      const epochStart = clock();
      const plan = planEpoch(
        augmentedEpoch(data, opts.transpose, rng),
        { ...epochOpts, shuffle: true, jitter: true },
        rng,
      );
      let lossSum = 0;
      let accSum = 0;
      let tokens = 0;
      let trainSeconds = 0;
      let timeUp = false;
      for (let i = 0; i < plan.batches.length; i++) {
        await yieldToEventLoop();
        if (args.signal?.aborted) return finish('cancelled');
        // Every run makes progress: the limit applies from the second batch on.
        if (opts.maxSeconds > 0 && batchesThisRun > 0 && runSeconds() >= opts.maxSeconds) {
          timeUp = true;
          break;
        }
        const batch = plan.batch(i);
        const lr = learningRateAt(state.step, schedule);
        const t0 = clock();
        const s = await trainer.trainBatch(batch, lr);
        trainSeconds += (clock() - t0) / 1000;
        if (!Number.isFinite(s.loss))
          throw new Error(
            `Training diverged at epoch ${epoch}, batch ${i + 1} (the loss is ${s.loss}); try a lower learning rate. The last checkpoint is kept.`,
          );
        state.step++;
        batchesThisRun++;
        lossSum += s.loss * s.tokens;
        accSum += s.accuracy * s.tokens;
        tokens += s.tokens;
        const done = batchesAtStart + batchesThisRun;
        const total = opts.epochs * batchesPerEpoch;
        const perBatch = runSeconds() / batchesThisRun;
        let progress = Math.min(
          1,
          (state.epoch * batchesPerEpoch + Math.min(i + 1, batchesPerEpoch)) / total,
        );
        let eta = Math.max(0, (total - done) * perBatch);
        if (opts.maxSeconds > 0) {
          progress = Math.max(progress, Math.min(1, runSeconds() / opts.maxSeconds));
          eta = Math.min(eta, Math.max(0, opts.maxSeconds - runSeconds()));
        }
        emit({
          type: 'batch',
          epoch,
          batch: i + 1,
          batchesPerEpoch: plan.batches.length,
          loss: s.loss,
          tokensPerSecond: trainSeconds > 0 ? tokens / trainSeconds : 0,
          progress,
          etaSeconds: eta,
        });
      }
      if (tokens === 0) return finish(timeUp ? 'time-limit' : 'cancelled'); // nothing new to save

      const val = await validate(trainer, valPlan, args.signal);
      if (!val) return finish('cancelled');
      const current = await trainer.getWeights();
      const improved = state.bestValLoss === null || val.loss < state.bestValLoss - 1e-6;
      if (improved) {
        state.bestValLoss = val.loss;
        state.bestEpoch = epoch;
        state.epochsWithoutImprovement = 0;
        bestWeights = current;
      } else state.epochsWithoutImprovement++;
      const record: EpochRecord = {
        epoch,
        trainLoss: lossSum / tokens,
        trainAccuracy: accSum / tokens,
        valLoss: val.loss,
        valAccuracy: val.accuracy,
        learningRate: learningRateAt(Math.max(0, state.step - 1), schedule),
        seconds: (clock() - epochStart) / 1000,
        tokensPerSecond: trainSeconds > 0 ? tokens / trainSeconds : 0,
      };
      if (timeUp) record.partial = true;
      history.push(record);
      state.epoch = epoch;
      state.rngState = rng.state;
      state.elapsedSeconds = elapsedBefore + runSeconds();
      let reason: StopReason | null = null;
      if (timeUp) reason = 'time-limit';
      else if (epoch >= opts.epochs) reason = 'completed';
      else if (opts.patience > 0 && state.epochsWithoutImprovement >= opts.patience) reason = 'early-stopped';
      else if (opts.maxSeconds > 0 && runSeconds() >= opts.maxSeconds) reason = 'time-limit';
      state.stopReason = reason;

      const content: ManifestContent = {
        name: opts.name,
        createdAt: saved?.createdAt ?? new Date(started).toISOString(),
        lstm: config,
        encoding: { ...data.encoding },
        vocabulary: data.vocab.toJSON(),
        hyperparameters: hyper,
        corpus: {
          files: data.files,
          trainPieces: data.trainSeqs.length,
          valPieces: data.valSeqs.length,
          trainTokens,
          valTokens,
          ...(bigramValLoss !== undefined ? { bigramValLoss } : {}),
        },
        history,
        state: { ...state },
        baselines,
      };
      manifest = await saveCheckpoint(dir, content, {
        weights: bestWeights!,
        resume: { weights: current, optimizer: await trainer.getOptimizerState() },
      });
      saved = manifest;
      emit({
        type: 'epoch',
        epoch,
        trainLoss: record.trainLoss,
        trainAccuracy: record.trainAccuracy,
        valLoss: val.loss,
        valAccuracy: val.accuracy,
        checkpointSaved: true,
      });
      if (reason) return finish(reason);
    }
    return finish('completed');
  } finally {
    await trainer.dispose();
  }
}
