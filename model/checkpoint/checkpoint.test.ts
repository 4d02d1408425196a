import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LstmConfig, NamedTensorData } from '../lstm/types.js';
import { initWeights } from '../lstm/weights.js';
import { defaultEncodingConfig } from '../encoding/config.js';
import { MODEL_FORMAT_VERSION, ModelFormatError, initialTrainingState } from './format.js';
import {
  deserializeTensors,
  readBlob,
  readManifest,
  saveCheckpoint,
  serializeTensors,
  type ManifestContent,
} from './store.js';
import { exportModelBundle, importModelBundle, packModelBundle, parseModelBundle } from './bundle.js';
import { tinyModelContent } from './model.fixture.js';

function tempDir(t: { after(fn: () => Promise<void>): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'ostinato-ckpt-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

const V = 4;
function tensors(seed: number): NamedTensorData[] {
  return [
    { name: 'embedding', shape: [V, 2], data: Float32Array.from({ length: 8 }, (_, i) => i * 0.5 + seed) },
    { name: 'bias', shape: [3], data: Float32Array.of(seed, -1.25, 3e-8) },
  ];
}

function content(): ManifestContent {
  return {
    name: 'test',
    createdAt: '2026-01-01T00:00:00.000Z',
    lstm: { vocabSize: V, embeddingDim: 2, hiddenSize: 3, numLayers: 1, dropout: 0 },
    encoding: defaultEncodingConfig('16th'),
    vocabulary: ['<pad>', '<bos>', '<eos>', 'n60'],
    hyperparameters: {
      epochs: 1,
      maxSeconds: 0,
      seqLen: 8,
      batchSize: 2,
      learningRate: 0.01,
      minLearningRateFactor: 0.1,
      warmupSteps: 0,
      clipNorm: 1,
      valFraction: 0.1,
      patience: 3,
      seed: 1,
    },
    corpus: { files: 2, trainPieces: 1, valPieces: 1, trainTokens: 10, valTokens: 5 },
    history: [],
    state: initialTrainingState(5),
    baselines: { vocabSize: V, unigram: [0, 0, 1, 2], bigram: [1, 3, 1, 3, 2, 1] },
  };
}

test('tensor serialisation round trips exactly', () => {
  const t = tensors(0.1);
  const { bytes, entries } = serializeTensors(t);
  assert.equal(bytes.length, 44);
  assert.deepEqual(deserializeTensors(bytes, entries), t);
  assert.throws(
    () => serializeTensors([{ name: 'x', shape: [2, 2], data: new Float32Array(3) }]),
    /holds 4 values/,
  );
});

test('save/read round trip; content-named files; stale files removed; same content shares a file', async (t) => {
  const dir = join(tempDir(t), 'm');
  const m1 = await saveCheckpoint(dir, content(), {
    weights: tensors(1),
    resume: { weights: tensors(1), optimizer: tensors(9) },
  });
  assert.equal(m1.weights.file, m1.resume!.weights.file);
  assert.match(m1.weights.file, /^weights-[0-9a-f]{16}\.bin$/);
  assert.equal(readdirSync(dir).sort().length, 3);
  const back = await readManifest(dir);
  assert.deepEqual(back, m1);
  assert.deepEqual(await readBlob(dir, back.weights), tensors(1));
  assert.deepEqual(await readBlob(dir, back.resume!.optimizer), tensors(9));
  // A leftover temp file from a crashed save and an old weights file are cleaned by the next save.
  writeFileSync(join(dir, '.weights-0123456789abcdef.bin.999.abcd.tmp'), 'x');
  const c2 = {
    ...content(),
    state: { ...content().state, epoch: 1 },
    history: [
      {
        epoch: 1,
        trainLoss: 1,
        trainAccuracy: 0.1,
        valLoss: 1,
        valAccuracy: 0.1,
        learningRate: 0.01,
        seconds: 1,
        tokensPerSecond: 5,
      },
    ],
  };
  const m2 = await saveCheckpoint(dir, c2, {
    weights: tensors(1),
    resume: { weights: tensors(2), optimizer: tensors(3) },
  });
  assert.notEqual(m2.resume!.weights.file, m2.weights.file);
  const files = readdirSync(dir).sort();
  assert.deepEqual(
    files,
    ['model.json', m2.resume!.optimizer.file, ...new Set([m2.weights.file, m2.resume!.weights.file])].sort(),
  );
});

async function expectError(dir: string, code: string, re: RegExp) {
  await assert.rejects(
    async () => {
      const m = await readManifest(dir);
      await readBlob(dir, m.weights);
      if (m.resume) await readBlob(dir, m.resume.optimizer);
    },
    (e: unknown) => e instanceof ModelFormatError && e.code === code && re.test(e.message),
  );
}

test('every corrupt-folder case gives its own clear error', async (t) => {
  const root = tempDir(t);
  const fresh = async (name: string) => {
    const dir = join(root, name);
    const m = await saveCheckpoint(dir, content(), {
      weights: tensors(1),
      resume: { weights: tensors(2), optimizer: tensors(3) },
    });
    return { dir, m, json: JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) };
  };
  await expectError(join(root, 'nope'), 'not-a-model', /does not exist/);
  writeFileSync(join(root, 'file.txt'), 'hi');
  await expectError(join(root, 'file.txt'), 'not-a-model', /is a file/);
  await fs.mkdir(join(root, 'empty'));
  await expectError(join(root, 'empty'), 'not-a-model', /no model\.json/);

  let f = await fresh('badjson');
  writeFileSync(join(f.dir, 'model.json'), '{"format": "ostinato-model", "vers');
  await expectError(f.dir, 'corrupt', /not valid JSON/);

  f = await fresh('otherjson');
  writeFileSync(join(f.dir, 'model.json'), JSON.stringify({ hello: 1 }));
  await expectError(f.dir, 'not-a-model', /not an Ostinato model/);

  f = await fresh('newer');
  writeFileSync(join(f.dir, 'model.json'), JSON.stringify({ ...f.json, version: MODEL_FORMAT_VERSION + 1 }));
  await expectError(f.dir, 'newer-version', /newer version of Ostinato/);

  f = await fresh('missing');
  await fs.rm(join(f.dir, f.m.weights.file));
  await expectError(f.dir, 'missing-file', /incomplete: weights-.* is missing/);

  f = await fresh('truncated');
  const wf = join(f.dir, f.m.weights.file);
  writeFileSync(wf, readFileSync(wf).subarray(0, 20));
  await expectError(f.dir, 'corrupt', /has 20 bytes, expected 44/);

  f = await fresh('flipped');
  const of = join(f.dir, f.m.resume!.optimizer.file);
  const b = readFileSync(of);
  b[5] ^= 0xff;
  writeFileSync(of, b);
  await expectError(f.dir, 'corrupt', /does not match its checksum/);

  f = await fresh('vocab');
  writeFileSync(
    join(f.dir, 'model.json'),
    JSON.stringify({ ...f.json, vocabulary: [...f.json.vocabulary, 'n61'] }),
  );
  await expectError(f.dir, 'mismatch', /vocabulary has 5 tokens but the network was built for 4/);

  f = await fresh('fields');
  writeFileSync(
    join(f.dir, 'model.json'),
    JSON.stringify({ ...f.json, lstm: { ...f.json.lstm, hiddenSize: 'big' } }),
  );
  await expectError(f.dir, 'corrupt', /lstm\.hiddenSize/);

  f = await fresh('offsets');
  const j = structuredClone(f.json);
  j.weights.tensors[1].offset = 4;
  writeFileSync(join(f.dir, 'model.json'), JSON.stringify(j));
  await expectError(f.dir, 'corrupt', /offset 4, expected 32/);

  f = await fresh('escape');
  writeFileSync(
    join(f.dir, 'model.json'),
    JSON.stringify({ ...f.json, weights: { ...f.json.weights, file: '../../etc/passwd' } }),
  );
  await expectError(f.dir, 'corrupt', /not a weights file name/);
});

test('bundle export/import round trip, optional resume state, bad bundles rejected', async (t) => {
  const root = tempDir(t);
  const src = join(root, 'src');
  const { content: loadable, lstm } = tinyModelContent();
  const m = await saveCheckpoint(src, loadable, {
    weights: initWeights(lstm, 1),
    resume: { weights: initWeights(lstm, 2), optimizer: tensors(3) },
  });
  const bytes = await exportModelBundle(src);
  const imported = await importModelBundle(bytes, join(root, 'copy'));
  assert.deepEqual(imported, m);
  assert.deepEqual(await readBlob(join(root, 'copy'), imported.resume!.optimizer), tensors(3));
  await assert.rejects(importModelBundle(bytes, join(root, 'copy')), /already exists/);

  const small = await exportModelBundle(src, { includeResumeState: false });
  assert.ok(small.length < bytes.length);
  const m2 = await importModelBundle(small, join(root, 'small'));
  assert.equal(m2.resume, null);
  assert.deepEqual(readdirSync(join(root, 'small')).sort(), ['model.json', m2.weights.file].sort());

  assert.throws(
    () => parseModelBundle(new TextEncoder().encode('MThd....'), 'song.mid'),
    /song\.mid is not an Ostinato model bundle/,
  );
  await assert.rejects(
    importModelBundle(bytes.subarray(0, bytes.length - 3), join(root, 'cut')),
    /truncated or damaged/,
  );
  const flipped = bytes.slice();
  flipped[flipped.length - 2] ^= 0xff;
  await assert.rejects(
    importModelBundle(flipped, join(root, 'flip'), 'm.ostinato'),
    /m\.ostinato is damaged: .* checksum/,
  );
  // Nothing half-imported is left behind.
  assert.deepEqual(readdirSync(root).sort(), ['copy', 'small', 'src']);
});

test('a bundle whose model.json is damaged but consistent JSON with good checksums is refused on import', async (t) => {
  const root = tempDir(t);
  const { content: loadable, lstm } = tinyModelContent();
  // A good model's bundle with its model.json changed: every checksum holds, the manifest does not.
  const src = join(root, 'src');
  await saveCheckpoint(src, loadable, {
    weights: initWeights(lstm, 1),
    resume: { weights: initWeights(lstm, 2), optimizer: tensors(3) },
  });
  const good = parseModelBundle(await exportModelBundle(src));
  const damaged = (change: (json: Record<string, unknown>) => void) =>
    packModelBundle(
      good.map((f) => {
        if (f.name !== 'model.json') return f;
        const json = JSON.parse(new TextDecoder().decode(f.data));
        change(json);
        return { name: f.name, data: new TextEncoder().encode(JSON.stringify(json)) };
      }),
    );
  const unknownToken = damaged((j) => {
    (j.vocabulary as string[])[5] = 'NOT_A_TOKEN';
  });
  await assert.rejects(
    importModelBundle(unknownToken, join(root, 'a'), 'tok.ostinato'),
    (e: unknown) =>
      e instanceof ModelFormatError && e.code === 'corrupt' && /^tok\.ostinato: /.test(e.message),
  );
  const wrongNetwork = damaged((j) => {
    (j.lstm as LstmConfig).hiddenSize = 5;
  });
  await assert.rejects(
    importModelBundle(wrongNetwork, join(root, 'b'), 'net.ostinato'),
    (e: unknown) => e instanceof ModelFormatError && e.code === 'mismatch' && /net\.ostinato/.test(e.message),
  );
  const badEncoding = damaged((j) => {
    j.encoding = { grid: 'quarter' };
  });
  await assert.rejects(
    importModelBundle(badEncoding, join(root, 'c'), 'enc.ostinato'),
    (e: unknown) =>
      e instanceof ModelFormatError &&
      e.code === 'corrupt' &&
      /^enc\.ostinato: .*unknown grid/.test(e.message),
  );
  // Nothing was imported and no temporary folder is left.
  assert.deepEqual(readdirSync(root).sort(), ['src']);
});
