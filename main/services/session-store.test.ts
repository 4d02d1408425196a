import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Session } from '../shared/api.js';
import { SessionStore } from './session-store.js';
import { samplePiece as piece, tempDir } from './host.fixture.js';

const session: Session = { pieces: [piece('p-1'), piece('p-2', 64)], selectedPieceId: 'p-2' };

test('session: none at first; saved atomically (no temp files left) and restored exactly', async (t) => {
  const dir = tempDir(t);
  const store = new SessionStore(dir);
  assert.equal(await store.load(), null);
  await store.save(session);
  assert.deepEqual(readdirSync(dir), ['session.json']);
  assert.deepEqual(await new SessionStore(dir).load(), session);
  assert.match(readFileSync(store.path, 'utf8'), /"format": "ostinato-project"/);
});

test('session: saves run in order, the last one wins', async (t) => {
  const store = new SessionStore(tempDir(t));
  const later = { pieces: [piece('p-3')], selectedPieceId: null };
  await Promise.all([store.save(session), store.save(later)]);
  assert.deepEqual(await store.load(), later);
});

test('session: a corrupt file gives a clear error and is kept as it is', async (t) => {
  const dir = tempDir(t);
  const store = new SessionStore(dir);
  writeFileSync(store.path, '{"format": "ostinato-project",');
  await assert.rejects(store.load(), /session\.json is corrupt \(not valid JSON\)/);
  const bad = JSON.stringify({ format: 'ostinato-project', version: 1, session: { pieces: [{ id: 1 }] } });
  writeFileSync(store.path, bad);
  await assert.rejects(
    store.load(),
    /could not be opened: session\.pieces\[0\]\.timeSignature must be an array/,
  );
  assert.equal(readFileSync(store.path, 'utf8'), bad);
});

test('session: a temp file of a killed save is removed at load', async (t) => {
  const dir = tempDir(t);
  const store = new SessionStore(dir);
  await store.save(session);
  writeFileSync(join(dir, '.session.json.123.abcd.tmp'), 'half');
  assert.deepEqual(await store.load(), session);
  assert.deepEqual(readdirSync(dir), ['session.json']);
});
