import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { BundledCorpus, bundledCorpusId } from './bundled-corpus.js';
import { tempDir, testHost } from './host.fixture.js';

const ASSETS = resolve(__dirname, '../../assets/corpus');

test('the bundled Bach chorales are listed read-only, with tempo and meter; a primer reads one', async () => {
  const bundled = new BundledCorpus(ASSETS, () => '16th');
  const files = await bundled.list();
  const names = readdirSync(ASSETS).filter((n) => n.endsWith('.mid'));
  assert.equal(files.length, names.length);
  assert.ok(files.length > 300);
  for (const f of files) {
    assert.equal(f.bundled, true);
    assert.equal(f.status, 'ok', `${f.name}: ${f.error}`);
    assert.ok(BundledCorpus.isBundledId(f.id));
  }
  const first = files.find((f) => f.name === 'jsb-test-001.mid')!;
  assert.equal(first.id, 'bundled-jsb-test-001');
  assert.equal(first.bpm, 90);
  assert.deepEqual(first.timeSignature, [4, 4]);
  assert.equal(first.tracks.length, 4);
  const piece = await bundled.piece(first.id);
  assert.ok(piece.piece.tracks.length === 4 && piece.tracks.length > 0);
  assert.equal((await bundled.list())[0], files[0], 'read once, then cached');
  await assert.rejects(bundled.piece('bundled-nope'), /no bundled corpus file/);
});

test('a bundled folder that is missing lists nothing; an unreadable file is listed with its reason', async (t) => {
  assert.deepEqual(await new BundledCorpus(null, () => '16th').list(), []);
  assert.deepEqual(await new BundledCorpus(join(tempDir(t), 'none'), () => '16th').list(), []);
  const dir = tempDir(t);
  copyFileSync(join(ASSETS, 'jsb-test-001.mid'), join(dir, 'good.mid'));
  writeFileSync(join(dir, 'bad.mid'), 'not midi');
  const files = await new BundledCorpus(dir, () => '16th').list();
  assert.deepEqual(
    files.map((f) => [f.id, f.status]),
    [
      ['bundled-bad', 'error'],
      ['bundled-good', 'ok'],
    ],
  );
  assert.match(files[0]!.error!, /MThd|MIDI/);
  assert.equal(bundledCorpusId('JSB Train 001.MID'), 'bundled-jsb-train-001');
});

test('the host lists the bundled corpus apart from the user’s and takes it as a primer', async (t) => {
  const host = await testHost(t, { bundledCorpusDir: ASSETS });
  assert.deepEqual(await host.corpusList(), []);
  const bundled = await host.corpusBundled();
  assert.ok(bundled.length > 300);
  const info = await host.primerInfo({ kind: 'corpus', fileId: bundled[0]!.id, bars: 2 });
  assert.equal(info.bpm, 90);
  assert.deepEqual(info.timeSignature, [4, 4]);
});
