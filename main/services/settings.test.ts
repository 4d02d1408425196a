import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, SettingsStore } from './settings.js';
import { tempDir } from './host.fixture.js';
import { makeReadOnlyFolder } from '../../bench/stress-fs.js';

test('defaults when there is no file; updates persist; invalid fields are dropped', async (t) => {
  const dir = tempDir(t);
  const s = new SettingsStore(dir);
  assert.deepEqual(await s.load(), DEFAULT_SETTINGS);
  await s.update({ corpusGrid: '8th', window: { x: 1, y: 2, width: 800, height: 600 } });
  const again = new SettingsStore(dir);
  assert.equal((await again.load()).corpusGrid, '8th');
  writeFileSync(
    join(dir, 'settings.json'),
    JSON.stringify({ version: 1, corpusGrid: '7th', lastTraining: { epochs: -1 }, window: { x: 'a' } }),
  );
  assert.deepEqual(await new SettingsStore(dir).load(), DEFAULT_SETTINGS);
});

test('a corrupt settings file is kept aside and defaults are used', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'settings.json'), '{"corpusGrid": "8th",');
  assert.deepEqual(await new SettingsStore(dir).load(), DEFAULT_SETTINGS);
  assert.ok(readdirSync(dir).some((n) => n.startsWith('settings.json.corrupt-')));
});

test('read-only folder: clear error, previous file and in-memory settings intact', async (t) => {
  const previous = JSON.stringify({ ...DEFAULT_SETTINGS, corpusGrid: '32nd' });
  const ro = await makeReadOnlyFolder({ 'settings.json': previous });
  if ('unavailable' in ro) {
    t.skip(ro.unavailable);
    return;
  }
  t.after(ro.cleanup);
  t.diagnostic(`read-only folder made by: ${ro.method}`);
  const s = new SettingsStore(ro.dir);
  await s.load();
  await assert.rejects(
    s.update({ corpusGrid: '8th' }),
    /Could not save .*settings\.json: (the folder is read-only \(EROFS\)|permission denied)/,
  );
  assert.equal(readFileSync(join(ro.dir, 'settings.json'), 'utf8'), previous);
  assert.equal(s.get().corpusGrid, '32nd');
});
