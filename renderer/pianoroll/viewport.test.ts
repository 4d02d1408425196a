import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  clampViewport,
  fitViewport,
  followTime,
  MIN_ROWS,
  MIN_SPAN,
  scrollPitch,
  scrollTime,
  zoomPitch,
  zoomTime,
} from './viewport.js';

const note = (pitch: number, time: number) => ({ pitch, time, duration: 0.5, velocity: 0.8 });
const vp = { start: 0, span: 16, low: 48, high: 71 };

test('fit shows the whole piece and its pitch range', () => {
  const f = fitViewport([note(60, 0), note(72, 7)], 8);
  assert.equal(f.start, 0);
  assert.equal(f.span, 8);
  assert.ok(f.low <= 58 && f.high >= 74);
});

test('zoomTime keeps the anchor on screen where it was and stays inside the piece', () => {
  const z = zoomTime(vp, 2, 4, 16);
  assert.equal(z.span, 8);
  // the anchor was a quarter of the way across; it still is
  assert.equal((4 - z.start) / z.span, 0.25);
  const out = zoomTime(z, 0.1, 4, 16);
  assert.deepEqual([out.start, out.span], [0, 16]);
  const deep = zoomTime(vp, 1e6, 15.9, 16);
  assert.equal(deep.span, MIN_SPAN);
  assert.ok(deep.start + deep.span <= 16 + 1e-9);
});

test('scrollTime stops at both ends', () => {
  const z = zoomTime(vp, 4, 0, 16); // 4 s window at 0
  assert.equal(scrollTime(z, -3, 16).start, 0);
  assert.equal(scrollTime(z, 5, 16).start, 5);
  assert.equal(scrollTime(z, 100, 16).start, 12);
});

test('zoomPitch changes the rows around the anchor, at least one row a step, within 0..127', () => {
  const z = zoomPitch(vp, 2, 60);
  assert.equal(z.high - z.low + 1, 12);
  assert.ok(z.low <= 60 && z.high >= 60);
  const small = zoomPitch(vp, 1.01, 60);
  assert.equal(small.high - small.low + 1, 23);
  assert.equal(zoomPitch(vp, 100, 60).high - zoomPitch(vp, 100, 60).low + 1, MIN_ROWS);
  const all = zoomPitch(vp, 0.01, 60);
  assert.deepEqual([all.low, all.high], [0, 127]);
});

test('scrollPitch moves the rows and stops at 0 and 127', () => {
  assert.deepEqual(scrollPitch(vp, 5), { ...vp, low: 53, high: 76 });
  assert.deepEqual(scrollPitch(vp, 500), { ...vp, low: 104, high: 127 });
  assert.deepEqual(scrollPitch(vp, -500), { ...vp, low: 0, high: 23 });
});

test('clampViewport repairs an impossible window', () => {
  const c = clampViewport({ start: -3, span: 100, low: -10, high: 200 }, 10);
  assert.deepEqual(c, { start: 0, span: 10, low: 0, high: 127 });
});

test('followTime pages to a time outside the window and leaves one inside alone', () => {
  const z = { ...vp, start: 4, span: 4 };
  assert.equal(followTime(z, 6, 16), z);
  const next = followTime(z, 9, 16);
  assert.ok(next.start <= 9 && 9 <= next.start + next.span);
  const back = followTime(z, 1, 16);
  assert.ok(back.start <= 1 && 1 <= back.start + back.span);
});
