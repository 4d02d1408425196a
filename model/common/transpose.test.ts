import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  augmentedPieces,
  estimateKey,
  normaliseToC,
  shiftToC,
  transposePiece,
  pitchClassOf,
} from './transpose.js';
import { parseMidi } from '../midi/parse.js';
import { quantizePiece } from '../midi/quantize.js';
import { gridPiece } from '../encoding/pieces.fixture.js';

const piece = gridPiece;
const scale = (root: number, steps: number[]) =>
  piece(steps.flatMap((s, i) => [[60 + root + s, i * 4, 4] as [number, number, number]]));
const MAJOR = [0, 2, 4, 5, 7, 9, 11, 12, 7, 4, 0, 7, 0];
const MINOR = [0, 2, 3, 5, 7, 8, 10, 12, 7, 3, 0, 7, 0, 3, 0];

test('transposePiece drops and counts notes leaving the range', () => {
  const p = piece([
    [21, 0, 1],
    [60, 0, 1],
    [107, 1, 1],
  ]);
  const up = transposePiece(p, 2);
  assert.deepEqual(
    up.piece.notes.map((n) => n.pitch),
    [23, 62],
  );
  assert.equal(up.dropped, 1);
  const down = transposePiece(p, -1, [21, 108]);
  assert.deepEqual(
    down.piece.notes.map((n) => n.pitch),
    [59, 106],
  );
  assert.equal(down.dropped, 1);
  assert.equal(p.notes[1].pitch, 60, 'the original is untouched');
});

test('augmentedPieces: original first, then -1, +1, ...; drops counted', () => {
  const p = piece([
    [60, 0, 1],
    [108, 1, 1],
  ]);
  const stats = { dropped: 0 };
  const out = augmentedPieces([p], 2, [21, 108], stats);
  assert.equal(out.length, 5);
  assert.equal(out[0], p);
  assert.deepEqual(
    out.map((x) => x.notes[0].pitch),
    [60, 59, 61, 58, 62],
  );
  assert.equal(stats.dropped, 2);
  assert.equal(out[2].name, 'p +1');
});

test('estimateKey finds the key of scales and of real tunes', () => {
  for (let root = 0; root < 12; root++) {
    assert.deepEqual(
      [estimateKey(scale(root, MAJOR)).root, estimateKey(scale(root, MAJOR)).scale],
      [root, 'major'],
    );
    assert.deepEqual(
      [estimateKey(scale(root, MINOR)).root, estimateKey(scale(root, MINOR)).scale],
      [root, 'minor'],
    );
  }
  // Nottingham tunes carry key signatures: the estimate should give the same normalising shift (the
  // signature's major key or its relative minor) for most of them. Krumhansl-Schmuckler is known to
  // pick the dominant on many folk tunes (and some modulate): 43 of the first 60 agree; chance is 1/12.
  const dir = resolve(__dirname, '../..', '../shared/data/nottingham-midi');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.mid'))
    .sort()
    .slice(0, 60);
  let agree = 0;
  let total = 0;
  for (const f of files) {
    const m = parseMidi(new Uint8Array(readFileSync(resolve(dir, f))), f);
    const sig = m.keySignatures[0];
    if (!sig) continue;
    total++;
    const est = estimateKey(quantizePiece(m).piece);
    if (shiftToC(est.root, est.scale) === shiftToC(pitchClassOf(sig.key), sig.scale)) agree++;
  }
  assert.ok(total >= 30, `${total} tunes with a key signature`);
  assert.ok(agree / total > 0.65, `estimate agrees on ${agree}/${total}`);
});

test('normaliseToC: by key signature when given, else by estimate', () => {
  assert.equal(shiftToC(7, 'major'), 5); // G → C: up 5
  assert.equal(shiftToC(2, 'major'), -2);
  assert.equal(shiftToC(4, 'minor'), 5); // E minor → A minor
  assert.equal(shiftToC(11, 'minor'), -2);
  const g = scale(7, MAJOR);
  const bySig = normaliseToC(g, { key: 'G', scale: 'major' });
  assert.equal(bySig.source, 'signature');
  assert.equal(bySig.semitones, 5);
  assert.equal(bySig.key, 'G major');
  assert.equal(estimateKey(bySig.piece).name, 'C major');
  const byEst = normaliseToC(scale(2, MINOR));
  assert.equal(byEst.source, 'estimate');
  assert.equal(byEst.key, 'D minor');
  assert.equal(estimateKey(byEst.piece).name, 'A minor');
  assert.equal(normaliseToC(g, { key: 'Bb', scale: 'minor' }).semitones, -1);
});
