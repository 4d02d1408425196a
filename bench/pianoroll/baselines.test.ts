import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { baselineNll, fitBernoulli, fitMarkov } from './baselines.js';
import { loadPianoRoll, standardDatasetPath } from './data.js';

const repoRoot = resolve(__dirname, '../..');

test('Bernoulli on a toy set: closed form', () => {
  // 4 frames, key 60 on in 2 of them: p = (2 + 0.5) / (4 + 1) = 0.5; every other key p = 0.5/5 = 0.1.
  const train = [[[60], [], [60], []]];
  const m = fitBernoulli(train);
  const r = baselineNll(m, [[[], [60, 62]]]);
  assert.equal(r.frames, 1);
  const expected = -Math.log(0.5) - Math.log(0.1) - 86 * Math.log(0.9);
  assert.ok(Math.abs(r.nll - expected) < 1e-9, `${r.nll} vs ${expected}`);
});

test('Markov on a toy set: closed form', () => {
  // Key 60 in [on, off, on, off]: on->off twice, off->on once.
  const m = fitMarkov([[[60], [], [60], []]]);
  // P(60 on | was on) = (0 + .5) / (2 + 1) = 1/6 ; P(60 on | was off) = (1 + .5) / (1 + 1) = .75
  const r = baselineNll(m, [[[60], [60]]]);
  assert.equal(r.frames, 1);
  const others = 87 * -Math.log(1 - 0.5 / 4); // other keys: off->off 3 times: P(on|off) = .5/4
  const expected = -Math.log(1 / 6) + others;
  assert.ok(Math.abs(m.pOn[(60 - 21) * 2] - 0.75) < 1e-12);
  assert.ok(Math.abs(r.nll - expected) < 1e-9, `${r.nll} vs ${expected}`);
});

// The references printed in ../shared/data/README.md, reproduced from the real files. The README's
// Bernoulli figures average over all frames 1..T; over frames 2..T (the metric) they are 11.09 / 10.26.
for (const [name, bern, markov] of [
  ['jsb-chorales', 11.06, 10.49],
  ['nottingham', 10.25, 5.15],
] as const) {
  test(`${name}: README references (Bernoulli ${bern}, Markov ${markov})`, () => {
    const d = loadPianoRoll(standardDatasetPath(repoRoot, name));
    const b = baselineNll(fitBernoulli(d.train), d.test, 0);
    assert.ok(Math.abs(b.nll - bern) < 0.005, `Bernoulli all frames ${b.nll}`);
    const b2 = baselineNll(fitBernoulli(d.train), d.test);
    assert.ok(b2.nll > b.nll && b2.nll - b.nll < 0.05, `Bernoulli frames 2..T ${b2.nll}`);
    const m = baselineNll(fitMarkov(d.train), d.test);
    assert.ok(Math.abs(m.nll - markov) < 0.005, `Markov ${m.nll}`);
  });
}
