import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs, cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { initWeights } from '../lstm/weights.js';
import {
  MODEL_FORMAT_VERSION,
  ModelFormatError,
  RUN_SETTING_KEYS,
  storedTrainOptions,
  upgradeManifest,
  validateManifest,
  type ManifestV1,
} from './format.js';
import { readManifest, renameModel, saveCheckpoint } from './store.js';
import { loadModel, readModelInfo } from './load.js';
import { exportModelBundle, importModelBundle, packModelBundle, parseModelBundle } from './bundle.js';
import { tinyModelContent } from './model.fixture.js';

/** A model folder written by the version-1 writer (see its README.md). */
const V1_FIXTURE = join(__dirname, 'fixtures/v1-tiny');
/** The bundled default model: format version 1, never rewritten. */
const DEFAULT_MODEL = resolve(__dirname, '../../assets/models/default');

function tempDir(t: { after(fn: () => Promise<void>): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'ostinato-format-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

const readJson = (dir: string) => JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
const fileHash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Each setting once: the network only in `lstm`, grid/transpose/repeatBars only in `encoding`. */
function assertStoredOnce(m: { hyperparameters: object }) {
  assert.deepEqual(Object.keys(m.hyperparameters).sort(), [...RUN_SETTING_KEYS, 'warmupSteps'].sort());
}

test('upgradeManifest: the v1 fixture becomes v2 with every setting in one place', () => {
  const v1 = readJson(V1_FIXTURE) as ManifestV1;
  assert.equal(v1.version, 1);
  assert.equal(v1.hyperparameters.hiddenSize, 8); // v1 stored the network twice
  const m = upgradeManifest(v1);
  assert.equal(m.version, 2);
  assert.equal(MODEL_FORMAT_VERSION, 2);
  assertStoredOnce(m);
  assert.deepEqual(m.lstm, v1.lstm);
  assert.deepEqual(m.encoding, v1.encoding);
  assert.equal(m.hyperparameters.minLearningRateFactor, 0.25);
  assert.equal(m.hyperparameters.warmupSteps, 1);
  // The options the fixture was trained with (its README), read back from where each is stored.
  assert.deepEqual(storedTrainOptions(m), {
    name: 'v1 fixture',
    epochs: 1,
    maxSeconds: 0,
    seqLen: 16,
    batchSize: 4,
    learningRate: 0.01,
    minLearningRateFactor: 0.25,
    clipNorm: 1,
    valFraction: 0.1,
    patience: 3,
    seed: 7,
    embeddingDim: 4,
    hiddenSize: 8,
    numLayers: 1,
    dropout: 0.1,
    grid: '16th',
    transpose: 2,
    repeatBars: 0,
  });
  // Written before REPEAT tokens existed: no repeatBars, which means none.
  const { repeatBars: _r, ...older } = v1.encoding;
  assert.equal(upgradeManifest({ ...v1, encoding: older }).encoding.repeatBars, 0);
  assert.equal(validateManifest({ ...v1, encoding: older }, 'old').encoding.repeatBars, 0);
});

test('a v1 model folder loads through the upgrade, also without repeatBars; the folder is not rewritten', async (t) => {
  const before = fileHash(join(V1_FIXTURE, 'model.json'));
  const m = await loadModel(V1_FIXTURE);
  assert.equal(m.manifest.version, 2);
  assertStoredOnce(m.manifest);
  assert.equal(m.encoding.transpose, 2);
  assert.equal(m.info.grid, '16th');
  assert.equal(m.info.canResume, true);
  assert.equal(m.vocab.size, m.config.vocabSize);
  assert.deepEqual(await readModelInfo(V1_FIXTURE), m.info);
  assert.equal(fileHash(join(V1_FIXTURE, 'model.json')), before);

  const dir = join(tempDir(t), 'older');
  cpSync(V1_FIXTURE, dir, { recursive: true });
  const json = readJson(dir);
  delete json.encoding.repeatBars;
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
  assert.equal((await loadModel(dir)).encoding.repeatBars, 0);
});

test('the bundled default model (format 1) loads as version 2 and stays as it is', async () => {
  const before = fileHash(join(DEFAULT_MODEL, 'model.json'));
  const onDisk = readJson(DEFAULT_MODEL);
  assert.equal(onDisk.version, 1, 'the bundled model is the v1 test case: do not rewrite it');
  const m = await loadModel(DEFAULT_MODEL);
  assert.equal(m.manifest.version, 2);
  assertStoredOnce(m.manifest);
  assert.deepEqual(m.config, onDisk.lstm);
  assert.equal(m.encoding.grid, onDisk.hyperparameters.grid);
  assert.equal(m.encoding.transpose, onDisk.hyperparameters.transpose);
  assert.equal(m.encoding.repeatBars, 16);
  const o = storedTrainOptions(m.manifest);
  assert.equal(o.hiddenSize, onDisk.hyperparameters.hiddenSize);
  assert.ok(
    Math.abs(o.learningRate * o.minLearningRateFactor - onDisk.hyperparameters.minLearningRate) < 1e-15,
  );
  assert.equal(m.info.canResume, false);
  assert.equal(fileHash(join(DEFAULT_MODEL, 'model.json')), before);
});

test('new checkpoints are version 2 and store each setting once; a v2 file must be complete', async (t) => {
  const root = tempDir(t);
  const { content, lstm } = tinyModelContent();
  const dir = join(root, 'new');
  await saveCheckpoint(dir, content, { weights: initWeights(lstm, 1) });
  const json = readJson(dir);
  assert.equal(json.version, 2);
  assertStoredOnce(json);
  assert.deepEqual(await readManifest(dir), validateManifest(json, dir));

  // In version 2 nothing is filled in silently.
  const refused = (change: (j: typeof json) => void, re: RegExp) => {
    const j = structuredClone(json);
    change(j);
    assert.throws(
      () => validateManifest(j, 'm'),
      (e: unknown) => e instanceof ModelFormatError && e.code === 'corrupt' && re.test(e.message),
    );
  };
  refused((j) => delete j.encoding.repeatBars, /^m: invalid encoding config: repeatBars/);
  refused((j) => delete j.hyperparameters.minLearningRateFactor, /hyperparameters\.minLearningRateFactor/);
  refused((j) => (j.hyperparameters.seed = 'one'), /hyperparameters\.seed/);
  // A v1 file gets v1's own checks before the upgrade.
  const v1 = readJson(V1_FIXTURE);
  delete v1.hyperparameters.minLearningRate;
  assert.throws(() => validateManifest(v1, 'old'), /hyperparameters\.minLearningRate" must be a number/);
});

test('a v1 folder exports as a v2 bundle that imports and loads', async (t) => {
  const root = tempDir(t);
  const bytes = await exportModelBundle(V1_FIXTURE);
  const inside = parseModelBundle(bytes).find((f) => f.name === 'model.json')!;
  const json = JSON.parse(new TextDecoder().decode(inside.data));
  assert.equal(json.version, 2);
  assertStoredOnce(json);
  const imported = await importModelBundle(bytes, join(root, 'copy'));
  assert.deepEqual(imported, await readManifest(V1_FIXTURE));
  assert.equal((await loadModel(join(root, 'copy'))).info.canResume, true);

  // A bundle saved by a version-1 app holds the v1 model.json as it was: it imports and loads too.
  const v1Files = readdirSync(V1_FIXTURE)
    .filter((name) => name !== 'README.md')
    .map((name) => ({ name, data: readFileSync(join(V1_FIXTURE, name)) }));
  const old = await importModelBundle(packModelBundle(v1Files), join(root, 'old'));
  assert.equal(old.version, 2);
  assert.equal(readJson(join(root, 'old')).version, 1);
  assert.deepEqual((await loadModel(join(root, 'old'))).manifest, old);
});

test('renaming a v1 model rewrites its model.json as version 2; the weights stay as they are', async (t) => {
  const dir = join(tempDir(t), 'v1');
  cpSync(V1_FIXTURE, dir, { recursive: true });
  const before = await readManifest(dir);
  const renamed = await renameModel(dir, 'Renamed');
  const json = readJson(dir);
  assert.equal(json.version, 2);
  assert.equal(json.name, 'Renamed');
  assertStoredOnce(json);
  assert.deepEqual(await readManifest(dir), renamed);
  assert.deepEqual({ ...renamed, name: before.name, updatedAt: before.updatedAt }, before);
  assert.equal((await loadModel(dir)).info.canResume, true);
});
