import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve, basename } from 'node:path';
import { nottinghamSplit, splitFileNames } from './music-split.js';

test('splitFileNames: sorted, every 10th held out, non-MIDI ignored', () => {
  const names = Array.from({ length: 25 }, (_, i) => `t${String(i).padStart(2, '0')}.mid`).reverse();
  const s = splitFileNames([...names, 'LICENSE.md']);
  assert.deepEqual(s.heldOut, ['t09.mid', 't19.mid']);
  assert.equal(s.train.length, 23);
  assert.ok(!s.train.includes('LICENSE.md'));
  assert.equal(s.train[0], 't00.mid');
});

test('nottinghamSplit on the real folder: 931 / 103, disjoint', () => {
  const s = nottinghamSplit(resolve(__dirname, '..'));
  assert.equal(s.train.length, 931);
  assert.equal(s.heldOut.length, 103);
  const train = new Set(s.train.map((p) => basename(p)));
  assert.ok(s.heldOut.every((p) => !train.has(basename(p))));
  assert.equal(basename(s.heldOut[0]), 'ashover18.mid');
});
