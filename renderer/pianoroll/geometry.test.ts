import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  gridLines,
  isBlackKey,
  makeLayout,
  noteVisible,
  onRuler,
  yToPitch,
  noteRect,
  pitchName,
  pitchRange,
  pitchToY,
  rowHeight,
  timeToX,
  xToTime,
} from './geometry.js';

const note = (pitch: number, time: number, duration = 0.5) => ({ pitch, time, duration, velocity: 0.8 });

test('pitch names and black keys', () => {
  assert.equal(pitchName(60), 'C4');
  assert.equal(pitchName(61), 'C#4');
  assert.equal(pitchName(21), 'A0');
  assert.equal(pitchName(108), 'C8');
  assert.equal(isBlackKey(61), true);
  assert.equal(isBlackKey(64), false);
});

test('pitchRange pads, keeps a minimum span and stays in 0..127', () => {
  assert.deepEqual(pitchRange([note(60, 0), note(72, 1)], 12, 2), { low: 58, high: 74 });
  const r = pitchRange([note(64, 0)], 24, 2);
  assert.equal(r.high - r.low + 1, 24);
  assert.ok(r.low <= 62 && r.high >= 66);
  const lowEdge = pitchRange([note(1, 0)], 24, 2);
  assert.equal(lowEdge.low, 0);
  assert.equal(lowEdge.high - lowEdge.low + 1, 24);
  const highEdge = pitchRange([note(127, 0)], 24, 2);
  assert.equal(highEdge.high, 127);
  assert.equal(highEdge.high - highEdge.low + 1, 24);
  assert.equal(pitchRange([], 24).high - pitchRange([], 24).low + 1, 24);
});

test('time to x and back', () => {
  const layout = makeLayout([note(60, 0)], 8, 844, 400, 44, 20);
  assert.equal(timeToX(layout, 0), 44);
  assert.equal(timeToX(layout, 8), 844);
  assert.equal(timeToX(layout, 4), 444);
  for (const t of [0, 0.3, 2.5, 7.99]) assert.ok(Math.abs(xToTime(layout, timeToX(layout, t)) - t) < 1e-9);
  assert.equal(xToTime(layout, 0), 0); // on the labels
  assert.equal(xToTime(layout, 2000), 8); // past the end
});

test('pitch rows: higher pitch is higher up, rows tile the plot', () => {
  const layout = makeLayout([note(60, 0), note(71, 1)], 4, 500, 220, 40, 20);
  const h = rowHeight(layout);
  assert.ok(Math.abs(h * (layout.high - layout.low + 1) - 200) < 1e-9);
  assert.ok(pitchToY(layout, 71) < pitchToY(layout, 60));
  assert.equal(pitchToY(layout, layout.high), 20);
  const r = noteRect(layout, note(60, 1, 1));
  assert.equal(r.x, timeToX(layout, 1));
  assert.ok(Math.abs(r.w - (timeToX(layout, 2) - timeToX(layout, 1))) < 1e-9);
  assert.equal(r.h, h);
});

test('grid lines in 4/4 and 6/8', () => {
  const l = gridLines(120, [4, 4], 4); // 2 bars of 2 s
  assert.equal(l.length, 9);
  assert.deepEqual(
    l.filter((x) => x.kind === 'bar').map((x) => [x.time, x.bar]),
    [
      [0, 1],
      [2, 2],
      [4, 3],
    ],
  );
  assert.equal(l[1]!.time, 0.5);
  // A meter map: 3/4 from 0 (bars of 1.5 s), 2/4 from 2 s (interrupting the second bar), at 120 bpm.
  const mapped = gridLines(120, [3, 4], 4, [
    { time: 0, timeSignature: [3, 4] },
    { time: 2, timeSignature: [2, 4] },
  ]);
  assert.deepEqual(
    mapped.filter((x) => x.kind === 'bar').map((x) => [x.time, x.bar]),
    [
      [0, 1],
      [1.5, 2],
      [2, 3],
      [3, 4],
      [4, 5],
    ],
  );
  assert.deepEqual(
    mapped.map((x) => x.time),
    [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4],
  );
  assert.deepEqual(gridLines(120, [4, 4], 4, []), l); // an empty map: the one time signature
  const six = gridLines(120, [6, 8], 3); // eighth = 0.25 s, bar = 1.5 s
  assert.deepEqual(
    six.filter((x) => x.kind === 'bar').map((x) => x.time),
    [0, 1.5, 3],
  );
  assert.equal(six[1]!.time, 0.25);
  assert.deepEqual(gridLines(0, [4, 4], 4), []);
});

test('a viewport maps its window onto the plot; yToPitch inverts pitchToY', () => {
  const notes = [note(60, 0), note(72, 3.5)];
  const l = makeLayout(notes, 4, 444, 218, 44, 18, { start: 1, span: 2, low: 60, high: 69 });
  assert.equal(timeToX(l, 1), 44);
  assert.equal(timeToX(l, 3), 444);
  assert.equal(xToTime(l, 244), 2);
  assert.equal(xToTime(l, 0), 1);
  assert.equal(rowHeight(l), 20);
  assert.equal(pitchToY(l, 69), 18);
  for (const p of [60, 64, 69]) assert.equal(yToPitch(l, pitchToY(l, p) + 5), p);
  assert.ok(onRuler(l, 5) && !onRuler(l, 30));
  assert.ok(noteVisible(l, note(60, 0.8)));
  assert.ok(!noteVisible(l, note(72, 2)));
  assert.ok(!noteVisible(l, note(60, 3.2)));
});

test('hit testing: the note under the pointer, its right edge, and a box as ranges', async () => {
  const { hitNote, boxRange } = await import('./hit-test.js');
  const notes = [note(60, 0, 1), note(60, 0.5, 1), note(62, 2, 0.5)];
  // 4 s over 400 px of plot: 100 px per second; pitches 58..65 over 80 px: 10 px a row
  const layout = makeLayout(notes, 4, 444, 98, 44, 18, { start: 0, span: 4, low: 58, high: 65 });
  const y60 = pitchToY(layout, 60) + 5;
  assert.deepEqual(hitNote(layout, notes, 44 + 20, y60), { index: 0, part: 'body' });
  assert.deepEqual(
    hitNote(layout, notes, 44 + 60, y60),
    { index: 1, part: 'body' },
    'the later note is on top',
  );
  assert.deepEqual(hitNote(layout, notes, 44 + 148, y60), { index: 1, part: 'end' });
  assert.equal(hitNote(layout, notes, 44 + 170, y60), null);
  assert.equal(hitNote(layout, notes, 44 + 20, pitchToY(layout, 61) + 5), null);
  assert.equal(hitNote(layout, notes, 44 + 20, 5), null, 'the ruler is never a note');
  assert.deepEqual(
    boxRange(layout, { x: 244, y: pitchToY(layout, 60) + 2 }, { x: 144, y: pitchToY(layout, 63) + 2 }),
    {
      t0: 1,
      t1: 2,
      p0: 60,
      p1: 63,
    },
  );
});
