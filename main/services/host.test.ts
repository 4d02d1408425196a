import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { OstinatoHost } from './host.js';
import { nottingham, tempDir } from './host.fixture.js';
import { torchResultFixture } from '../../model/interop/interop.fixture.js';

const opts = (dir: string) => ({
  userDataDir: dir,
  bundledModelDir: null,
  host: 'browser' as const,
  version: 't',
});

const sorted = (dir: string) => readdirSync(dir).sort();

test('start-up removes what killed imports and saves left in the data folder, and nothing else', async (t) => {
  const dir = tempDir(t);
  const first = await OstinatoHost.create(opts(dir));
  const { imported } = await first.corpusImport([nottingham('ashover1.mid'), nottingham('ashover2.mid')]);
  await first.dispose();
  const corpus = join(dir, 'corpus');
  const models = join(dir, 'models');
  const listed = sorted(corpus);

  // What kills leave (see docs/reliability.md): a killed corpus import's stored copy that the index
  // never listed and temp files of the index and of a copy; a killed bundle import's hidden folder,
  // an interrupted delete, a killed model save's temp file; a killed settings save's temp file.
  const unlisted = 'c-0123456789abcdef.mid';
  await fs.writeFile(join(corpus, unlisted), nottingham('ashover3.mid').data);
  await fs.writeFile(join(corpus, `.index.json.4242.0123abcd.tmp`), '{"version":1');
  await fs.writeFile(join(corpus, `.c-fedcba9876543210.mid.4242.89abcdef.tmp`), 'MThd');
  await fs.mkdir(join(models, '.m-0123abcd.import-beef'));
  await fs.mkdir(join(models, '.deleted-m-abc-123'));
  const modelDir = join(models, 'm-0123456789abcdef');
  await fs.mkdir(modelDir);
  await fs.writeFile(join(modelDir, '.model.json.4242.0123abcd.tmp'), '{');
  await fs.writeFile(join(dir, '.settings.json.4242.0123abcd.tmp'), '{');
  // Not the app's leftovers: kept.
  const foreign = ['notes.txt', 'index.json.corrupt-1700000000000', '.other.mid.4242.0123abcd.tmp'];
  for (const name of foreign) await fs.writeFile(join(corpus, name), 'x');
  await fs.writeFile(join(modelDir, 'notes.txt'), 'x');
  await fs.writeFile(join(dir, '.other.json.4242.0123abcd.tmp'), 'x');
  await fs.writeFile(join(dir, 'Preferences'), 'x');

  const host = await OstinatoHost.create(opts(dir));
  t.after(() => host.dispose());
  assert.deepEqual(sorted(corpus), [...listed, ...foreign].sort());
  assert.deepEqual(sorted(models), ['m-0123456789abcdef']);
  assert.deepEqual(sorted(modelDir), ['notes.txt']);
  assert.ok(!sorted(dir).includes('.settings.json.4242.0123abcd.tmp'));
  assert.ok(sorted(dir).includes('.other.json.4242.0123abcd.tmp') && sorted(dir).includes('Preferences'));
  const files = await host.corpusList();
  assert.deepEqual(
    files.map((f) => [f.id, f.status]),
    imported.map((f) => [f.id, 'ok']),
  );
});

test('without a readable index nothing says which copies are listed: stored copies are kept', async (t) => {
  const dir = tempDir(t);
  const corpus = join(dir, 'corpus');
  await fs.mkdir(corpus, { recursive: true });
  await fs.writeFile(join(corpus, 'c-0123456789abcdef.mid'), nottingham('ashover3.mid').data);
  await fs.writeFile(join(corpus, '.index.json.4242.0123abcd.tmp'), '{');
  const host = await OstinatoHost.create(opts(dir));
  t.after(() => host.dispose());
  assert.deepEqual(sorted(corpus), ['c-0123456789abcdef.mid']);
});

test('a PyTorch result imported through the API is listed, loads and generates; a bad one is refused and leaves no folder', async (t) => {
  const dir = tempDir(t);
  const host = await OstinatoHost.create(opts(dir));
  t.after(() => host.dispose());
  const fx = torchResultFixture(3, 'Trained on a GPU');
  const files = [
    { name: 'result/result.json', data: new TextEncoder().encode(fx.resultJson) },
    { name: 'result/weights.bin', data: fx.weights },
    { name: 'result/logits.json', data: new Uint8Array(2) }, // ignored
  ];
  const info = await host.modelImportTorch(files);
  assert.equal(info.name, 'Trained on a GPU');
  assert.equal(info.bundled, false);
  assert.deepEqual(
    (await host.modelsList()).map((m) => m.id),
    [info.id],
  );
  const pieces = await host.generate({
    modelId: info.id,
    primer: { kind: 'none' },
    bars: 2,
    temperature: 1,
    topK: 0,
    topP: 1,
    seed: 4,
    tempo: 100,
    key: 'C',
    scale: 'none',
    variations: 1,
  });
  assert.equal(pieces.length, 1);
  assert.equal(pieces[0].bars, 2);

  const models = join(dir, 'models');
  const before = sorted(models);
  await assert.rejects(
    host.modelImportTorch([files[0]]),
    /names the weight file weights\.bin: choose it too/,
  );
  await assert.rejects(
    host.modelImportTorch([files[1]]),
    /Choose the result\.json of a PyTorch result folder/,
  );
  const damaged = Uint8Array.from(fx.weights);
  damaged[7] ^= 0xff;
  await assert.rejects(
    host.modelImportTorch([files[0], { name: 'weights.bin', data: damaged }]),
    /Could not import the PyTorch model: result\.json: weights\.bin does not match its SHA-256/,
  );
  assert.deepEqual(sorted(models), before);
});
