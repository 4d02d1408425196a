import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allowedMask,
  deserializeTokens,
  frameVocab,
  isAllowed,
  maskedLogProb,
  serializePiece,
} from './frames.js';
import { parsePianoRoll, transposePiece } from './data.js';

test('serializePiece: bos, pitches low to high, end of frame; empty frame = eof only', () => {
  const v = frameVocab(60, 63);
  assert.deepEqual(v, { low: 60, high: 63, pitches: 4, eof: 4, bos: 5, size: 6 });
  const s = serializePiece([[60, 62], [], [63]], v);
  assert.deepEqual(Array.from(s.tokens), [5, 0, 2, 4, 4, 3, 4]);
  assert.deepEqual(Array.from(s.frameOf), [-1, 0, 0, 0, 1, 2, 2]);
  assert.deepEqual(deserializeTokens(s.tokens, v), [[60, 62], [], [63]]);
  assert.throws(() => serializePiece([[59]], v), /outside the vocabulary 60..63/);
  assert.throws(() => serializePiece([[62, 61]], v), /sorted and distinct/);
  assert.throws(() => deserializeTokens([2, 1, 4], v), /not allowed/);
  assert.throws(() => deserializeTokens([2], v), /middle of a frame/);
});

test('allowed tokens: strictly higher pitches or end of frame; bos never', () => {
  const v = frameVocab(60, 63);
  assert.deepEqual(Array.from(allowedMask(v.bos, v)), [1, 1, 1, 1, 1, 0]);
  assert.deepEqual(Array.from(allowedMask(v.eof, v)), [1, 1, 1, 1, 1, 0]);
  assert.deepEqual(Array.from(allowedMask(1, v)), [0, 0, 1, 1, 1, 0]);
  assert.deepEqual(Array.from(allowedMask(3, v)), [0, 0, 0, 0, 1, 0]);
  assert.equal(isAllowed(1, 1, v), false);
  assert.equal(isAllowed(1, v.bos, v), false);
});

test('maskedLogProb renormalises over the allowed tokens', () => {
  const v = frameVocab(60, 63);
  const probs = [0.1, 0.2, 0.3, 0.1, 0.2, 0.1]; // bos gets mass too: it is excluded
  assert.ok(Math.abs(maskedLogProb(probs, 0, v.eof, 2, v) - Math.log(0.3 / 0.9)) < 1e-12);
  assert.ok(Math.abs(maskedLogProb(probs, 0, 1, v.eof, v) - Math.log(0.2 / 0.6)) < 1e-12);
  assert.throws(() => maskedLogProb(probs, 0, 2, 1, v), /cannot follow/);
  // Every allowed continuation sums to 1.
  for (const prev of [0, 1, 2, 3, v.eof, v.bos]) {
    let s = 0;
    for (let t = 0; t < v.size; t++)
      if (isAllowed(prev, t, v)) s += Math.exp(maskedLogProb(probs, 0, prev, t, v));
    assert.ok(Math.abs(s - 1) < 1e-12, `after ${prev}: ${s}`);
  }
});

test('parsePianoRoll: clear messages for bad input', () => {
  assert.throws(() => parsePianoRoll([], 'x'), /expected an object/);
  assert.throws(() => parsePianoRoll({ train: [], valid: [] }, 'x'), /"test" is missing/);
  assert.throws(
    () => parsePianoRoll({ train: [[[60, 200]]], valid: [], test: [] }, 'x'),
    /train piece 0, frame 0: pitch 200/,
  );
  assert.throws(
    () => parsePianoRoll({ train: [[[62, 60]]], valid: [], test: [] }, 'x'),
    /sorted and distinct/,
  );
  assert.throws(() => parsePianoRoll({ train: [], valid: [], test: [] }, 'x'), /no pieces/);
  const d = parsePianoRoll({ train: [[[60], []]], valid: [], test: [[[]]] }, 'x');
  assert.equal(d.train[0].length, 2);
});

test('transposePiece: shifts, refuses to leave the piano range', () => {
  assert.deepEqual(transposePiece([[60, 64], []], 2), [[62, 66], []]);
  assert.equal(transposePiece([[107]], 2), null);
  assert.equal(transposePiece([[22]], -2), null);
});
