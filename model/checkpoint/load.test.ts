import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initWeights } from '../lstm/weights.js';
import { ModelFormatError } from './format.js';
import { saveCheckpoint } from './store.js';
import { loadModel, readModelInfo } from './load.js';
import { tinyModelContent } from './model.fixture.js';

async function makeModel(dir: string) {
  const { content, lstm } = tinyModelContent();
  await saveCheckpoint(dir, content, { weights: initWeights(lstm, 1) });
  return JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
}

const rejectsWith = (p: Promise<unknown>, code: string, re: RegExp) =>
  assert.rejects(p, (e: unknown) => e instanceof ModelFormatError && e.code === code && re.test(e.message));

test('loadModel: a saved model loads with vocabulary, encoding, weights and info', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'ostinato-load-'));
  t.after(() => fs.rm(root, { recursive: true, force: true }));
  const dir = join(root, 'tiny-model');
  await makeModel(dir);
  const m = await loadModel(dir);
  assert.equal(m.info.id, 'tiny-model');
  assert.equal(m.info.name, 'tiny');
  assert.equal(m.info.grid, '16th');
  assert.equal(m.info.canResume, false);
  assert.equal(m.vocab.size, m.config.vocabSize);
  assert.equal(m.weights.length, 6);
  assert.deepEqual(await readModelInfo(dir), m.info);
});

test('loadModel: weights that do not fit the vocabulary or network, bad vocabulary, bad encoding', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'ostinato-load-'));
  t.after(() => fs.rm(root, { recursive: true, force: true }));
  let dir = join(root, 'a');
  let json = await makeModel(dir);
  // Vocabulary and vocabSize both changed: the weight shapes no longer fit.
  writeFileSync(
    join(dir, 'model.json'),
    JSON.stringify({
      ...json,
      vocabulary: [...json.vocabulary, 'NOTE_127'],
      lstm: { ...json.lstm, vocabSize: json.lstm.vocabSize + 1 },
    }),
  );
  await rejectsWith(loadModel(dir), 'mismatch', /does not fit together.*embedding.*shape/);

  dir = join(root, 'b');
  json = await makeModel(dir);
  writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...json, lstm: { ...json.lstm, hiddenSize: 16 } }));
  await rejectsWith(loadModel(dir), 'mismatch', /does not fit together/);

  dir = join(root, 'c');
  json = await makeModel(dir);
  const vocabulary = [...json.vocabulary];
  vocabulary[vocabulary.length - 1] = 'BANANA_1';
  writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...json, vocabulary }));
  await rejectsWith(readModelInfo(dir), 'corrupt', /unknown token "BANANA_1"/);

  dir = join(root, 'd');
  json = await makeModel(dir);
  writeFileSync(
    join(dir, 'model.json'),
    JSON.stringify({ ...json, encoding: { ...json.encoding, grid: '7th' } }),
  );
  await rejectsWith(loadModel(dir), 'corrupt', /encoding config: unknown grid/);
});
