import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../common/rng.js';
import { filteredDistribution, sampleToken } from './sampler.js';

const base = { greedy: false, topK: 0, topP: 1 };

test('greedy: all the mass on the likeliest allowed token, lowest id on ties', () => {
  const greedy = filteredDistribution([0.1, 0.6, 0.3], 0, 3, { ...base, greedy: true });
  assert.deepEqual(Array.from(greedy.tokens), [1]);
  assert.deepEqual(Array.from(greedy.probs), [1]);
  const tie = filteredDistribution([0.4, 0.2, 0.4], 0, 3, { ...base, greedy: true });
  assert.deepEqual(Array.from(tie.tokens), [0]);
  const masked = filteredDistribution([0.1, 0.6, 0.3], 0, 3, { ...base, greedy: true }, [1, 0, 1]);
  assert.deepEqual(Array.from(masked.tokens), [2]);
  const plain = filteredDistribution([0.1, 0.6, 0.3], 0, 3, base);
  assert.deepEqual(Array.from(plain.tokens), [1, 2, 0]);
});

test('top-k keeps the k most likely, top-p the smallest nucleus', () => {
  const p = [0.1, 0.4, 0.05, 0.25, 0.2];
  const k2 = filteredDistribution(p, 0, 5, { ...base, topK: 2 });
  assert.deepEqual(Array.from(k2.tokens), [1, 3]);
  assert.ok(Math.abs(k2.probs[0] - 0.4 / 0.65) < 1e-12);
  const p6 = filteredDistribution(p, 0, 5, { ...base, topP: 0.6 });
  assert.deepEqual(Array.from(p6.tokens), [1, 3]); // 0.4 < 0.6 <= 0.65
  const p66 = filteredDistribution(p, 0, 5, { ...base, topP: 0.66 });
  assert.deepEqual(Array.from(p66.tokens), [1, 3, 4]);
  const both = filteredDistribution(p, 0, 5, { ...base, topK: 3, topP: 0.5 });
  // nucleus inside the top-3 mass 0.85: 0.4 < 0.425 -> two tokens
  assert.deepEqual(Array.from(both.tokens), [1, 3]);
});

test('mask forbids tokens; all-zero allowed mass falls back to uniform; empty mask throws', () => {
  const p = [0.9, 0.1, 0, 0];
  const m = filteredDistribution(p, 0, 4, base, [0, 1, 1, 0]);
  assert.deepEqual(Array.from(m.tokens), [1]);
  const u = filteredDistribution(p, 0, 4, base, [0, 0, 1, 1]);
  assert.deepEqual(Array.from(u.tokens), [2, 3]);
  assert.deepEqual(Array.from(u.probs), [0.5, 0.5]);
  assert.throws(() => filteredDistribution(p, 0, 4, base, [0, 0, 0, 0]), /No token is allowed/);
  // offset reads the right row
  const rows = [0, 0, 1, 0, 1, 0];
  assert.deepEqual(Array.from(filteredDistribution(rows, 3, 3, base).tokens), [1]);
});

test('sampleToken follows the distribution and is reproducible', () => {
  const p = [0.2, 0.5, 0.3];
  const r = new Rng(3);
  const counts = [0, 0, 0];
  for (let i = 0; i < 6000; i++) counts[sampleToken(p, 0, 3, base, r)]++;
  assert.ok(Math.abs(counts[0] / 6000 - 0.2) < 0.03);
  assert.ok(Math.abs(counts[1] / 6000 - 0.5) < 0.03);
  const a = new Rng(9);
  const b = new Rng(9);
  const sa = Array.from({ length: 30 }, () => sampleToken(p, 0, 3, { ...base, topP: 0.9 }, a));
  const sb = Array.from({ length: 30 }, () => sampleToken(p, 0, 3, { ...base, topP: 0.9 }, b));
  assert.deepEqual(sa, sb);
  const never = Array.from({ length: 200 }, () => sampleToken(p, 0, 3, { ...base, topK: 1 }, a));
  assert.ok(never.every((t) => t === 1));
});
