import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BigramKneserNey,
  KN_DISCOUNT,
  UnigramModel,
  countNgrams,
  scoreSequences,
  validateNgramCounts,
} from './baselines.js';

const seqs = [Int32Array.of(0, 1, 2, 1, 2, 3), Int32Array.of(0, 1, 2, 3)];
const V = 5;

test('countNgrams counts predicted tokens and pairs', () => {
  const c = countNgrams(seqs, V);
  assert.deepEqual(c.unigram, [0, 3, 3, 2, 0]);
  assert.deepEqual(c.bigram, [0, 1, 2, 1, 2, 3, 2, 1, 1, 2, 3, 2]);
  validateNgramCounts(c);
  assert.throws(() => countNgrams([Int32Array.of(0, 7)], V), /out of range/);
  assert.throws(() => validateNgramCounts({ ...c, unigram: [1] }), /unigram/);
});

test('unigram add-one: exact values, sums to 1', () => {
  const u = new UnigramModel(countNgrams(seqs, V));
  assert.equal(u.prob(0, 1), 4 / 13);
  assert.equal(u.prob(0, 4), 1 / 13);
  let s = 0;
  for (let w = 0; w < V; w++) s += u.prob(0, w);
  assert.ok(Math.abs(s - 1) < 1e-12);
  assert.equal(u.argmax(), 1);
});

test('bigram Kneser-Ney: hand-computed value, normalised for seen and unseen contexts', () => {
  const b = new BigramKneserNey(countNgrams(seqs, V));
  // Types: (0,1) (1,2) (2,1) (2,3) -> N1+(..)=4; continuation counts: 1:2, 2:1, 3:1.
  const pCont = (n: number) => (n + 1) / (4 + V);
  // Context 2: c(2)=3 (2->1 once, 2->3 twice), N1+(2.)=2.
  const d = KN_DISCOUNT;
  const expected = (2 - d) / 3 + ((d * 2) / 3) * pCont(1);
  assert.ok(Math.abs(b.prob(2, 3) - expected) < 1e-12);
  for (const v of [0, 1, 2, 3, 4]) {
    let s = 0;
    for (let w = 0; w < V; w++) s += b.prob(v, w);
    assert.ok(Math.abs(s - 1) < 1e-12, `context ${v} sums to ${s}`);
  }
  assert.equal(b.prob(4, 0), pCont(0));
  assert.equal(b.argmax(0), 1);
  assert.equal(b.argmax(2), 3);
});

test('scoreSequences: bigram beats unigram on structured data', () => {
  const c = countNgrams(seqs, V);
  const su = scoreSequences(new UnigramModel(c), seqs);
  const sb = scoreSequences(new BigramKneserNey(c), seqs);
  assert.equal(su.count, 8);
  assert.equal(sb.count, 8);
  assert.ok(sb.nllSum < su.nllSum);
  assert.ok(sb.correct > su.correct);
});
