import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MidiNote, MidiPiece, MidiTrack } from '../common/types.js';
import { quantizePiece, defaultTrackSelection } from './quantize.js';

function piece(tracks: Partial<MidiTrack>[], ppq = 480): MidiPiece {
  return {
    name: 't.mid',
    format: 1,
    ppq,
    durationTicks: 0,
    tempos: [{ tick: 0, bpm: 100 }],
    timeSignatures: [{ tick: 0, numerator: 3, denominator: 4 }],
    keySignatures: [],
    tracks: tracks.map((t, index) => ({
      index,
      name: '',
      channel: 0,
      program: 0,
      instrument: 'piano',
      isDrum: false,
      notes: [],
      ...t,
    })),
  };
}
const n = (pitch: number, startTick: number, durationTicks: number, velocity = 80): MidiNote => ({
  pitch,
  startTick,
  durationTicks,
  velocity,
});
const triples = (notes: { pitch: number; start: number; duration: number }[]) =>
  notes.map((x) => [x.pitch, x.start, x.duration]);

test('snaps starts and ends to the grid and reports the shifts', () => {
  // 16th grid at PPQ 480: 120 ticks per step.
  const { piece: g, report } = quantizePiece(
    piece([{ notes: [n(60, 0, 480), n(62, 130, 100), n(64, 470, 20)] }]),
  );
  assert.deepEqual(triples(g.notes), [
    [60, 0, 4],
    [62, 1, 1],
    [64, 4, 1], // shorter than a step: one step
  ]);
  assert.equal(report.notes, 3);
  assert.equal(report.moved, 2);
  assert.ok(Math.abs(report.maxShiftSteps - 10 / 120) < 1e-9);
  assert.ok(Math.abs(report.meanShiftSteps - (10 / 120 + 10 / 120) / 3) < 1e-9);
  assert.equal(g.bpm, 100);
  assert.deepEqual(g.timeSignature, [3, 4]);
  assert.equal(g.stepsPerQuarter, 4);
  assert.equal(g.lengthSteps, 5);
});

test('other grids', () => {
  const p = piece([{ notes: [n(60, 0, 160), n(62, 160, 160), n(64, 320, 160)] }]);
  assert.deepEqual(triples(quantizePiece(p, { grid: '8th-triplet' }).piece.notes), [
    [60, 0, 1],
    [62, 1, 1],
    [64, 2, 1],
  ]);
  assert.equal(quantizePiece(p, { grid: '8th-triplet' }).report.moved, 0);
  assert.deepEqual(
    triples(quantizePiece(p, { grid: '32nd' }).piece.notes).map((x) => x[1]),
    [0, 3, 5],
  );
});

test('nothing is dropped silently: range, duplicates, polyphony, durations', () => {
  const chord = [60, 62, 64, 65, 67, 69].map((p) => n(p, 0, 480));
  const p = piece([
    {
      notes: [
        ...chord,
        n(10, 480, 120),
        n(120, 480, 120),
        n(72, 960, 480),
        n(72, 960, 240),
        n(74, 1440, 480 * 20),
      ],
    },
  ]);
  const { piece: g, report } = quantizePiece(p, { maxPolyphony: 4, maxDurationSteps: 32 });
  assert.equal(report.notes, 11);
  assert.equal(report.droppedOutOfRange, 2);
  assert.equal(report.mergedDuplicates, 1);
  assert.equal(report.droppedOverPolyphony, 2);
  assert.equal(report.clampedDurations, 1);
  // Lowest plus the three highest of the chord survive; the longer duplicate is kept.
  assert.deepEqual(triples(g.notes), [
    [60, 0, 4],
    [65, 0, 4],
    [67, 0, 4],
    [69, 0, 4],
    [72, 8, 4],
    [74, 12, 32],
  ]);
  assert.equal(
    report.notes - report.droppedOutOfRange - report.mergedDuplicates - report.droppedOverPolyphony,
    g.notes.length,
  );
});

test('a note re-struck while sounding is cut at the new start', () => {
  const { piece: g, report } = quantizePiece(piece([{ notes: [n(60, 0, 960), n(60, 480, 240)] }]));
  assert.deepEqual(triples(g.notes), [
    [60, 0, 4],
    [60, 4, 2],
  ]);
  assert.equal(report.moved, 1);
});

test('track selection: drums out by default, explicit tracks, unknown track', () => {
  const p = piece([
    { notes: [n(60, 0, 120)] },
    { notes: [n(36, 0, 120)], isDrum: true, channel: 9 },
    { notes: [n(48, 0, 120)] },
  ]);
  assert.deepEqual(defaultTrackSelection(p), [0, 2]);
  assert.deepEqual(defaultTrackSelection(p, true), [0, 1, 2]);
  assert.deepEqual(
    quantizePiece(p).piece.notes.map((x) => [x.pitch, x.track]),
    [
      [48, 2],
      [60, 0],
    ],
  );
  assert.deepEqual(
    quantizePiece(p, { includeDrums: true }).piece.notes.map((x) => x.pitch),
    [36, 48, 60],
  );
  assert.deepEqual(
    quantizePiece(p, { tracks: [2] }).piece.notes.map((x) => x.pitch),
    [48],
  );
  assert.throws(() => quantizePiece(p, { tracks: [7] }), /no track 7/);
});

test('bpm and meter are the ones in effect at the first note', () => {
  const p = piece([{ notes: [n(60, 960, 120)] }]);
  p.tempos = [
    { tick: 0, bpm: 120 },
    { tick: 480, bpm: 75 },
    { tick: 1920, bpm: 140 },
  ];
  p.timeSignatures = [
    { tick: 0, numerator: 4, denominator: 4 },
    { tick: 960, numerator: 6, denominator: 8 },
  ];
  const g = quantizePiece(p).piece;
  assert.equal(g.bpm, 75);
  assert.deepEqual(g.timeSignature, [6, 8]);
});
