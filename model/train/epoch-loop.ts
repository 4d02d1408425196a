import type { LstmConfig, LstmTrainer, NamedTensorData } from '../lstm/types.js';
import type { NgramCounts } from '../eval/baselines.js';
import type { Rng } from '../common/rng.js';
import type {
  CorpusInfo,
  EpochRecord,
  Hyperparameters,
  ModelManifest,
  StopReason,
  TrainingState,
} from '../checkpoint/format.js';
import { saveCheckpoint } from '../checkpoint/store.js';
import { planEpoch, type EpochPlan } from './dataset.js';
import type { TrainOptions } from '../common/training-options.js';
import type { TrainingEvent } from './events.js';
import { augmentedEpoch, type PreparedData } from './prepare.js';
import { learningRateAt, type ScheduleOptions } from './schedule.js';

/**
 * The epochs of a training run (train.ts sets it up): each epoch trains on shuffled windows of this
 * epoch's transposed pieces (a 'batch' event per batch), validates on the held-out pieces, keeps the
 * best weights, decides whether to stop and saves a checkpoint (an 'epoch' event).
 */

/** Everything about a run that is fixed before its first batch. */
export interface RunPlan {
  dir: string;
  modelId: string;
  opts: TrainOptions;
  data: PreparedData;
  config: LstmConfig;
  parameters: number;
  batchesPerEpoch: number;
  valPlan: EpochPlan;
  schedule: ScheduleOptions;
  hyperparameters: Hyperparameters;
  corpus: CorpusInfo;
  baselines: NgramCounts;
  createdAt: string;
}

/** What the epochs change: the checkpoint's state and history, the best weights, the shuffling Rng. */
export interface RunProgress {
  state: TrainingState;
  history: EpochRecord[];
  bestWeights: NamedTensorData[] | null;
  rng: Rng;
  /** The last saved manifest (the resumed one before the first epoch of this run). */
  manifest: ModelManifest | null;
}

export interface RunHooks {
  signal?: AbortSignal;
  /** Milliseconds. */
  clock: () => number;
  emit: (event: TrainingEvent) => void;
}

/** This run's time and batches, for the time limit, progress and ETA. */
interface RunTimer {
  start: number;
  batchesAtStart: number; // batches of the epochs completed before this run
  batches: number; // trained in this run
  elapsedBefore: number; // seconds of the earlier runs
  seconds(): number;
}

/** What an epoch's training batches gave. */
interface EpochSums {
  lossSum: number;
  accSum: number;
  tokens: number;
  trainSeconds: number;
  /** The time limit ended the epoch early. */
  timeUp: boolean;
}

/** Trains epochs until the run is done, cancelled, out of time or stopped early; returns why. */
export async function runEpochs(
  plan: RunPlan,
  progress: RunProgress,
  trainer: LstmTrainer,
  hooks: RunHooks,
): Promise<StopReason> {
  const start = hooks.clock();
  const timer: RunTimer = {
    start,
    batchesAtStart: progress.state.epoch * plan.batchesPerEpoch,
    batches: 0,
    elapsedBefore: progress.state.elapsedSeconds,
    seconds: () => (hooks.clock() - start) / 1000,
  };
  while (progress.state.epoch < plan.opts.epochs) {
    const epoch = progress.state.epoch + 1;
    const epochStart = hooks.clock();
    const sums = await trainEpoch(plan, progress, trainer, hooks, timer, epoch);
    if (!sums) return 'cancelled';
    if (sums.tokens === 0) return sums.timeUp ? 'time-limit' : 'cancelled'; // nothing new to save
    const val = await validate(trainer, plan.valPlan, hooks.signal);
    if (!val) return 'cancelled';
    const current = await trainer.getWeights();
    const { record, reason } = closeEpoch(
      plan,
      progress,
      { epoch, epochStart, sums, val, current },
      timer,
      hooks.clock,
    );
    await saveEpoch(plan, progress, current, trainer);
    hooks.emit({
      type: 'epoch',
      epoch,
      trainLoss: record.trainLoss,
      trainAccuracy: record.trainAccuracy,
      valLoss: val.loss,
      valAccuracy: val.accuracy,
      checkpointSaved: true,
    });
    if (reason) return reason;
  }
  return 'completed';
}

/**
 * The training batches of one epoch, a 'batch' event after each. Returns null when cancelled; stops
 * early (timeUp) at the first batch past the time limit, after at least one batch of this run.
 */
