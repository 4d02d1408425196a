import type { GridPiece } from '../common/types.js';
import { STEPS_PER_QUARTER } from '../common/types.js';
import { initBackend } from '../core/backend.js';
import type { LstmTrainer, TokenBatch } from '../lstm/types.js';
import { createLstmTrainer } from '../lstm/trainer.js';
import { encodePieceWithReport } from '../encoding/codec.js';
import type { LoadedModel } from '../checkpoint/load.js';
import { BigramKneserNey, UnigramModel, scoreSequences, type ScoreStats } from './baselines.js';
import { InputError } from '../common/options.js';

/**
 * Evaluation on held-out pieces: the LSTM's mean negative log-likelihood per token (nats),
 * perplexity and next-token accuracy, next to the unigram and bigram baselines fitted on the
 * model's training tokens (stored in model.json). Every prediction of every piece is scored (token
 * i+1 from tokens 0..i, the whole piece as context, as in generation), <bos> is given, <eos> is
 * predicted. Lower NLL is better; a model that learned something beats the bigram baseline.
 */

export interface Metrics {
  nll: number; // mean nats per predicted token
  perplexity: number; // exp(nll)
  accuracy: number; // share of tokens that were the most likely prediction
  tokens: number;
}

export interface EvalReport {
  pieces: number;
  tokens: number; // predictions scored
  /** Events the vocabulary lacked, mapped to the nearest known token, and ones written as <unk>. */
  mappedEvents: number;
  unknownEvents: number;
  model: Metrics;
  unigram: Metrics | null; // null when the model has no stored baseline counts
  bigram: Metrics | null;
}

export function toMetrics(s: ScoreStats): Metrics {
  const nll = s.count ? s.nllSum / s.count : NaN;
  return { nll, perplexity: Math.exp(nll), accuracy: s.count ? s.correct / s.count : NaN, tokens: s.count };
}

/** Batches of whole sequences (one row each, padded), longest first to keep padding low. */
export function wholeSequenceBatches(seqs: readonly Int32Array[], rowsPerBatch: number): TokenBatch[] {
  const order = seqs.map((_, i) => i).filter((i) => seqs[i].length >= 2);
  order.sort((a, b) => seqs[b].length - seqs[a].length);
  const out: TokenBatch[] = [];
  for (let k = 0; k < order.length; k += rowsPerBatch) {
    const rows = order.slice(k, k + rowsPerBatch);
    const T = seqs[rows[0]].length - 1;
    const inputs = new Int32Array(rows.length * T);
    const targets = new Int32Array(rows.length * T).fill(-1);
    rows.forEach((i, r) => {
      const s = seqs[i];
      inputs.set(s.subarray(0, s.length - 1), r * T);
      targets.set(s.subarray(1), r * T);
    });
    out.push({ inputs, targets, batch: rows.length, seqLen: T });
  }
  return out;
}

/** Scores token sequences (already encoded with the model's vocabulary) with the LSTM. */
export async function scoreWithModel(
  model: LoadedModel,
  seqs: readonly Int32Array[],
  trainer?: LstmTrainer,
): Promise<ScoreStats> {
  let own: LstmTrainer | null = null;
  if (!trainer) {
    await initBackend();
    own = await createLstmTrainer(model.config, { clipNorm: 1, seed: 0 });
    await own.setWeights(model.weights);
    trainer = own;
  }
  try {
    let nllSum = 0;
    let correct = 0;
    let count = 0;
    for (const b of wholeSequenceBatches(seqs, 16)) {
      const s = await trainer.evaluateBatch(b);
      nllSum += s.nllSum;
      correct += s.correct;
      count += s.count;
    }
    return { nllSum, correct, count };
  } finally {
    await own?.dispose();
  }
}

/** Evaluates a model on pieces quantized to the model's grid (see the module comment). */
export async function evaluateModel(model: LoadedModel, pieces: readonly GridPiece[]): Promise<EvalReport> {
  const spq = STEPS_PER_QUARTER[model.encoding.grid];
  let mapped = 0;
  let unknown = 0;
  const seqs: Int32Array[] = [];
  for (const p of pieces) {
    if (p.stepsPerQuarter !== spq)
      throw new InputError(
        `${p.name} is quantized to ${p.stepsPerQuarter} steps per quarter; the model uses the ${model.encoding.grid} grid (${spq})`,
      );
    if (p.notes.length === 0) continue;
    const { tokens, report } = encodePieceWithReport(p, model.vocab, model.encoding);
    mapped += report.mapped;
    unknown += report.unknown;
    seqs.push(tokens);
  }
  if (seqs.length === 0) throw new InputError('Nothing to evaluate: none of the pieces has notes');
  const lstm = toMetrics(await scoreWithModel(model, seqs));
  const counts = model.manifest?.baselines ?? null;
  return {
    pieces: seqs.length,
    tokens: lstm.tokens,
    mappedEvents: mapped,
    unknownEvents: unknown,
    model: lstm,
    unigram: counts ? toMetrics(scoreSequences(new UnigramModel(counts), seqs)) : null,
    bigram: counts ? toMetrics(scoreSequences(new BigramKneserNey(counts), seqs)) : null,
  };
}
