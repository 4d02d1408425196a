/**
 * The contract between the numeric core (model/lstm: the LSTM, its gradients, the optimizer step,
 * the use of several cores) and the code that orchestrates training, evaluation and generation
 * (model/train, model/eval, model/generate). Token ids are 0..vocabSize-1; a target of -1 is padding
 * and is ignored by losses and metrics.
 */

export interface LstmConfig {
  vocabSize: number;
  embeddingDim: number; // one-hot input through a matMul with the embedding matrix
  hiddenSize: number;
  numLayers: number; // 1-3
  dropout: number; // between layers and before the softmax, training only
}

/** One weight (or optimizer slot) as plain data, for checkpoints. */
export interface NamedTensorData {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** A batch laid out row-major [batch, seqLen]. */
export interface TokenBatch {
  inputs: Int32Array;
  targets: Int32Array; // -1 = padding
  batch: number;
  seqLen: number;
}

export interface BatchStats {
  loss: number; // mean cross-entropy (nats) over non-padding targets
  accuracy: number; // share of non-padding targets that were the argmax
  tokens: number; // non-padding targets
}

export interface EvalStats {
  nllSum: number; // sum of -ln p(target) over non-padding targets
  correct: number;
  count: number;
}

export interface TrainerOptions {
  clipNorm: number; // global gradient-norm clipping
  seed: number; // weight initialisation and dropout
  threads?: number; // cores to use; default: all available
}

/** Owns the weights and the optimizer state; everything numeric in training goes through it. */
export interface LstmTrainer {
  readonly config: LstmConfig;
  readonly backend: string;
  trainBatch(batch: TokenBatch, learningRate: number): Promise<BatchStats>;
  evaluateBatch(batch: TokenBatch): Promise<EvalStats>;
  getWeights(): Promise<NamedTensorData[]>;
  setWeights(weights: NamedTensorData[]): Promise<void>;
  getOptimizerState(): Promise<NamedTensorData[]>;
  setOptimizerState(state: NamedTensorData[]): Promise<void>;
  dispose(): Promise<void>;
}

/** Stateful inference: one step per new token, every row of the batch a separate sequence. */
export interface LstmStepper {
  readonly config: LstmConfig;
  /** Starts `batch` fresh sequences (zero state). */
  reset(batch: number): void;
  /** Feeds one token per row; returns probabilities [batch * vocabSize] for the next token. */
  step(tokens: Int32Array, temperature?: number): Float32Array;
  /** Copies the state of row `from` to every row (after priming one row, fan out variations). */
  broadcastRow(from: number): void;
  dispose(): void;
}
