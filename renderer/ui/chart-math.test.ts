import { test } from 'node:test';
import assert from 'node:assert/strict';
import { downsample, niceTicks, yExtent } from './chart-math.js';

test('niceTicks picks 1/2/5 steps inside the range', () => {
  assert.deepEqual(niceTicks(0, 10, 5), [0, 2, 4, 6, 8, 10]);
  assert.deepEqual(niceTicks(1.3, 4.1, 3), [2, 3, 4]);
  assert.deepEqual(niceTicks(0.12, 0.48, 4), [0.2, 0.3, 0.4]);
  const same = niceTicks(3, 3);
  assert.ok(same.length >= 2 && same.includes(3));
  assert.deepEqual(niceTicks(Number.NaN, 1), []);
});

test('yExtent pads and ignores non-finite values', () => {
  const [lo, hi] = yExtent([
    [{ y: 2 }, { y: 4 }],
    [{ y: Number.NaN }, { y: 3 }],
  ]);
  assert.ok(lo < 2 && lo >= 0 && hi > 4);
  assert.deepEqual(yExtent([]), [0, 1]);
});

test('downsample averages buckets and keeps short series', () => {
  const pts = Array.from({ length: 10 }, (_, i) => ({ x: i, y: i * 2 }));
  assert.equal(downsample(pts, 20), pts);
  const d = downsample(pts, 5);
  assert.equal(d.length, 5);
  assert.deepEqual(d[0], { x: 0.5, y: 1 });
  assert.deepEqual(d[4], { x: 8.5, y: 17 });
});