async function trainEpoch(
  plan: RunPlan,
  progress: RunProgress,
  trainer: LstmTrainer,
  hooks: RunHooks,
  timer: RunTimer,
  epoch: number,
): Promise<EpochSums | null> {
  const { opts, schedule } = plan;
  const { state, rng } = progress;
  const epochPlan = planEpoch(
    augmentedEpoch(plan.data, opts.transpose, rng),
    { seqLen: opts.seqLen, batchSize: opts.batchSize, shuffle: true, jitter: true },
    rng,
  );
  const sums: EpochSums = { lossSum: 0, accSum: 0, tokens: 0, trainSeconds: 0, timeUp: false };
  for (let i = 0; i < epochPlan.batches.length; i++) {
    await yieldToEventLoop();
    if (hooks.signal?.aborted) return null;
    // Every run makes progress: the limit applies from the second batch on.
    if (opts.maxSeconds > 0 && timer.batches > 0 && timer.seconds() >= opts.maxSeconds) {
      sums.timeUp = true;
      break;
    }
    const batch = epochPlan.batch(i);
    const lr = learningRateAt(state.step, schedule);
    const t0 = hooks.clock();
    const s = await trainer.trainBatch(batch, lr);
    sums.trainSeconds += (hooks.clock() - t0) / 1000;
    if (!Number.isFinite(s.loss))
      throw new Error(
        `Training diverged at epoch ${epoch}, batch ${i + 1} (the loss is ${s.loss}); try a lower learning rate. The last checkpoint is kept.`,
      );
    state.step++;
    timer.batches++;
    sums.lossSum += s.loss * s.tokens;
    sums.accSum += s.accuracy * s.tokens;
    sums.tokens += s.tokens;
    hooks.emit({
      type: 'batch',
      epoch,
      batch: i + 1,
      batchesPerEpoch: epochPlan.batches.length,
      loss: s.loss,
      tokensPerSecond: sums.trainSeconds > 0 ? sums.tokens / sums.trainSeconds : 0,
      ...progressAndEta(plan, state.epoch, i, timer),
    });
  }
  return sums;
}

/** The run's share done after batch i of the current epoch, and the seconds left (within the time limit). */
function progressAndEta(
  plan: RunPlan,
  epochsDone: number,
  i: number,
  timer: RunTimer,
): { progress: number; etaSeconds: number } {
  const { batchesPerEpoch, opts } = plan;
  const done = timer.batchesAtStart + timer.batches;
  const total = opts.epochs * batchesPerEpoch;
  const perBatch = timer.seconds() / timer.batches;
  let progress = Math.min(1, (epochsDone * batchesPerEpoch + Math.min(i + 1, batchesPerEpoch)) / total);
  let eta = Math.max(0, (total - done) * perBatch);
  if (opts.maxSeconds > 0) {
    progress = Math.max(progress, Math.min(1, timer.seconds() / opts.maxSeconds));
    eta = Math.min(eta, Math.max(0, opts.maxSeconds - timer.seconds()));
  }
  return { progress, etaSeconds: eta };
}

/** Validation loss and accuracy over the held-out windows; null when cancelled. */
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

/**
 * Books a finished epoch: the best weights and early-stopping count, the history record, the state,
 * and why the run stops now (null: it goes on), which is also the state's stopReason.
 */
function closeEpoch(
  plan: RunPlan,
  progress: RunProgress,
  e: {
    epoch: number;
    epochStart: number;
    sums: EpochSums;
    val: { loss: number; accuracy: number };
    current: NamedTensorData[];
  },
  timer: RunTimer,
  clock: () => number,
): { record: EpochRecord; reason: StopReason | null } {
  const { opts } = plan;
  const { state } = progress;
  const { epoch, sums, val } = e;
  const improved = state.bestValLoss === null || val.loss < state.bestValLoss - 1e-6;
  if (improved) {
    state.bestValLoss = val.loss;
    state.bestEpoch = epoch;
    state.epochsWithoutImprovement = 0;
    progress.bestWeights = e.current;
  } else state.epochsWithoutImprovement++;
  const record: EpochRecord = {
    epoch,
    trainLoss: sums.lossSum / sums.tokens,
    trainAccuracy: sums.accSum / sums.tokens,
    valLoss: val.loss,
    valAccuracy: val.accuracy,
    learningRate: learningRateAt(Math.max(0, state.step - 1), plan.schedule),
    seconds: (clock() - e.epochStart) / 1000,
    tokensPerSecond: sums.trainSeconds > 0 ? sums.tokens / sums.trainSeconds : 0,
  };
  if (sums.timeUp) record.partial = true;
  progress.history.push(record);
  state.epoch = epoch;
  state.rngState = progress.rng.state;
  state.elapsedSeconds = timer.elapsedBefore + timer.seconds();
  let reason: StopReason | null = null;
  if (sums.timeUp) reason = 'time-limit';
  else if (epoch >= opts.epochs) reason = 'completed';
  else if (opts.patience > 0 && state.epochsWithoutImprovement >= opts.patience) reason = 'early-stopped';
  else if (opts.maxSeconds > 0 && timer.seconds() >= opts.maxSeconds) reason = 'time-limit';
  state.stopReason = reason;
  return { record, reason };
}

/** The checkpoint of the epoch just closed: the best weights, and the latest ones with the optimizer state. */
async function saveEpoch(
  plan: RunPlan,
  progress: RunProgress,
  current: NamedTensorData[],
  trainer: LstmTrainer,
): Promise<void> {
  progress.manifest = await saveCheckpoint(
    plan.dir,
    {
      name: plan.opts.name,
      createdAt: plan.createdAt,
      lstm: plan.config,
      encoding: { ...plan.data.encoding },
      vocabulary: plan.data.vocab.toJSON(),
      hyperparameters: plan.hyperparameters,
      corpus: plan.corpus,
      history: progress.history,
      state: { ...progress.state },
      baselines: plan.baselines,
    },
    {
      weights: progress.bestWeights!,
      resume: { weights: current, optimizer: await trainer.getOptimizerState() },
    },
  );
}

/** Lets messages (a worker's cancel request) and timers run between batches. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}
