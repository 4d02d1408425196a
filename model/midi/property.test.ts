/**
 * Property tests of the importer on random files: the reader agrees with @tonejs/midi on random valid
 * files (any PPQ, format 0 or 1, several channels, running status, overlapping notes of one pitch,
 * note-on velocity 0 as note-off), and quantizePiece accounts for every note and is a fixed point of
 * writing its result back to MIDI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Midi } from '@tonejs/midi';
import { parseMidi } from './parse.js';
import { quantizePiece } from './quantize.js';
import { gridPieceToMidi } from './write.js';
import { smf, track, ev, vlq } from './smf-builder.js';
import type { RawEvent } from './smf-builder.js';
import type { GridName } from '../common/types.js';

interface RandNote {
  ch: number;
  pitch: number;
  start: number;
  dur: number;
  vel: number;
}

const noteArb = fc.record({
  ch: fc.constantFrom(0, 1, 9),
  pitch: fc.integer({ min: 0, max: 127 }),
  start: fc.integer({ min: 0, max: 5000 }),
  dur: fc.integer({ min: 0, max: 3000 }),
  vel: fc.integer({ min: 1, max: 127 }),
});

/**
 * Events of a track from notes: absolute times to deltas; at one tick, note-offs come before note-ons
 * (a note ending where the next starts), except a zero-length note's own off, which follows its on.
 */
function trackEvents(notes: RandNote[], useRunning: boolean, zeroVelOff: boolean): number[] {
  const evs: { t: number; order: number; bytes: number[] }[] = [];
  notes.forEach((n, i) => {
    evs.push({ t: n.start, order: 1 + i * 2, bytes: [0x90 | n.ch, n.pitch, n.vel] });
    const off = zeroVelOff ? [0x90 | n.ch, n.pitch, 0] : [0x80 | n.ch, n.pitch, 64];
    evs.push({ t: n.start + n.dur, order: n.dur === 0 ? 2 + i * 2 : 0, bytes: off });
  });
  evs.sort((a, b) => a.t - b.t || a.order - b.order);
  const raw: RawEvent[] = [ev.name(0, 'Random')];
  let last = 0;
  let status = -1;
  for (const e of evs) {
    const [s, ...data] = e.bytes;
    raw.push(useRunning && s === status ? [e.t - last, ...data] : [e.t - last, s, ...data]);
    status = s;
    last = e.t;
  }
  return track(raw);
}

test('property: the reader agrees with @tonejs/midi on random valid files', () => {
  fc.assert(
    fc.property(
      fc.array(noteArb, { minLength: 1, maxLength: 60 }),
      fc.constantFrom(24, 96, 480, 1024, 960),
      fc.boolean(),
      fc.boolean(),
      fc.boolean(),
      (notes, ppq, format0, running, zeroVel) => {
        const bytes = format0
          ? smf(0, ppq, [trackEvents(notes, running, zeroVel)])
          : smf(1, ppq, [track([ev.tempo(0, 100)]), trackEvents(notes, running, zeroVel)]);
        const mine = parseMidi(bytes, 'random.mid');
        const ref = new Midi(bytes).tracks.filter((t) => t.notes.length);
        const key = (ch: number, p: number, s: number, d: number, v: number) => `${ch}/${p}/${s}/${d}/${v}`;
        const a = mine.tracks.flatMap((t) =>
          t.notes.map((n) => key(t.channel, n.pitch, n.startTick, n.durationTicks, n.velocity)),
        );
        const b = ref.flatMap((t) =>
          t.notes.map((n) => key(t.channel, n.midi, n.ticks, n.durationTicks, Math.round(n.velocity * 127))),
        );
        assert.deepEqual(a.sort(), b.sort());
        assert.equal(mine.tracks.length, ref.length);
        for (const t of mine.tracks) assert.equal(t.isDrum, t.channel === 9);
      },
    ),
    { numRuns: 150, seed: 5 },
  );
});

test('property: quantize accounts for every note, and writing its result back is a fixed point', () => {
  fc.assert(
    fc.property(
      fc.array(noteArb, { minLength: 1, maxLength: 80 }),
      fc.constantFrom<GridName>('8th', '16th', '32nd', '8th-triplet', '16th-triplet'),
      fc.integer({ min: 1, max: 8 }),
      fc.integer({ min: 1, max: 40 }),
      (notes, grid, maxPolyphony, maxDurationSteps) => {
        const bytes = smf(1, 480, [trackEvents(notes, false, false)]);
        const piece = parseMidi(bytes, 'random.mid');
        const opts = { grid, maxPolyphony, maxDurationSteps, includeDrums: true };
        const { piece: g, report } = quantizePiece(piece, opts);
        assert.equal(report.notes, notes.length);
        assert.equal(
          report.notes - report.droppedOutOfRange - report.mergedDuplicates - report.droppedOverPolyphony,
          g.notes.length,
        );
        const perStep = new Map<number, number>();
        const endOf = new Map<number, number>();
        for (const n of g.notes) {
          assert.ok(n.pitch >= 21 && n.pitch <= 108 && n.duration >= 1 && n.duration <= maxDurationSteps);
          perStep.set(n.start, (perStep.get(n.start) ?? 0) + 1);
          assert.ok((endOf.get(n.pitch) ?? -1) <= n.start, 'no overlapping notes of one pitch');
          endOf.set(n.pitch, n.start + n.duration);
        }
        for (const c of perStep.values()) assert.ok(c <= maxPolyphony);
        if (!g.notes.length) return;
        const again = quantizePiece(parseMidi(gridPieceToMidi(g), 'again.mid'), opts);
        assert.deepEqual(
          again.piece.notes.map((n) => [n.pitch, n.start, n.duration]),
          g.notes.map((n) => [n.pitch, n.start, n.duration]),
        );
        assert.equal(again.report.moved, 0);
      },
    ),
    { numRuns: 150, seed: 9 },
  );
});

test('vlq matches the MIDI examples', () => {
  assert.deepEqual(vlq(0), [0]);
  assert.deepEqual(vlq(0x7f), [0x7f]);
  assert.deepEqual(vlq(0x80), [0x81, 0x00]);
  assert.deepEqual(vlq(0x0fffffff), [0xff, 0xff, 0xff, 0x7f]);
});
