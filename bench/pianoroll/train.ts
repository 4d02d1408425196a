import {
  type LstmConfig,
  type LstmTrainer,
  type NamedTensorData,
  type TokenBatch,
  Rng,
  makeBatch,
  planEpoch,
  sequenceWindows,
  learningRateAt,
} from '../../model/index.js';
import { countPredictedFrames, transposePianoRoll, type PianoRollPiece } from './data.js';
import { serializePiece, type FrameVocab } from './frames.js';

/**
 * Training an LSTM on frame tokens for the piano-roll benchmarks, within a wall-clock budget.
 * The trainer minimises plain softmax cross-entropy. Model selection uses the valid split's plain
 * cross-entropy per predicted frame (frames 2..T), computed in large batches by the trainer: it is
 * an upper bound of the renormalised score (renormalising over the allowed tokens can only raise a
 * probability), and the exact renormalised score of the kept weights is computed afterwards with
 * the stepper (evaluate.ts). The learning rate warms up, then follows a cosine over the time budget.
 */
export interface PianoRollTrainOptions {
  learningRate: number;
  minLearningRateFactor: number;
  warmupSteps: number;
  clipNorm: number;
  batchSize: number;
  seqLen: number;
  /** Each epoch every training piece is moved by a random shift in -transpose..+transpose (0 = off). */
  transpose: number;
  seed: number;
  /** Wall-clock budget for training, seconds (validation included). */
  seconds: number;
  /** Stop after this many epochs at most (default: no limit). */
  maxEpochs?: number;
  /** Validate every this many batches, and at the end of every epoch. */
  validEvery: number;
  /** Select on this many valid pieces, evenly spaced (default: all). */
  validPieces?: number;
  onLog?: (line: string) => void;
}

export interface TrainLogEntry {
  seconds: number;
  epoch: number;
  batches: number;
  trainLoss: number; // mean CE per token since the last entry
  validNllUpper: number; // plain CE of the valid split, nats per predicted frame
  learningRate: number;
}

export interface PianoRollTrainResult {
  best: NamedTensorData[];
  bestValidNllUpper: number;
  log: TrainLogEntry[];
  seconds: number;
  batches: number;
  epochs: number; // completed (fractional)
  tokensSeen: number;
}

/** Token sequences of the pieces with frame-1 targets masked: only frames 2..T are scored. */
export function validationBatches(
  pieces: readonly PianoRollPiece[],
  vocab: FrameVocab,
  seqLen: number,
  batchSize: number,
): TokenBatch[] {
  const seqs: Int32Array[] = [];
  const firstFrameEnd: number[] = [];
  for (const p of pieces) {
    const s = serializePiece(p, vocab);
    seqs.push(s.tokens);
    let k = 1;
    while (k < s.frameOf.length && s.frameOf[k] === 0) k++;
    firstFrameEnd.push(k); // tokens 1..k-1 belong to frame 1
  }
  // Contiguous windows, no overlap: a window starts from a fresh state, as in training.
  const windows = seqs.flatMap((s, i) => sequenceWindows(i, s.length, seqLen));
  const batches: TokenBatch[] = [];
  for (let i = 0; i < windows.length; i += batchSize) {
    const ws = windows.slice(i, i + batchSize);
    const b = makeBatch(seqs, ws, seqLen);
    ws.forEach((w, r) => {
      for (let j = 0; j < w.length; j++)
        if (w.start + j + 1 < firstFrameEnd[w.seq]) b.targets[r * seqLen + j] = -1;
    });
    batches.push(b);
  }
  return batches;
}

/** `n` items spread evenly over the list (all when n >= length). */
export function evenlySpaced<T>(items: readonly T[], n: number): T[] {
  if (n >= items.length) return [...items];
  if (!(n >= 1)) throw new Error(`need at least 1 item, got ${n}`);
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)]);
}

export async function plainNllPerFrame(trainer: LstmTrainer, batches: readonly TokenBatch[], frames: number) {
  let nll = 0;
  for (const b of batches) nll += (await trainer.evaluateBatch(b)).nllSum;
  return nll / frames;
}

