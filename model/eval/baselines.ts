/**
 * Count-based reference models fitted on the training corpus tokens, so an evaluation can show that
 * the LSTM learned more than token frequencies:
 * - unigram with add-one (Laplace) smoothing: p(w) = (c(w) + 1) / (N + V);
 * - bigram with interpolated Kneser-Ney smoothing (discount d = 0.75):
 *   p(w | v) = max(c(v,w) - d, 0) / c(v) + d · N1+(v·) / c(v) · p_cont(w), and p_cont(w) when v
 *   was never seen as a context, where p_cont(w) = (N1+(·w) + 1) / (N1+(··) + V) is the
 *   continuation probability, add-one smoothed so unseen tokens keep some mass.
 * Both predict token i+1 of a sequence from token i, exactly the predictions the LSTM is scored on.
 * The counts are plain data, stored in the model folder (model.json) at training time.
 */

import { InputError } from '../common/options.js';

export interface NgramCounts {
  vocabSize: number;
  /** c(w) over predicted tokens (positions 1..L-1 of each sequence). */
  unigram: number[];
  /** Flattened triples [prev, next, count, prev, next, count, ...], sorted by prev then next. */
  bigram: number[];
}

export interface ScoreStats {
  nllSum: number;
  correct: number;
  count: number;
}

export interface TokenModel {
  /** p(next | prev); must sum to 1 over next. */
  prob(prev: number, next: number): number;
  /** The most likely next token after prev. */
  argmax(prev: number): number;
}

export const KN_DISCOUNT = 0.75;

export function countNgrams(seqs: readonly Int32Array[], vocabSize: number): NgramCounts {
  const unigram = new Array<number>(vocabSize).fill(0);
  const pairs = new Map<number, number>();
  for (const s of seqs) {
    for (let i = 1; i < s.length; i++) {
      const prev = s[i - 1];
      const next = s[i];
      if (next < 0 || next >= vocabSize || prev < 0 || prev >= vocabSize)
        throw new InputError(`token id out of range 0..${vocabSize - 1}`);
      unigram[next]++;
      const k = prev * vocabSize + next;
      pairs.set(k, (pairs.get(k) ?? 0) + 1);
    }
  }
  const keys = [...pairs.keys()].sort((a, b) => a - b);
  const bigram: number[] = [];
  for (const k of keys) bigram.push(Math.floor(k / vocabSize), k % vocabSize, pairs.get(k)!);
  return { vocabSize, unigram, bigram };
}

export function validateNgramCounts(c: NgramCounts): void {
  if (!Number.isInteger(c.vocabSize) || c.vocabSize < 1) throw new InputError('n-gram counts: bad vocabSize');
  if (!Array.isArray(c.unigram) || c.unigram.length !== c.vocabSize)
    throw new InputError(
      `n-gram counts: unigram has ${c.unigram?.length} entries, vocabulary has ${c.vocabSize}`,
    );
  if (!Array.isArray(c.bigram) || c.bigram.length % 3 !== 0)
    throw new InputError('n-gram counts: bigram is not a list of triples');
  for (let i = 0; i < c.bigram.length; i += 3) {
    const [a, b, n] = [c.bigram[i], c.bigram[i + 1], c.bigram[i + 2]];
    if (!(a >= 0 && a < c.vocabSize && b >= 0 && b < c.vocabSize && n > 0))
      throw new InputError(`n-gram counts: bad bigram entry ${a},${b},${n}`);
  }
}

export class UnigramModel implements TokenModel {
  private readonly p: Float64Array;
  private readonly best: number;

  constructor(counts: NgramCounts) {
    const V = counts.vocabSize;
    const N = counts.unigram.reduce((a, b) => a + b, 0);
    this.p = Float64Array.from(counts.unigram, (c) => (c + 1) / (N + V));
    let best = 0;
    for (let i = 1; i < V; i++) if (this.p[i] > this.p[best]) best = i;
    this.best = best;
  }

  prob(_prev: number, next: number): number {
    return this.p[next];
  }

  argmax(): number {
    return this.best;
  }
}

export class BigramKneserNey implements TokenModel {
  private readonly V: number;
  private readonly d: number;
  private readonly pCont: Float64Array;
  private readonly ctxCount: Float64Array; // c(v)
  private readonly ctxTypes: Float64Array; // N1+(v·)
  private readonly rows: Map<number, Map<number, number>>; // v -> w -> c(v,w)
  private readonly best: Int32Array;

  constructor(counts: NgramCounts, discount = KN_DISCOUNT) {
    const V = (this.V = counts.vocabSize);
    this.d = discount;
    this.ctxCount = new Float64Array(V);
    this.ctxTypes = new Float64Array(V);
    const contTypes = new Float64Array(V); // N1+(·w)
    this.rows = new Map();
    let totalTypes = 0;
    for (let i = 0; i < counts.bigram.length; i += 3) {
      const [v, w, c] = [counts.bigram[i], counts.bigram[i + 1], counts.bigram[i + 2]];
      this.ctxCount[v] += c;
      this.ctxTypes[v]++;
      contTypes[w]++;
      totalTypes++;
      let row = this.rows.get(v);
      if (!row) this.rows.set(v, (row = new Map()));
      row.set(w, c);
    }
    this.pCont = Float64Array.from(contTypes, (n) => (n + 1) / (totalTypes + V));
    let contBest = 0;
    for (let w = 1; w < V; w++) if (this.pCont[w] > this.pCont[contBest]) contBest = w;
    this.best = new Int32Array(V).fill(contBest);
    for (const [v, row] of this.rows) {
      let bw = contBest;
      let bp = this.prob(v, contBest);
      for (const w of row.keys()) {
        const p = this.prob(v, w);
        if (p > bp || (p === bp && w < bw)) [bw, bp] = [w, p];
      }
      this.best[v] = bw;
    }
  }

  prob(prev: number, next: number): number {
    const cv = this.ctxCount[prev];
    if (!(cv > 0)) return this.pCont[next];
    const c = this.rows.get(prev)?.get(next) ?? 0;
    return Math.max(c - this.d, 0) / cv + ((this.d * this.ctxTypes[prev]) / cv) * this.pCont[next];
  }

  argmax(prev: number): number {
    return this.best[prev];
  }

  get vocabSize(): number {
    return this.V;
  }
}

/** Scores every prediction (token i+1 given token i) of the sequences. */
export function scoreSequences(model: TokenModel, seqs: readonly Int32Array[]): ScoreStats {
  let nllSum = 0;
  let correct = 0;
  let count = 0;
  for (const s of seqs) {
    for (let i = 1; i < s.length; i++) {
      nllSum -= Math.log(model.prob(s[i - 1], s[i]));
      if (model.argmax(s[i - 1]) === s[i]) correct++;
      count++;
    }
  }
  return { nllSum, correct, count };
}
