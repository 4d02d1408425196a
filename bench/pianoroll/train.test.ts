import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evenlySpaced, validationBatches } from './train.js';
import { frameVocab, serializePiece } from './frames.js';

test('validationBatches: exactly the tokens of frames 2..T are targets, in order', () => {
  const vocab = frameVocab(60, 67);
  const pieces = [[[60, 62], [], [61, 63, 67], [64]], [[65]], [[], [60]]];
  const batches = validationBatches(pieces, vocab, 3, 2);
  const targets: number[] = [];
  for (const b of batches) {
    assert.ok(b.batch <= 2 && b.seqLen === 3);
    for (const t of b.targets) if (t >= 0) targets.push(t);
  }
  const expected: number[] = [];
  for (const p of pieces) {
    const s = serializePiece(p, vocab);
    for (let i = 1; i < s.tokens.length; i++) if (s.frameOf[i] >= 1) expected.push(s.tokens[i]);
  }
  assert.deepEqual(targets, expected);
  assert.equal(expected.length, 1 + 4 + 2 + 0 + 2);
});

test('evenlySpaced', () => {
  assert.deepEqual(evenlySpaced([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 3), [0, 3, 6]);
  assert.deepEqual(evenlySpaced([1, 2], 5), [1, 2]);
  assert.throws(() => evenlySpaced([1, 2], 0), /at least 1/);
});
