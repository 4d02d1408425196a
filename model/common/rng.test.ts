import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, normalizeSeed } from './rng.js';

test('Rng: same seed same stream, state round trip, different seeds differ', () => {
  const a = new Rng(42);
  const b = new Rng(42);
  const xs = Array.from({ length: 20 }, () => a.nextUint32());
  assert.deepEqual(
    xs,
    Array.from({ length: 20 }, () => b.nextUint32()),
  );
  const c = Rng.fromState(a.state);
  assert.equal(c.next(), a.next());
  const d = new Rng(43);
  assert.notDeepEqual(
    Array.from({ length: 5 }, () => d.nextUint32()),
    xs.slice(0, 5),
  );
  // First value of mulberry32(1), computed independently in Python: pins the algorithm.
  assert.equal(new Rng(1).nextUint32(), 2693262067);
  assert.notEqual(normalizeSeed(1), normalizeSeed(4294967297));
  assert.throws(() => new Rng(NaN), /finite/);
});

test('Rng: uniform-ish ints and shuffle is a permutation', () => {
  const r = new Rng(7);
  const counts = new Array(4).fill(0);
  for (let i = 0; i < 4000; i++) counts[r.int(4)]++;
  for (const c of counts) assert.ok(c > 850 && c < 1150, `count ${c}`);
  const arr = Array.from({ length: 50 }, (_, i) => i);
  const sh = r.shuffle(arr.slice());
  assert.notDeepEqual(sh, arr);
  assert.deepEqual(
    sh.slice().sort((x, y) => x - y),
    arr,
  );
});

test('Rng.forWeights: the stream the LSTM has always drawn its weights and dropout from', () => {
  // Values of the LSTM's own generator before the two were merged (model/lstm/weights.ts), so the
  // same seed keeps giving the same initial weights.
  const golden: [number, number, number, number, number][] = [
    [0, 0.3588899802416563, 0.10590326134115458, 0.7709155040814034, 1390764429],
    [5, 0.217193350661546, 0.9914532694965601, -0.03146297158035541, 1390764432],
    [1234567, 0.05352983204647899, 0.2693121356423944, -0.03798968577613903, 1389598482],
  ];
  for (const [seed, a, b, normal, state] of golden) {
    const r = Rng.forWeights(seed);
    assert.equal(r.next(), a);
    assert.equal(r.next(), b);
    assert.equal(r.normal(), normal);
    assert.equal(r.state, state);
  }
});

test('Rng: uint32At and skip reach any draw of the stream directly', () => {
  const start = Rng.forWeights(42).state;
  const seq = Rng.fromState(start);
  const draws = Array.from({ length: 1000 }, () => seq.nextUint32());
  for (const k of [0, 1, 2, 499, 999]) assert.equal(Rng.uint32At(start, k), draws[k]);
  const skipped = Rng.fromState(start);
  skipped.skip(700);
  assert.equal(skipped.nextUint32(), draws[700]);
  const far = Rng.fromState(start);
  far.skip(2_999_999_999); // more draws than an int32 holds
  const walk = Rng.fromState(start);
  for (const n of [1_000_000_000, 1_000_000_000, 999_999_999]) walk.skip(n);
  assert.equal(far.state, walk.state);
  assert.equal(Rng.uint32At(start, 2_999_999_999), far.nextUint32());
});
