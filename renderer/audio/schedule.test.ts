import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  barSeconds,
  barStep,
  beatSeconds,
  notesAt,
  pieceLength,
  retimePiece,
  playbackSeconds,
  playheadSeconds,
  scheduleNotes,
  secondsToTicks,
  silentWindows,
  ticksToSeconds,
} from './schedule.js';

const n = (pitch: number, time: number, duration: number, velocity = 0.7) => ({
  pitch,
  time,
  duration,
  velocity,
});

test('seconds and ticks convert both ways at the piece tempo', () => {
  assert.equal(secondsToTicks(0.5, 120, 192), 192); // one beat at 120 bpm
  assert.equal(secondsToTicks(2, 120, 192), 768);
  assert.equal(ticksToSeconds(768, 120, 192), 2);
  for (const s of [0, 0.123, 3.7])
    assert.ok(Math.abs(ticksToSeconds(secondsToTicks(s, 97, 480), 97, 480) - s) < 1e-12);
});

test('playback at another tempo stretches time', () => {
  assert.equal(playbackSeconds(4, 120, 60), 8);
  assert.equal(playbackSeconds(4, 120, 240), 2);
});

test('scheduleNotes sorts, rounds and drops unplayable notes', () => {
  const s = scheduleNotes(
    [n(64, 1, 0.5), n(60, 0, 0.25), n(200, 0, 1), n(62, 0.5, 0), n(67, 0, 0.001, 1.5)],
    120,
    192,
  );
  assert.deepEqual(
    s.map((x) => [x.ticks, x.durationTicks, x.pitch, x.velocity]),
    [
      [0, 96, 60, 0.7],
      [0, 1, 67, 1],
      [384, 192, 64, 0.7],
    ],
  );
});

test('pieceLength covers the last note', () => {
  assert.equal(pieceLength({ durationSeconds: 4, notes: [n(60, 0, 1)] }), 4);
  assert.equal(pieceLength({ durationSeconds: 4, notes: [n(60, 3.5, 1)] }), 4.5);
  assert.equal(pieceLength({ durationSeconds: 0, notes: [] }), 0);
});

test('playhead wraps when looping and clamps otherwise', () => {
  assert.equal(playheadSeconds(5, 4, true), 1);
  assert.equal(playheadSeconds(8, 4, true), 0);
  assert.equal(playheadSeconds(5, 4, false), 4);
  assert.equal(playheadSeconds(-1, 4, false), 0);
  assert.equal(playheadSeconds(3, 0, true), 0);
});

test('notesAt and silentWindows', () => {
  const notes = [n(60, 0, 1), n(64, 0.5, 1), n(67, 3, 1)];
  assert.deepEqual(
    notesAt(notes, 0.75).map((x) => x.pitch),
    [60, 64],
  );
  assert.deepEqual(notesAt(notes, 1.5), []);
  assert.deepEqual(silentWindows(notes, 6, 0.2, 0.5), [
    { start: 1.7, end: 3 },
    { start: 4.2, end: 6 },
  ]);
  assert.deepEqual(silentWindows(notes, 4.3, 0.2, 0.5), [{ start: 1.7, end: 3 }]);
  assert.deepEqual(silentWindows([], 2, 0.2, 0.5), [{ start: 0, end: 2 }]);
});

test('bar and beat lengths; barStep goes to the bar lines around a position', () => {
  assert.equal(beatSeconds({ bpm: 120, timeSignature: [4, 4] }), 0.5);
  assert.equal(beatSeconds({ bpm: 120, timeSignature: [6, 8] }), 0.25);
  assert.equal(barSeconds({ bpm: 120, timeSignature: [3, 4] }), 1.5);
  assert.equal(barStep(3, 2, 1), 4);
  assert.equal(barStep(3, 2, -1), 2);
  assert.equal(barStep(4, 2, -1), 2);
  assert.equal(barStep(4, 2, 1), 6);
  assert.equal(barStep(0.5, 2, -2), 0);
});

test('retimePiece keeps the beats: a piece at twice the tempo lasts half as long, same ticks', () => {
  const piece = {
    bpm: 120,
    durationSeconds: 4,
    notes: [{ pitch: 60, time: 1, duration: 0.5, velocity: 0.7 }],
  };
  const fast = retimePiece(piece, 240);
  assert.equal(fast.bpm, 240);
  assert.equal(fast.durationSeconds, 2);
  assert.deepEqual(fast.notes, [{ pitch: 60, time: 0.5, duration: 0.25, velocity: 0.7 }]);
  assert.deepEqual(scheduleNotes(fast.notes, 240, 192), scheduleNotes(piece.notes, 120, 192));
  assert.equal(piece.notes[0]!.time, 1, 'the original is unchanged');
});
