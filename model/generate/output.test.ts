import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Midi } from '@tonejs/midi';
import type { GridPiece } from '../common/types.js';
import { gridPieceToSeconds } from './output.js';
import { gridPieceToMidi } from '../midi/write.js';

const piece: GridPiece = {
  name: 'p',
  stepsPerQuarter: 4,
  bpm: 120,
  timeSignature: [3, 4],
  lengthSteps: 24,
  notes: [
    { pitch: 64, start: 4, duration: 2, velocity: 127, track: 0 },
    { pitch: 60, start: 0, duration: 4, velocity: 64, track: 0 },
  ],
};

test('gridPieceToSeconds: steps to seconds at the tempo, sorted, length from lengthSteps', () => {
  const { notes, durationSeconds } = gridPieceToSeconds(piece);
  assert.deepEqual(notes, [
    { pitch: 60, time: 0, duration: 0.5, velocity: 64 / 127 },
    { pitch: 64, time: 0.5, duration: 0.25, velocity: 1 },
  ]);
  assert.equal(durationSeconds, 3);
});

test('gridPieceToMidi: tempo, meter and notes survive a round trip through @tonejs/midi', () => {
  const midi = new Midi(gridPieceToMidi(piece));
  assert.equal(Math.round(midi.header.tempos[0].bpm), 120);
  assert.deepEqual(midi.header.timeSignatures[0].timeSignature, [3, 4]);
  const notes = midi.tracks.flatMap((t) => t.notes).map((n) => [n.midi, n.time, n.duration]);
  assert.deepEqual(notes, [
    [60, 0, 0.5],
    [64, 0.5, 0.25],
  ]);
});