export async function trainPianoRoll(
  trainer: LstmTrainer,
  train: readonly PianoRollPiece[],
  valid: readonly PianoRollPiece[],
  vocab: FrameVocab,
  o: PianoRollTrainOptions,
): Promise<PianoRollTrainResult> {
  const config: LstmConfig = trainer.config;
  if (config.vocabSize !== vocab.size)
    throw new Error(`the model has ${config.vocabSize} tokens, the frame vocabulary ${vocab.size}`);
  if (valid.length === 0) throw new Error('the valid split is empty: nothing to select the weights on');
  const rng = new Rng(o.seed);
  const t0 = Date.now();
  const elapsed = () => (Date.now() - t0) / 1000;
  const selection = evenlySpaced(valid, o.validPieces ?? valid.length);
  const validSet = validationBatches(selection, vocab, Math.max(o.seqLen, 256), o.batchSize);
  const validFrames = countPredictedFrames(selection);
  const log: TrainLogEntry[] = [];
  let best: NamedTensorData[] | null = null;
  let bestValid = Infinity;
  let batches = 0;
  let tokensSeen = 0;
  let lossSum = 0;
  let lossTokens = 0;
  let epoch = 0;
  let epochFraction = 0;
  let lr = o.learningRate;
  const validate = async () => {
    const v = await plainNllPerFrame(trainer, validSet, validFrames);
    const entry: TrainLogEntry = {
      seconds: elapsed(),
      epoch: epoch + epochFraction,
      batches,
      trainLoss: lossTokens ? lossSum / lossTokens : NaN,
      validNllUpper: v,
      learningRate: lr,
    };
    log.push(entry);
    lossSum = lossTokens = 0;
    if (v < bestValid) {
      bestValid = v;
      best = await trainer.getWeights();
    }
    o.onLog?.(
      `${entry.seconds.toFixed(0)}s epoch ${entry.epoch.toFixed(2)} batch ${batches}: train ${entry.trainLoss.toFixed(3)} nats/token, ` +
        `valid ${v.toFixed(3)} nats/frame (plain softmax)${v === bestValid ? ' *' : ''}, lr ${lr.toExponential(2)}`,
    );
  };
  const maxEpochs = o.maxEpochs ?? Infinity;
  let out = false;
  while (!out && epoch < maxEpochs) {
    const pieces = train.map((p) => {
      if (o.transpose <= 0) return p;
      return transposePianoRoll(p, rng.range(-o.transpose, o.transpose)) ?? p;
    });
    const seqs = pieces.map((p) => serializePiece(p, vocab).tokens);
    const plan = planEpoch(
      seqs,
      { seqLen: o.seqLen, batchSize: o.batchSize, shuffle: true, jitter: true },
      rng,
    );
    for (let i = 0; i < plan.batches.length; i++) {
      const frac = Math.min(1, elapsed() / o.seconds);
      const cosine = learningRateAt(Math.round(frac * 1e6), {
        learningRate: o.learningRate,
        minLearningRate: o.learningRate * o.minLearningRateFactor,
        warmupSteps: 0,
        totalSteps: 1e6,
      });
      lr = cosine * Math.min(1, (batches + 1) / Math.max(1, o.warmupSteps));
      const s = await trainer.trainBatch(plan.batch(i), lr);
      if (!Number.isFinite(s.loss)) throw new Error(`training diverged at batch ${batches} (loss ${s.loss})`);
      batches++;
      tokensSeen += s.tokens;
      lossSum += s.loss * s.tokens;
      lossTokens += s.tokens;
      epochFraction = (i + 1) / plan.batches.length;
      if (elapsed() >= o.seconds) {
        out = true;
        break;
      }
      if (batches % o.validEvery === 0 && i + 1 < plan.batches.length) await validate();
    }
    if (!out) {
      epoch++;
      epochFraction = 0;
    }
    await validate();
  }
  if (!best) throw new Error('no validation ran');
  return {
    best,
    bestValidNllUpper: bestValid,
    log,
    seconds: elapsed(),
    batches,
    epochs: epoch + epochFraction,
    tokensSeen,
  };
}
