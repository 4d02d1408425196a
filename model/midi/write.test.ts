import { test } from 'node:test';
import { Midi } from '@tonejs/midi';
import assert from 'node:assert/strict';
import type { GridPiece } from '../common/types.js';
import { gridPieceToMidi, midiPieceToBytes, WRITE_PPQ } from './write.js';
import { parseMidi } from './parse.js';
import { quantizePiece } from './quantize.js';

const grid: GridPiece = {
  name: 'Generated',
  stepsPerQuarter: 4,
  bpm: 96,
  timeSignature: [6, 8],
  lengthSteps: 16,
  notes: [
    { pitch: 48, start: 0, duration: 8, velocity: 70, track: 1 },
    { pitch: 60, start: 0, duration: 2, velocity: 100, track: 0 },
    { pitch: 64, start: 2, duration: 14, velocity: 101, track: 0 },
  ],
};

test('gridPieceToMidi: format 1, PPQ 480, tempo, meter, name, program, velocities', () => {
  const bytes = gridPieceToMidi(grid, { trackName: 'Lead', program: 81 });
  assert.equal(String.fromCharCode(...bytes.subarray(0, 4)), 'MThd');
  assert.equal(bytes[9], 1, 'format 1');
  assert.equal((bytes[12] << 8) | bytes[13], WRITE_PPQ);
  const p = parseMidi(bytes, 'out.mid');
  assert.deepEqual(p.tempos, [{ tick: 0, bpm: 96 }]);
  assert.deepEqual(p.timeSignatures, [{ tick: 0, numerator: 6, denominator: 8 }]);
  assert.equal(p.tracks.length, 1);
  assert.equal(p.tracks[0].name, 'Lead');
  assert.equal(p.tracks[0].program, 81);
  assert.deepEqual(
    p.tracks[0].notes.map((n) => [n.pitch, n.startTick, n.durationTicks, n.velocity]),
    [
      [48, 0, 960, 70],
      [60, 0, 240, 100],
      [64, 240, 1680, 101],
    ],
  );
  const back = quantizePiece(p).piece;
  assert.deepEqual(
    back.notes.map((n) => [n.pitch, n.start, n.duration]),
    grid.notes.map((n) => [n.pitch, n.start, n.duration]),
  );
});

test('gridPieceToMidi: fixed velocity, one track per source track, an empty piece', () => {
  const p = parseMidi(gridPieceToMidi(grid, { velocity: 64, splitByTrack: true }), 'out.mid');
  assert.equal(p.tracks.length, 2);
  assert.deepEqual(
    p.tracks.map((t) => t.notes.map((n) => n.velocity)),
    [[100, 101].map(() => 64), [64]],
  );
  assert.notEqual(p.tracks[0].channel, p.tracks[1].channel);
  const empty = gridPieceToMidi({ ...grid, notes: [] });
  assert.throws(() => parseMidi(empty, 'empty.mid'), /no notes/);
});

test('midiPieceToBytes: PPQ, tempo map, minor key and drums survive', () => {
  const piece = parseMidi(gridPieceToMidi(grid), 'x.mid');
  piece.ppq = 480;
  piece.tempos = [
    { tick: 0, bpm: 72 },
    { tick: 960, bpm: 144 },
  ];
  piece.keySignatures = [
    { tick: 0, key: 'F#', scale: 'minor' },
    { tick: 960, key: 'Eb', scale: 'major' },
  ];
  piece.tracks.push({
    ...piece.tracks[0],
    index: 1,
    name: 'Kit',
    channel: 9,
    isDrum: true,
    instrument: 'drums',
  });
  const again = parseMidi(midiPieceToBytes(piece), 'y.mid');
  assert.deepEqual(again.tempos, piece.tempos);
  assert.deepEqual(again.keySignatures, piece.keySignatures);
  assert.equal(again.tracks[1].isDrum, true);
  assert.equal(again.tracks[1].name, 'Kit');
});

test('gridPieceToMidi: the note track is not named like the conductor track (the piece)', () => {
  for (const opts of [{}, { splitByTrack: true }]) {
    const midi = new Midi(gridPieceToMidi(grid, opts));
    const names = [midi.name, ...midi.tracks.map((t) => t.name)];
    assert.equal(new Set(names).size, names.length, names.join(' | '));
    assert.ok(midi.tracks.every((t) => t.name.startsWith(grid.name)));
  }
});
