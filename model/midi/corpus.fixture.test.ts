/**
 * The awkward files of corpus.fixture.ts, imported: exact notes and lengths, tempo and meter maps, and
 * the warnings that say what was kept, changed or left out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMidi } from './parse.js';
import { quantizePiece } from './quantize.js';
import { summarizePiece, untrainableReason } from './summarize.js';
import {
  MANY_TEMPOS,
  drumsOnly,
  manyTempos,
  meterChanges,
  pedalPiano,
  pitchBends,
  ritardando,
} from './corpus.fixture.js';
import type { MidiPiece } from '../common/types.js';

const notesOf = (p: MidiPiece) =>
  p.tracks.flatMap((t) => t.notes.map((n) => [t.channel, n.pitch, n.startTick, n.durationTicks]));

test('a final ritardando to 8 and 5 bpm: every note imported, the tempos kept as they are, reported', () => {
  const { name, bytes } = ritardando();
  const p = parseMidi(bytes, name);
  assert.equal(p.format, 1);
  assert.deepEqual(
    notesOf(p),
    Array.from({ length: 8 }, (_, i) => [0, 60 + i, i * 480, 480]),
  );
  assert.deepEqual(p.tempos, [
    { tick: 0, bpm: 100 },
    { tick: 1920, bpm: 60 },
    { tick: 2400, bpm: 30 },
    { tick: 2880, bpm: 15 },
    { tick: 3360, bpm: 8 },
    { tick: 3840, bpm: 5 },
  ]);
  assert.deepEqual(p.timeSignatures, [{ tick: 0, numerator: 4, denominator: 4 }]);
  assert.deepEqual(p.warnings, [
    '2 tempos below 10 bpm (the slowest 5.0 bpm at tick 3840 (beat 9)): kept as they are',
  ]);
  const s = summarizePiece(p);
  // 4 beats at 100, then one beat each at 60, 30, 15 and 8 bpm (the last note ends at the 5 bpm change).
  assert.equal(s.durationSeconds, 2.4 + 1 + 2 + 4 + 7.5);
  assert.equal(s.minBpm, 5);
  assert.equal(s.tempoChanges, 5);
});

test('240 tempo changes in a format 0 file: all kept, seconds follow each of them', () => {
  const { name, bytes } = manyTempos();
  const p = parseMidi(bytes, name);
  assert.equal(p.format, 0);
  assert.equal(p.tempos.length, MANY_TEMPOS);
  assert.deepEqual(
    p.tempos.map((t) => [t.tick, t.bpm]),
    Array.from({ length: MANY_TEMPOS }, (_, i) => [i * 48, 60 + i / 2]),
  );
  assert.deepEqual(
    notesOf(p),
    Array.from({ length: MANY_TEMPOS }, (_, i) => [0, 60 + (i % 12), i * 48, 48]),
  );
  assert.deepEqual(p.warnings, []);
  let seconds = 0;
  for (let i = 0; i < MANY_TEMPOS; i++) seconds += 0.5 * (60 / (60 + i / 2));
  assert.ok(Math.abs(summarizePiece(p).durationSeconds - seconds) < 1e-9);
  const g = quantizePiece(p).piece;
  assert.equal(g.tempos!.length, MANY_TEMPOS);
  assert.deepEqual(g.tempos![1], { step: 2, bpm: 60.5 });
});

test('sustain pedal: notes released under it sound to the lift or the re-strike; off on request', () => {
  const { name, bytes } = pedalPiano();
  const held = parseMidi(bytes, name);
  assert.deepEqual(notesOf(held), [
    [0, 60, 0, 960], // released at 120 under the pedal (down at 0, again at 240: one region) → 960
    [0, 64, 120, 1080], // released at 1200, after the lift at 960: unchanged
    [0, 69, 1200, 100], // released with the pedal up: unchanged
    [0, 67, 1500, 300], // held, but struck again at 1800: ends there
    [0, 67, 1800, 600], // held to the lift at 2400
    [0, 72, 2900, 940], // the pedal is never lifted: held to the end of the file
    [0, 59, 3000, 840], // released at the file's end: unchanged
  ]);
  assert.deepEqual(held.sustain, { applied: true, pedalEvents: 7, notesHeld: 4, channels: [0] });
  assert.deepEqual(held.warnings, [
    'sustain pedal: 4 notes held through the pedal (7 pedal events, channel 1); import without sustain for key-up lengths',
  ]);
  const keys = parseMidi(bytes, name, { sustain: false });
  assert.deepEqual(notesOf(keys), [
    [0, 60, 0, 120],
    [0, 64, 120, 1080],
    [0, 69, 1200, 100],
    [0, 67, 1500, 100],
    [0, 67, 1800, 100],
    [0, 72, 2900, 100],
    [0, 59, 3000, 840],
  ]);
  assert.deepEqual(keys.warnings, [
    'sustain pedal not applied: 7 pedal events (channel 1) ignored, notes keep their key-up lengths',
  ]);
  // The held lengths are what the grid sees (72 bpm, 480 PPQ: a 16th is 120 ticks).
  assert.deepEqual(
    quantizePiece(held).piece.notes.map((n) => [n.pitch, n.start, n.duration]),
    [
      [60, 0, 8],
      [64, 1, 9],
      [69, 10, 1],
      [67, 13, 2],
      [67, 15, 5],
      [72, 24, 8],
      [59, 25, 7],
    ],
  );
});

test('3/4 → 5/8 → 4/4 after the first note: the meter map is kept through quantization', () => {
  const { name, bytes } = meterChanges();
  const p = parseMidi(bytes, name);
  assert.deepEqual(p.timeSignatures, [
    { tick: 0, numerator: 3, denominator: 4 },
    { tick: 576, numerator: 5, denominator: 8 },
    { tick: 1056, numerator: 4, denominator: 4 },
  ]);
  assert.equal(notesOf(p).length, 24);
  assert.deepEqual(notesOf(p).slice(5, 8), [
    [0, 62, 480, 96],
    [0, 67, 576, 48],
    [0, 68, 624, 48],
  ]);
  assert.deepEqual(p.warnings, []);
  const g = quantizePiece(p).piece;
  assert.deepEqual(g.timeSignature, [3, 4]);
  assert.deepEqual(g.meters, [
    { step: 0, timeSignature: [3, 4] },
    { step: 24, timeSignature: [5, 8] },
    { step: 44, timeSignature: [4, 4] },
  ]);
  assert.equal(g.tempos, undefined); // one tempo: no map
  const s = summarizePiece(p);
  assert.equal(s.timeSignatureChanges, 2);
});

test('pitch bends, controllers, aftertouch, a later program change and a lyric: counted in the warnings', () => {
  const { name, bytes } = pitchBends();
  const p = parseMidi(bytes, name);
  assert.deepEqual(notesOf(p), [
    [0, 64, 0, 1010],
    [0, 67, 1105, 480],
  ]);
  assert.equal(p.tracks[0].program, 80);
  assert.deepEqual(p.ignored, {
    pitchBends: 102,
    controllers: { 1: 20, 7: 3 },
    channelPressure: 4,
    polyPressure: 0,
    programChanges: 1,
    sysex: 0,
    textEvents: 1,
    strayNoteOffs: 0,
  });
  assert.deepEqual(p.warnings, [
    '102 pitch bends ignored (notes keep their written pitch)',
    '23 controller events ignored (CC1 modulation ×20, CC7 volume ×3)',
    '4 aftertouch events ignored',
    "1 program change after a part's first note ignored (each part keeps its first instrument)",
    '1 text event (lyrics, markers, comments) ignored',
  ]);
});

test('a drums-only file imports, and says why it gives nothing to train on', () => {
  const { name, bytes } = drumsOnly();
  const p = parseMidi(bytes, name);
  assert.equal(p.format, 0);
  assert.equal(p.tracks.length, 1);
  assert.equal(p.tracks[0].isDrum, true);
  assert.deepEqual(notesOf(p).slice(0, 4), [
    [9, 36, 0, 120],
    [9, 42, 0, 120],
    [9, 38, 480, 120],
    [9, 42, 480, 120],
  ]);
  assert.deepEqual(p.warnings, ['16 notes on the drum channel (10): not used for training unless selected']);
  const { piece: g, report } = quantizePiece(p);
  assert.equal(g.notes.length, 0);
  assert.equal(
    untrainableReason(p, [], report, g.notes.length),
    'nothing to train on: all 16 note(s) are on the drum channel (10), which is not used for training (drum hits have no pitch)',
  );
  const withDrums = quantizePiece(p, { includeDrums: true });
  assert.equal(untrainableReason(p, [0], withDrums.report, withDrums.piece.notes.length), null);
});

test('a file with no notes says what it had instead', () => {
  const { bytes } = pitchBends();
  // Keep the conductor track only: header says 1 track.
  const conductorOnly = bytes.slice(0, 14 + 8 + 11); // MThd, then MTrk with a tempo and the end
  conductorOnly[11] = 1;
  assert.throws(
    () => parseMidi(conductorOnly, 'empty.mid'),
    /no notes: the file has no note events \(only 1 tempo event\(s\)\)/,
  );
});
