import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GeneratedPiece } from '../../main/shared/api.js';
import {
  addNote,
  deleteNotes,
  gridStep,
  moveNotes,
  notesInBox,
  resizeNotes,
  selectAll,
  setVelocity,
  snap,
  snapDown,
  snappedOffset,
  toggleSelected,
  withNotes,
} from './note-ops.js';
import { continuePrimer } from './primer.js';

const note = (pitch: number, time: number, duration = 0.5, velocity = 0.8) => ({
  pitch,
  time,
  duration,
  velocity,
});
const notes = [note(60, 0), note(64, 0.5), note(67, 1, 1)];
const frozen = JSON.stringify(notes);

function piece(over: Partial<GeneratedPiece> = {}): GeneratedPiece {
  return {
    id: 'p-1',
    name: 'x',
    seed: 1,
    bpm: 120,
    timeSignature: [4, 4],
    bars: 1,
    durationSeconds: 2,
    notes,
    primerNotes: 0,
    ...over,
  };
}

test('grid: a 16th of the tempo; snapping to the nearest line, down, and a drag offset', () => {
  assert.equal(gridStep({ bpm: 120 }), 0.125);
  assert.equal(snap(0.3, 0.125), 0.25);
  assert.equal(snap(-0.3, 0.125), 0);
  assert.equal(snapDown(0.37, 0.125), 0.25);
  assert.equal(snapDown(0.375, 0.125), 0.375);
  // a note at 0.1 (off the grid) dragged by 0.2 lands on 0.25
  assert.ok(Math.abs(snappedOffset(0.1, 0.2, 0.125) - 0.15) < 1e-12);
});

test('move: the selection only, by time and pitch, kept at 0 and in 0..127 as a group', () => {
  const moved = moveNotes(notes, [1, 2], 0.25, 2);
  assert.deepEqual(moved, [note(60, 0), note(66, 0.75), note(69, 1.25, 1)]);
  assert.equal(JSON.stringify(notes), frozen, 'inputs unchanged');
  assert.equal(moved[0], notes[0], 'untouched notes are the same objects');
  assert.deepEqual(moveNotes(notes, [1, 2], -5, 0), [note(60, 0), note(64, 0), note(67, 0.5, 1)]);
  assert.deepEqual(moveNotes(notes, [2], 0, 100)[2], note(127, 1, 1));
  assert.deepEqual(
    moveNotes(notes, [0, 2], 0, -70).map((n) => n.pitch),
    [0, 64, 7],
  );
});

test('resize: longer or shorter, never under the minimum; velocity clamped to 0..1', () => {
  assert.deepEqual(resizeNotes(notes, [0], 0.25, 0.125)[0], note(60, 0, 0.75));
  assert.deepEqual(
    resizeNotes(notes, [0, 2], -2, 0.125).map((n) => n.duration),
    [0.125, 0.5, 0.125],
  );
  assert.deepEqual(
    setVelocity(notes, [1], 0.3).map((n) => n.velocity),
    [0.8, 0.3, 0.8],
  );
  assert.equal(setVelocity(notes, [1], 2)[1]!.velocity, 1);
});

test('delete keeps the primer count right; draw appends; select all, box, toggle', () => {
  assert.deepEqual(deleteNotes(notes, [0, 2], 2), { notes: [note(64, 0.5)], primerNotes: 1 });
  const added = addNote(notes, note(72, 2));
  assert.equal(added.index, 3);
  assert.deepEqual(added.notes.at(-1), note(72, 2));
  assert.deepEqual(selectAll(notes), [0, 1, 2]);
  assert.deepEqual(notesInBox(notes, { t0: 0.6, t1: 0.4, p0: 70, p1: 62 }), [1]);
  assert.deepEqual(notesInBox(notes, { t0: 0, t1: 2, p0: 0, p1: 127 }), [0, 1, 2]);
  assert.deepEqual(toggleSelected([0, 2], 1), [0, 1, 2]);
  assert.deepEqual(toggleSelected([0, 1, 2], 1), [0, 2]);
});

test('withNotes: a new piece object whose length covers every note', () => {
  const p = piece();
  const q = withNotes(p, addNote(notes, note(60, 3, 1)).notes);
  assert.notEqual(q, p);
  assert.equal(q.durationSeconds, 4);
  assert.equal(p.notes.length, 3);
  assert.equal(withNotes(p, [note(60, 0)]).durationSeconds, 2, 'never shorter than it was');
});

test('continue primer: the selection from its bar, or the loop region, shifted to 0', () => {
  const p = piece({ notes: [note(60, 0), note(62, 2.5), note(64, 3, 1.5), note(65, 4.5)] });
  const fromSel = continuePrimer(p, [1, 2], null)!;
  assert.deepEqual(fromSel, {
    kind: 'notes',
    notes: [note(62, 0.5), note(64, 1, 1.5)],
    bpm: 120,
    timeSignature: [4, 4],
    bars: 2,
  });
  const fromRegion = continuePrimer(p, [], { start: 2, end: 4 })!;
  assert.deepEqual(fromRegion.notes, [note(62, 0.5), note(64, 1, 1)], 'clipped at the region end');
  assert.equal(fromRegion.bars, 1);
  assert.equal(continuePrimer(p, [], null), null);
  assert.equal(continuePrimer(p, [], { start: 6, end: 8 }), null);
});
