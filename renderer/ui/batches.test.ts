import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batches } from './batches.js';

test('batches split by size and never drop a file', () => {
  const f = (n: number) => ({ data: new Uint8Array(n) });
  const b = batches([f(5), f(5), f(5), f(20), f(1)], 10);
  assert.deepEqual(
    b.map((x) => x.map((y) => y.data.length)),
    [[5, 5], [5], [20], [1]],
  );
  assert.deepEqual(batches([], 10), []);
  assert.deepEqual(
    batches([f(1), f(1), f(1), f(1), f(1)], 100, 2).map((x) => x.length),
    [2, 2, 1],
  );
});
