import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  deserializeTokens,
  FrameCursor,
  frameVocab,
  maskedLogProb,
  serializePiece,
  type FrameVocab,
} from './frames.js';
import { parsePianoRoll, transposePianoRoll } from './data.js';

/** The allowed mask after feeding `tokens` (bos excluded). */
function maskAfter(vocab: FrameVocab, tokens: number[]): number[] {
  const c = new FrameCursor(vocab);
  for (const t of tokens) c.push(t);
  return Array.from(c.allowed());
}

test('pitch-sets: bos, pitches low to high, end of frame; empty frame = eof only', () => {
  const v = frameVocab(60, 63);
  assert.deepEqual(v, { coding: 'pitch-sets', low: 60, high: 63, pitches: 4, eof: 4, bos: 5, size: 6 });
  const s = serializePiece([[60, 62], [], [63]], v);
  assert.deepEqual(Array.from(s.tokens), [5, 0, 2, 4, 4, 3, 4]);
  assert.deepEqual(Array.from(s.frameOf), [-1, 0, 0, 0, 1, 2, 2]);
  assert.deepEqual(deserializeTokens(s.tokens, v), [[60, 62], [], [63]]);
  assert.throws(() => serializePiece([[59]], v), /outside the vocabulary 60..63/);
  assert.throws(() => serializePiece([[62, 61]], v), /sorted and distinct/);
  assert.throws(() => deserializeTokens([2, 1, 4], v), /not allowed/);
  assert.throws(() => deserializeTokens([2], v), /middle of a frame/);
  assert.throws(() => frameVocab(60, 63, 'chords' as never), /unknown frame coding "chords"/);
});

test('pitch-sets grammar: strictly higher pitches or end of frame; bos never', () => {
  const v = frameVocab(60, 63);
  assert.deepEqual(maskAfter(v, []), [1, 1, 1, 1, 1, 0]);
  assert.deepEqual(maskAfter(v, [0, v.eof]), [1, 1, 1, 1, 1, 0]);
  assert.deepEqual(maskAfter(v, [1]), [0, 0, 1, 1, 1, 0]);
  assert.deepEqual(maskAfter(v, [3]), [0, 0, 0, 0, 1, 0]);
  const c = new FrameCursor(v);
  c.push(1);
  assert.equal(c.isAllowed(1), false);
  assert.equal(c.isAllowed(v.bos), false);
  assert.throws(() => c.push(0), /token 0 is not allowed here \(pitch 61 came before\)/);
});

test('pitch-changes: stops low to high, then starts low to high, then end of frame', () => {
  const v = frameVocab(60, 63, 'pitch-changes');
  assert.deepEqual(v, { coding: 'pitch-changes', low: 60, high: 63, pitches: 4, eof: 8, bos: 9, size: 10 });
  const piece = [[60, 62], [60, 62], [61, 62], [], [], [63]];
  const s = serializePiece(piece, v);
  // start 60, 62 | (same) | stop 60, start 61 | stop 61, 62 | (same) | start 63
  assert.deepEqual(Array.from(s.tokens), [9, 0, 2, 8, 8, 4, 1, 8, 5, 6, 8, 8, 3, 8]);
  assert.deepEqual(Array.from(s.frameOf), [-1, 0, 0, 0, 1, 2, 2, 2, 3, 3, 3, 4, 5, 5]);
  assert.deepEqual(deserializeTokens(s.tokens, v), piece);
  assert.throws(() => deserializeTokens([4, 8], v), /not allowed/, 'nothing sounds yet: nothing can stop');
  assert.throws(
    () => deserializeTokens([0, 8, 0, 8], v),
    /not allowed/,
    '60 sounds already: it cannot start',
  );
  assert.throws(() => deserializeTokens([0, 1, 8, 1, 4, 8], v), /not allowed/, 'stops come before starts');
});

test('pitch-changes grammar: only sounding pitches stop, only silent ones start, each kind rising', () => {
  const v = frameVocab(60, 63, 'pitch-changes');
  // starts 0..3, stops 4..7, eof 8, bos 9
  assert.deepEqual(maskAfter(v, []), [1, 1, 1, 1, 0, 0, 0, 0, 1, 0]);
  assert.deepEqual(maskAfter(v, [0, 2, 8]), [0, 1, 0, 1, 1, 0, 1, 0, 1, 0]);
  assert.deepEqual(maskAfter(v, [0, 2, 8, 4]), [0, 1, 0, 1, 0, 0, 1, 0, 1, 0]);
  assert.deepEqual(maskAfter(v, [0, 2, 8, 1]), [0, 0, 0, 1, 0, 0, 0, 0, 1, 0]);
  assert.deepEqual(
    maskAfter(v, [0, 2, 8, 6]),
    [0, 1, 0, 1, 0, 0, 0, 0, 1, 0],
    'no stop below 62 after it; 62 cannot restart',
  );
});

test('both codings round-trip random pieces, and sets never needs more tokens on repeated frames', () => {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let k = 0; k < 50; k++) {
    const piece: number[][] = [];
    for (let f = 0; f < 12; f++) {
      if (f > 0 && rand() < 0.4) piece.push([...piece[f - 1]]);
      else piece.push([60, 61, 62, 63, 64].filter(() => rand() < 0.4));
    }
    for (const coding of ['pitch-sets', 'pitch-changes'] as const) {
      const v = frameVocab(60, 64, coding);
      const s = serializePiece(piece, v);
      assert.deepEqual(deserializeTokens(s.tokens, v), piece, coding);
    }
  }
});

test('maskedLogProb renormalises over the allowed tokens', () => {
  const v = frameVocab(60, 63);
  const probs = [0.1, 0.2, 0.3, 0.1, 0.2, 0.1]; // bos gets mass too: it is excluded
  const at = (tokens: number[]) => {
    const c = new FrameCursor(v);
    for (const t of tokens) c.push(t);
    return c;
  };
  assert.ok(Math.abs(maskedLogProb(probs, 0, at([]), 2) - Math.log(0.3 / 0.9)) < 1e-12);
  assert.ok(Math.abs(maskedLogProb(probs, 0, at([1]), v.eof) - Math.log(0.2 / 0.6)) < 1e-12);
  assert.throws(() => maskedLogProb(probs, 0, at([2]), 1), /not allowed/);
  for (const coding of ['pitch-sets', 'pitch-changes'] as const) {
    const vc = frameVocab(60, 63, coding);
    const p = Array.from({ length: vc.size }, (_, i) => (i + 1) / 10);
    for (const prefix of [[], [1], [0, 2, vc.eof], [0, 2, vc.eof, vc.eof - 2]]) {
      const c = new FrameCursor(vc);
      let ok = true;
      for (const t of prefix)
        if (c.isAllowed(t)) c.push(t);
        else ok = false;
      if (!ok) continue;
      let sum = 0;
      for (let t = 0; t < vc.size; t++) if (c.isAllowed(t)) sum += Math.exp(maskedLogProb(p, 0, c, t));
      assert.ok(Math.abs(sum - 1) < 1e-12, `${coding} after ${prefix}: ${sum}`);
    }
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

test('transposePianoRoll: shifts, refuses to leave the piano range', () => {
  assert.deepEqual(transposePianoRoll([[60, 64], []], 2), [[62, 66], []]);
  assert.equal(transposePianoRoll([[107]], 2), null);
  assert.equal(transposePianoRoll([[22]], -2), null);
});
