import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OstinatoHost } from './host.js';
import { tempDir } from './host.fixture.js';

const opts = (dir: string) => ({
  userDataDir: dir,
  bundledModelDir: null,
  host: 'browser' as const,
  version: 't',
});

test('one host per data folder; the lock goes with the host; a stale lock is taken over', async (t) => {
  const dir = tempDir(t);
  const a = await OstinatoHost.create(opts(dir));
  assert.ok(existsSync(join(dir, 'ostinato.lock')));
  writeFileSync(join(dir, 'ostinato.lock'), '1\n'); // pid 1 is always alive: another Ostinato
  await assert.rejects(
    OstinatoHost.create(opts(dir)),
    /Ostinato is already running with the data folder .* \(process 1\)/,
  );
  writeFileSync(join(dir, 'ostinato.lock'), `${process.pid}\n`);
  await a.dispose();
  assert.ok(!existsSync(join(dir, 'ostinato.lock')));
  writeFileSync(join(dir, 'ostinato.lock'), '2147483646\n'); // no such process: stale
  const b = await OstinatoHost.create(opts(dir));
  await b.dispose();
});
