import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  choraleToPiece,
  corpusFileName,
  readChorales,
  voiceNotes,
  VOICES,
  CORPUS_BPM,
} from './build-corpus.js';
import { midiPieceToBytes, parseMidi, quantizePiece } from '../model/index.js';

const root = resolve(__dirname, '..');
const source = resolve(root, '../shared/data/jsb/jsb-16th-voices.json');
const data = readChorales(source);

/** The frames of one voice rebuilt from 16th-grid notes: -1 where silent. */
function framesOf(notes: { pitch: number; start: number; duration: number }[], length: number): number[] {
  const out = new Array<number>(length).fill(-1);
  for (const n of notes) for (let f = n.start; f < n.start + n.duration; f++) out[f] = n.pitch;
  return out;
}

test('voiceNotes: held pitches are one note, -1 is a rest', () => {
  const frames = [
    [60, 55, 52, 48],
    [60, 55, 52, -1],
    [62, -1, 52, -1],
    [-1, 57, 52, 43],
  ];
  assert.deepEqual(
    voiceNotes(frames, 0).map((n) => [n.pitch, n.startTick, n.durationTicks]),
    [
      [60, 0, 240],
      [62, 240, 120],
    ],
  );
  assert.deepEqual(
    voiceNotes(frames, 1).map((n) => [n.pitch, n.startTick / 120, n.durationTicks / 120]),
    [
      [55, 0, 2],
      [57, 3, 1],
    ],
  );
  assert.deepEqual(
    voiceNotes(frames, 2).map((n) => [n.pitch, n.durationTicks / 120]),
    [[52, 4]],
  );
  assert.deepEqual(
    voiceNotes(frames, 3).map((n) => [n.pitch, n.startTick / 120]),
    [
      [48, 0],
      [43, 3],
    ],
  );
  assert.throws(() => choraleToPiece([[60, 55, 52]], 'bad'), /frame 0 is not four MIDI pitches/);
});

test('every note of a sample of chorales survives the conversion to MIDI and back', () => {
  assert.deepEqual([data.train.length, data.valid.length, data.test.length], [229, 76, 77]);
  const sample = [...data.train.slice(0, 4), data.valid[0], data.test[10], data.test[76]];
  for (const [k, frames] of sample.entries()) {
    const piece = parseMidi(midiPieceToBytes(choraleToPiece(frames, `c${k}`)), `c${k}.mid`);
    assert.deepEqual(
      piece.tracks.map((t) => t.name),
      [...VOICES],
    );
    assert.equal(piece.tempos[0].bpm, CORPUS_BPM);
    assert.deepEqual(piece.timeSignatures[0], { tick: 0, numerator: 4, denominator: 4 });
    for (let v = 0; v < 4; v++) {
      const g = quantizePiece(piece, { tracks: [v] }).piece;
      assert.deepEqual(
        framesOf(g.notes, frames.length),
        frames.map((f) => f[v]),
        `chorale ${k}, ${VOICES[v]}`,
      );
    }
  }
});

test('the committed corpus is what the script makes: 382 files, every note kept', () => {
  const dir = resolve(root, 'assets/corpus');
  const files = readdirSync(dir).filter((f) => f.endsWith('.mid'));
  assert.equal(files.length, 382);
  for (const [split, i] of [
    ['train', 0],
    ['train', 228],
    ['valid', 40],
    ['test', 76],
  ] as const) {
    const file = corpusFileName(split, i);
    const frames = data[split][i];
    const piece = parseMidi(new Uint8Array(readFileSync(resolve(dir, file))), file);
    for (let v = 0; v < 4; v++) {
      const g = quantizePiece(piece, { tracks: [v] }).piece;
      assert.deepEqual(
        framesOf(g.notes, frames.length),
        frames.map((f) => f[v]),
        `${file} ${VOICES[v]}`,
      );
    }
  }
});
