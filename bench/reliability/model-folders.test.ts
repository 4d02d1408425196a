/**
 * Quick version of the damaged-model-folder check of `npm run stress`: every kind of damage in
 * bench/stress-model-folders.ts must end in a ModelFormatError naming the folder from loadModel, and
 * random field mutations of model.json must each load and generate or fail the same clean way.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkCliWithDamagedModels,
  checkModelBundles,
  checkModelFolders,
  DAMAGES,
} from '../stress-model-folders.js';

test('damaged model folders: a clear error naming the folder, never a crash', async (t) => {
  const r = await checkModelFolders({ seed: 20261127, manifestMutations: 80 });
  t.diagnostic(r.lines[0]);
  t.diagnostic(r.lines[r.lines.length - 1]);
  assert.deepEqual(r.problems, []);
  assert.equal(r.results.length, Object.keys(DAMAGES).length);
  const byName = new Map(r.results.map((x) => [x.name, x.message]));
  // The messages say what is wrong, not only that something is.
  assert.match(byName.get('newer format version')!, /newer version of Ostinato/);
  assert.match(byName.get('weights missing')!, /is missing/);
  assert.match(byName.get('weights truncated')!, /bytes, expected/);
  assert.match(byName.get('weights bytes flipped')!, /checksum/);
  assert.match(byName.get('vocabulary has a token less than the weights')!, /does not fit together/);
  assert.match(byName.get('model.json random bytes')!, /not valid JSON/);
});

test('ostinato generate on a damaged model or bundle, or with a broken primer: exit 1, one line naming it, no stack', async (t) => {
  const r = await checkCliWithDamagedModels({ seed: 5, damages: ['weights truncated'] });
  for (const line of r.lines) t.diagnostic(line);
  assert.deepEqual(r.problems, []);
});

test('damaged .ostinato bundles: rejected with a message naming the bundle, nothing half-imported', async (t) => {
  const r = await checkModelBundles({ seed: 20261127, cases: 150 });
  for (const line of r.lines.slice(0, 3)) t.diagnostic(line);
  assert.deepEqual(r.problems, []);
});
