import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initWeights } from '../lstm/weights.js';
import { createLstmStepper } from '../lstm/stepper.js';
import { Vocabulary } from '../encoding/vocabulary.js';
import { defaultEncodingConfig } from '../encoding/config.js';
import { encodePiece } from '../encoding/codec.js';
import type { LoadedModel } from '../checkpoint/load.js';
import type { ModelManifest } from '../checkpoint/format.js';
import { patternCorpus } from '../train/train.fixture.js';
import { countNgrams } from './baselines.js';
import { evaluateModel, scoreWithModel, toMetrics, wholeSequenceBatches } from './evaluate.js';

test('wholeSequenceBatches: one row per sequence, longest first, padding -1', () => {
  const seqs = [Int32Array.of(1, 2, 3), Int32Array.of(1, 4, 5, 6, 7), Int32Array.of(9)];
  const [b] = wholeSequenceBatches(seqs, 4);
  assert.equal(b.batch, 2);
  assert.equal(b.seqLen, 4);
  assert.deepEqual(Array.from(b.inputs), [1, 4, 5, 6, 1, 2, 0, 0]);
  assert.deepEqual(Array.from(b.targets), [4, 5, 6, 7, 2, 3, -1, -1]);
  assert.equal(wholeSequenceBatches(seqs, 1).length, 2);
});

function model(withBaselines: boolean): { m: LoadedModel; seqs: Int32Array[] } {
  const pieces = patternCorpus(4);
  const encoding = { ...defaultEncodingConfig('16th'), transpose: 1 };
  const vocab = Vocabulary.fromCorpus(pieces, encoding);
  const config = { vocabSize: vocab.size, embeddingDim: 8, hiddenSize: 16, numLayers: 2, dropout: 0 };
  const weights = initWeights(config, 5);
  for (const w of weights)
    if (w.name === 'output/kernel') for (let i = 0; i < w.data.length; i++) w.data[i] *= 10;
  const seqs = pieces.map((p) => encodePiece(p, vocab, encoding));
  const manifest = { baselines: withBaselines ? countNgrams(seqs, vocab.size) : null } as ModelManifest;
  return { m: { dir: '/x', manifest, config, vocab, encoding, weights, info: null as never }, seqs };
}

test('the trainer-based score equals -ln p from the generation stepper', async () => {
  const { m, seqs } = model(false);
  const s = await scoreWithModel(m, seqs);
  const stepper = createLstmStepper(m.config, m.weights);
  let nll = 0;
  let count = 0;
  for (const seq of seqs) {
    stepper.reset(1);
    for (let i = 0; i + 1 < seq.length; i++) {
      const p = stepper.step(Int32Array.of(seq[i]));
      nll -= Math.log(p[seq[i + 1]]);
      count++;
    }
  }
  assert.equal(s.count, count);
  assert.ok(Math.abs(s.nllSum - nll) / count < 1e-3, `${s.nllSum / count} vs ${nll / count}`);
  const mm = toMetrics(s);
  assert.ok(Math.abs(mm.perplexity - Math.exp(mm.nll)) < 1e-9);
});

test('evaluateModel: metrics and baselines; pieces on another grid are refused', async () => {
  const { m } = model(true);
  const pieces = patternCorpus(6).slice(4);
  const r = await evaluateModel(m, pieces);
  assert.equal(r.pieces, 2);
  assert.ok(r.tokens > 50);
  for (const x of [r.model, r.unigram!, r.bigram!]) {
    assert.equal(x.tokens, r.tokens);
    assert.ok(Number.isFinite(x.nll) && x.nll > 0 && x.accuracy >= 0 && x.accuracy <= 1);
  }
  // The bigram fitted on these very patterns predicts them better than the unigram.
  assert.ok(r.bigram!.nll < r.unigram!.nll);
  const none = await evaluateModel(model(false).m, pieces);
  assert.equal(none.bigram, null);
  await assert.rejects(evaluateModel(m, [{ ...pieces[0], stepsPerQuarter: 2 }]), /8th|grid/);
  await assert.rejects(evaluateModel(m, [{ ...pieces[0], notes: [] }]), /Nothing to evaluate/);
});
