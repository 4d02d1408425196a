import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../common/rng.js';
import { makeBatch, planEpoch, sequenceWindows, splitByPiece } from './dataset.js';

const seq = (n: number, base = 0) => Int32Array.from({ length: n }, (_, i) => base + i);

test('sequenceWindows: L-1 predictions cut into seqLen windows, optional short first window', () => {
  assert.deepEqual(sequenceWindows(0, 10, 4), [
    { seq: 0, start: 0, length: 4 },
    { seq: 0, start: 4, length: 4 },
    { seq: 0, start: 8, length: 1 },
  ]);
  assert.deepEqual(sequenceWindows(2, 10, 4, 3), [
    { seq: 2, start: 0, length: 3 },
    { seq: 2, start: 3, length: 4 },
    { seq: 2, start: 7, length: 2 },
  ]);
  assert.deepEqual(sequenceWindows(0, 1, 4), []);
  assert.deepEqual(sequenceWindows(0, 2, 4), [{ seq: 0, start: 0, length: 1 }]);
});

test('makeBatch: targets shifted by one, padding input 0 / target -1', () => {
  const seqs = [seq(6, 10), seq(3, 20)];
  const b = makeBatch(
    seqs,
    [
      { seq: 0, start: 1, length: 4 },
      { seq: 1, start: 0, length: 2 },
    ],
    4,
  );
  assert.equal(b.batch, 2);
  assert.equal(b.seqLen, 4);
  assert.deepEqual(Array.from(b.inputs), [11, 12, 13, 14, 20, 21, 0, 0]);
  assert.deepEqual(Array.from(b.targets), [12, 13, 14, 15, 21, 22, -1, -1]);
});

test('planEpoch: every prediction exactly once, shuffled reproducibly, batch sizes', () => {
  const seqs = [seq(50, 0), seq(17, 100), seq(1, 500), seq(33, 200)];
  const opts = { seqLen: 8, batchSize: 3, shuffle: true, jitter: true };
  const p = planEpoch(seqs, opts, new Rng(5));
  assert.equal(p.tokens, 49 + 16 + 32);
  const seen = new Map<string, number>();
  let count = 0;
  for (let i = 0; i < p.batches.length; i++) {
    const b = p.batch(i);
    assert.ok(b.batch <= 3 && b.batch >= 1);
    if (i < p.batches.length - 1) assert.equal(b.batch, 3);
    for (let j = 0; j < b.inputs.length; j++) {
      if (b.targets[j] === -1) continue;
      count++;
      assert.equal(b.targets[j], b.inputs[j] + 1); // consecutive ids in these sequences
      const k = `${b.inputs[j]}`;
      seen.set(k, (seen.get(k) ?? 0) + 1);
    }
  }
  assert.equal(count, p.tokens);
  assert.ok([...seen.values()].every((v) => v === 1));
  const q = planEpoch(seqs, opts, new Rng(5));
  assert.deepEqual(q.batches, p.batches);
  const r = planEpoch(seqs, opts, new Rng(6));
  assert.notDeepEqual(r.batches, p.batches);
  const fixed = planEpoch(seqs, { ...opts, shuffle: false, jitter: false });
  assert.deepEqual(fixed.batches[0], [
    { seq: 0, start: 0, length: 8 },
    { seq: 0, start: 8, length: 8 },
    { seq: 0, start: 16, length: 8 },
  ]);
  assert.throws(() => p.batch(99), RangeError);
  assert.throws(() => planEpoch(seqs, { ...opts, seqLen: 1 }, new Rng(1)), /seqLen/);
  assert.throws(() => planEpoch(seqs, opts), /Rng/);
});

test('splitByPiece: by piece, 10% with at least one, seeded, disjoint', () => {
  const s = splitByPiece(30, 0.1, 1);
  assert.equal(s.val.length, 3);
  assert.equal(s.train.length, 27);
  assert.deepEqual(
    [...s.train, ...s.val].sort((a, b) => a - b),
    Array.from({ length: 30 }, (_, i) => i),
  );
  assert.deepEqual(splitByPiece(30, 0.1, 1), s);
  assert.notDeepEqual(splitByPiece(30, 0.1, 2).val, s.val);
  assert.equal(splitByPiece(3, 0.1, 1).val.length, 1);
  assert.equal(splitByPiece(2, 0.9, 1).train.length, 1);
  assert.throws(() => splitByPiece(1, 0.1, 1), /at least 2/);
  assert.throws(() => splitByPiece(10, 0, 1), /fraction/);
});
