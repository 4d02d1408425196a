import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GridNote, GridPiece } from '../model/common/types.js';
import { barSteps, extractFeatures, topVoice } from './music-features.js';

const note = (pitch: number, start: number, duration: number, track = 0): GridNote => ({
  pitch,
  start,
  duration,
  velocity: 80,
  track,
});
const piece = (notes: GridNote[], ts: [number, number] = [4, 4]): GridPiece => ({
  name: 't',
  stepsPerQuarter: 4,
  bpm: 120,
  timeSignature: ts,
  lengthSteps: 64,
  notes,
});
const close = (a: number[], b: number[]) =>
  a.length === b.length && a.every((v, i) => Math.abs(v - b[i]) < 1e-12);

test('barSteps from the time signature', () => {
  assert.equal(barSteps(piece([], [4, 4])), 16);
  assert.equal(barSteps(piece([], [6, 8])), 12);
  assert.equal(barSteps(piece([], [3, 4])), 12);
});

test('topVoice: highest onset, skipping chords under a held melody note', () => {
  const melody = [note(72, 0, 8), note(74, 8, 4), note(76, 12, 4)];
  const chords = [note(48, 0, 16, 1), note(52, 0, 16, 1), note(55, 4, 4, 1)];
  const top = topVoice([...chords, ...melody]);
  assert.deepEqual(
    top.map((n) => n.pitch),
    [72, 74, 76],
  );
  // A chord onset after the melody note ended is part of the top voice.
  assert.deepEqual(
    topVoice([note(72, 0, 2), note(60, 4, 4), note(64, 4, 4)]).map((n) => n.pitch),
    [72, 64],
  );
});

test('extractFeatures: hand-computed values', () => {
  // Bar 1: C4 E4 G4 quarters; bar 2 repeats bar 1; bar 3: a C major chord as a whole note.
  const bar1 = [note(60, 0, 4), note(64, 4, 4), note(67, 8, 4)];
  const bar2 = bar1.map((n) => note(n.pitch, n.start + 16, n.duration));
  const bar3 = [note(60, 32, 16), note(64, 32, 16), note(67, 32, 16)];
  const f = extractFeatures(piece([...bar1, ...bar2, ...bar3]))!;
  const pc = new Array(12).fill(0);
  pc[0] = pc[4] = pc[7] = 1 / 3;
  assert.ok(close(f.pitchClassHistogram, pc));
  assert.equal(f.pitchRange, 7);
  // Top voice: 60 64 67 60 64 67 67 -> intervals 4 3 7 4 3 0.
  const iv = new Array(13).fill(0);
  iv[4] = 2 / 6;
  iv[3] = 2 / 6;
  iv[7] = 1 / 6;
  iv[0] = 1 / 6;
  assert.ok(close(f.intervalHistogram, iv), JSON.stringify(f.intervalHistogram));
  // 6 quarters, 3 whole notes.
  assert.ok(close(f.noteLengthHistogram, [0, 0, 0, 6 / 9, 0, 0, 0, 3 / 9, 0]));
  assert.equal(f.notesPerBar, 3); // 9 notes over 3 bars
  // Sounding: bars 1-2: 12 busy steps of 1 note each, 4 silent steps each; bar 3: 16 steps x 3.
  assert.ok(Math.abs(f.polyphony - (24 + 48) / 40) < 1e-12);
  assert.ok(Math.abs(f.repetition - 1 / 3) < 1e-12);
});

test('extractFeatures: empty piece -> null; long notes and wide leaps go to the last bins', () => {
  assert.equal(extractFeatures(piece([])), null);
  const f = extractFeatures(piece([note(40, 0, 40), note(80, 40, 1)]))!;
  assert.equal(f.pitchRange, 40);
  assert.equal(f.intervalHistogram[12], 1);
  assert.ok(close(f.noteLengthHistogram, [0.5, 0, 0, 0, 0, 0, 0, 0, 0.5]));
  assert.equal(f.repetition, 0);
  assert.throws(() => extractFeatures(piece([note(60, 0, 1)], [0, 4])), /bad time signature/);
});
