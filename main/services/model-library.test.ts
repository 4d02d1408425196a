import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLED_MODEL_ID, ModelLibrary } from './model-library.js';
import { makeTinyModel, readOnlyCopy, tempDir } from './host.fixture.js';
import { countParameters } from '../../model/index.js';

async function setup(t: Parameters<typeof tempDir>[0]) {
  const root = tempDir(t);
  const bundled = join(root, 'assets-default');
  await makeTinyModel(bundled, 'Bach chorales (default)', '2026-01-01T00:00:00.000Z');
  const lib = new ModelLibrary(join(root, 'user'), bundled);
  await lib.init();
  await makeTinyModel(join(lib.dir, 'm-old'), 'Old', '2026-02-01T00:00:00.000Z');
  await makeTinyModel(join(lib.dir, 'm-new'), 'New', '2026-03-01T00:00:00.000Z');
  await fs.mkdir(join(lib.dir, 'm-training')); // no model.json yet: not listed
  await fs.mkdir(join(lib.dir, '.m-x.import-1234')); // a temp folder of another process: not listed
  return { root, bundled, lib };
}

test('list: bundled model first (read-only), then the user models newest first; unfinished folders left out', async (t) => {
  const { lib } = await setup(t);
  const list = await lib.list();
  assert.deepEqual(
    list.map((m) => [m.id, m.name, m.bundled]),
    [
      [BUNDLED_MODEL_ID, 'Bach chorales (default)', true],
      ['m-new', 'New', false],
      ['m-old', 'Old', false],
    ],
  );
  const m = JSON.parse(readFileSync(join(lib.dir, 'm-old', 'model.json'), 'utf8'));
  assert.equal(list[0].parameters, countParameters(m.lstm));
  assert.equal(list[0].vocabSize, m.vocabulary.length);
  assert.equal(list[0].grid, '16th');
  assert.equal(list[0].corpusFiles, 2);
  assert.equal(list[0].epochs, 1);
  assert.ok(list[0].bestValLoss !== null && list[0].bestValLoss > 0);
});

test('leftovers of an interrupted delete or import are removed at start', async (t) => {
  const { lib, bundled } = await setup(t);
  await fs.mkdir(join(lib.dir, '.deleted-m-abc-123'));
  await fs.mkdir(join(lib.dir, '.m-0123abcd.import-beef'));
  await new ModelLibrary(join(lib.dir, '..'), bundled).init();
  assert.deepEqual(readdirSync(lib.dir).sort(), ['.m-x.import-1234', 'm-new', 'm-old', 'm-training']);
});

test('rename persists; delete removes; the bundled model can be neither renamed nor deleted', async (t) => {
  const { lib, bundled } = await setup(t);
  const r = await lib.rename('m-old', 'Reels, take 2');
  assert.equal(r.name, 'Reels, take 2');
  assert.equal((await new ModelLibrary(join(lib.dir, '..'), bundled).get('m-old')).name, 'Reels, take 2');
  await assert.rejects(lib.rename(BUNDLED_MODEL_ID, 'x'), /bundled default model cannot be renamed/);
  await assert.rejects(
    lib.delete(BUNDLED_MODEL_ID, () => false),
    /bundled default model cannot be deleted/,
  );
  await assert.rejects(
    lib.delete('m-old', (id) => id === 'm-old'),
    /being trained/,
  );
  await assert.rejects(
    lib.delete('m-gone', () => false),
    /There is no model with id "m-gone"/,
  );
  await assert.rejects(lib.rename('m-training', 'x'), /There is no model with id "m-training"/);
  await lib.delete('m-old', () => false);
  assert.deepEqual(
    (await lib.list()).map((m) => m.id),
    [BUNDLED_MODEL_ID, 'm-new'],
  );
  assert.ok(!readdirSync(lib.dir).some((n) => n.includes('m-old')), 'no trash left behind');
  assert.ok(readFileSync(join(bundled, 'model.json'), 'utf8').includes('Bach chorales (default)'));
});

test('export then import gives a new model with the same content; a bad bundle is refused clearly', async (t) => {
  const { lib } = await setup(t);
  const b = await lib.exportBundle(BUNDLED_MODEL_ID);
  assert.equal(b.name, 'Bach chorales (default).ostinato');
  const imported = await lib.importBundle(b.name, b.data);
  assert.match(imported.id, /^m-[0-9a-f]{16}$/);
  assert.equal(imported.bundled, false);
  assert.equal(imported.name, 'Bach chorales (default)');
  assert.ok((await lib.list()).some((m) => m.id === imported.id));
  await assert.rejects(
    lib.importBundle('song.mid', new TextEncoder().encode('MThd....')),
    /song\.mid is not an Ostinato model bundle/,
  );
  const truncated = b.data.subarray(0, b.data.length - 10);
  await assert.rejects(lib.importBundle('cut.ostinato', truncated), /cut\.ostinato is (truncated|damaged)/);
  assert.equal((await lib.list()).length, 4, 'failed imports leave nothing behind');
  assert.ok(!readdirSync(lib.dir).some((n) => n.startsWith('.m-') && n !== '.m-x.import-1234'));
});

test('read-only model folder: rename fails with a clear error, model.json intact', async (t) => {
  const { lib } = await setup(t);
  const src = join(lib.dir, 'm-old');
  const roDir = await readOnlyCopy(t, src);
  if (roDir === null) return;
  // Put the read-only folder into the library under an id.
  const linked = join(lib.dir, 'm-ro');
  await fs.symlink(roDir, linked);
  const before = readFileSync(join(roDir, 'model.json'), 'utf8');
  await assert.rejects(
    lib.rename('m-ro', 'New name'),
    /Could not save .*model\.json: (the folder is read-only \(EROFS\)|permission denied)/,
  );
  assert.equal(readFileSync(join(roDir, 'model.json'), 'utf8'), before);
  assert.equal((await lib.get('m-ro')).name, 'Old');
});
