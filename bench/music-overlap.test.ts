import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../model/common/rng.js';
import {
  distance,
  interSetDistances,
  intraInterOverlap,
  intraSetDistances,
  kdeDensity,
  overlapArea,
  scottBandwidth,
} from './music-overlap.js';

function normal(rng: Rng, n: number, mean: number, sd: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = 1 - rng.next();
    const v = rng.next();
    out.push(mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
  }
  return out;
}

test('scottBandwidth matches scipy (n^-1/5 * sd, ddof 1)', () => {
  // sd of [1,2,3,4] with ddof 1 = 1.2909944; 4^-0.2 = 0.7578583
  assert.ok(Math.abs(scottBandwidth([1, 2, 3, 4]) - 1.2909944 * 0.7578583) < 1e-6);
});

test('kdeDensity integrates to 1', () => {
  const grid = Float64Array.from({ length: 2001 }, (_, i) => -10 + i * 0.01);
  const f = kdeDensity([0, 1, 1.5], 0.5, grid);
  const area = f.reduce((s, v) => s + v, 0) * 0.01;
  assert.ok(Math.abs(area - 1) < 1e-6, `${area}`);
});

test('overlapArea: identical -> 1, disjoint -> 0, known Gaussian overlap', () => {
  const rng = new Rng(1);
  const a = normal(rng, 400, 0, 1);
  assert.ok(Math.abs(overlapArea(a, a) - 1) < 1e-6);
  assert.ok(
    overlapArea(
      a,
      a.map((x) => x + 100),
    ) < 1e-9,
  );
  // Constants: equal -> 1, different -> 0.
  assert.ok(Math.abs(overlapArea([3, 3, 3], [3, 3]) - 1) < 1e-6);
  assert.ok(overlapArea([3, 3, 3], [4, 4]) < 1e-9);
  // N(0,1) vs N(1,1): overlap = 2 * Phi(-1/2) = 0.6171. KDE widens both a little.
  const b = normal(new Rng(2), 4000, 1, 1);
  const c = normal(new Rng(3), 4000, 0, 1);
  const oa = overlapArea(c, b);
  assert.ok(Math.abs(oa - 0.6171) < 0.03, `${oa}`);
  // Symmetric.
  assert.ok(Math.abs(oa - overlapArea(b, c)) < 1e-9);
  assert.throws(() => overlapArea([], [1]), /at least one/);
  assert.throws(() => overlapArea([NaN], [1]), /non-finite/);
});

test('distances: scalar and Euclidean; intra pairs once, inter all pairs', () => {
  assert.equal(distance(3, 5), 2);
  assert.equal(distance([0, 0], [3, 4]), 5);
  assert.throws(() => distance([1], [1, 2]), /same length/);
  assert.deepEqual(intraSetDistances([0, 1, 3]), [1, 3, 2]);
  assert.deepEqual(interSetDistances([0, 1], [5]), [5, 4]);
});

test('intraInterOverlap: a generated set drawn like the real one overlaps far more than a shifted one', () => {
  const real = normal(new Rng(4), 100, 0, 1);
  const same = normal(new Rng(5), 100, 0, 1);
  const shifted = normal(new Rng(6), 100, 8, 1);
  const good = intraInterOverlap(real, same);
  const bad = intraInterOverlap(real, shifted);
  assert.ok(good > 0.9, `${good}`);
  assert.ok(bad < 0.1, `${bad}`);
  const vec = (x: number) => [x, 1 - x];
  assert.ok(intraInterOverlap(real.map(vec), same.map(vec)) > 0.9);
  assert.throws(() => intraInterOverlap([1], [1]), /at least 2/);
});
