import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, promises as fs, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { patternCorpus } from '../train/train.fixture.js';
import { Vocabulary } from '../encoding/vocabulary.js';
import { encodePiece } from '../encoding/codec.js';
import { validateEncodingConfig } from '../encoding/config.js';
import { decodeInt32Npy, decodeNpy, encodeNpy } from './npy.js';
import { exportDataset, type DatasetManifest } from './dataset-export.js';
import { findTorchPython } from './torch-python.fixture.js';
import { spawnSync } from 'node:child_process';

const read = (dir: string, file: string) =>
  decodeInt32Npy(new Uint8Array(readFileSync(join(dir, file))), file);

test('npy: int32 and float32 arrays round-trip, the header is 64-byte aligned, damage is refused', () => {
  const a = encodeNpy({ dtype: 'int32', shape: [2, 3], data: Int32Array.from([1, -2, 3, 4, 5, -1]) });
  assert.equal((10 + new DataView(a.buffer).getUint16(8, true)) % 64, 0);
  assert.deepEqual(decodeNpy(a), {
    dtype: 'int32',
    shape: [2, 3],
    data: Int32Array.from([1, -2, 3, 4, 5, -1]),
  });
  const f = decodeNpy(encodeNpy({ dtype: 'float32', shape: [3], data: Float32Array.from([0.5, -1, 3]) }));
  assert.deepEqual([...f.data], [0.5, -1, 3]);
  assert.deepEqual(
    decodeNpy(encodeNpy({ dtype: 'int32', shape: [0, 4], data: new Int32Array(0) })).shape,
    [0, 4],
  );
  assert.throws(() => decodeNpy(new Uint8Array([1, 2, 3]), 'x.npy'), /x\.npy is not a \.npy file/);
  assert.throws(() => decodeNpy(a.subarray(0, a.length - 4), 'x.npy'), /needs 24/);
  assert.throws(() => encodeNpy({ dtype: 'int32', shape: [2, 2], data: new Int32Array(3) }), /does not hold/);
});

test('export-dataset writes the split, whole sequences and the training windows (inputs 0 / targets -1 padded)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ostinato-ds-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  const pieces = patternCorpus(10);
  const seqLen = 16;
  const m = await exportDataset({ pieces, outDir: dir, options: { seqLen, valFraction: 0.2, seed: 7 } });
  const onDisk = JSON.parse(readFileSync(join(dir, 'dataset.json'), 'utf8')) as DatasetManifest;
  assert.deepEqual(onDisk, m);
  const vocab = Vocabulary.fromJSON(m.vocabulary);
  const encoding = validateEncodingConfig(m.encoding);
  assert.equal(encoding.transpose, 0);
  assert.equal(m.splits.train.pieces + m.splits.valid.pieces, 10);
  assert.equal(m.splits.valid.pieces, 2);
  // Every piece once, on one side only; its tokens are the encoder's.
  const sources = [...m.splits.train.sources, ...m.splits.valid.sources].sort();
  assert.deepEqual(sources, pieces.map((p) => p.name).sort());
  for (const split of ['train', 'valid'] as const) {
    const s = m.splits[split];
    const tokens = read(dir, s.files.tokens).data;
    const offsets = read(dir, s.files.offsets).data;
    const inputs = read(dir, s.files.inputs);
    const targets = read(dir, s.files.targets);
    assert.equal(offsets.length, s.pieces + 1);
    assert.equal(tokens.length, s.tokens);
    assert.deepEqual(inputs.shape, [s.windows, seqLen]);
    s.sources.forEach((name, i) => {
      const piece = pieces.find((p) => p.name === name)!;
      assert.deepEqual(
        [...tokens.subarray(offsets[i], offsets[i + 1])],
        [...encodePiece(piece, vocab, encoding)],
      );
    });
    // Windows: each target is the token after its input; padding only at the end of a window.
    let predictions = 0;
    for (let w = 0; w < s.windows; w++) {
      for (let k = 0; k < seqLen; k++) {
        const y = targets.data[w * seqLen + k];
        if (y === -1) {
          assert.equal(inputs.data[w * seqLen + k], 0);
          if (k + 1 < seqLen) assert.equal(targets.data[w * seqLen + k + 1], -1);
        } else {
          predictions++;
          if (k + 1 < seqLen && targets.data[w * seqLen + k + 1] !== -1)
            assert.equal(inputs.data[w * seqLen + k + 1], y);
        }
      }
    }
    assert.equal(predictions, s.tokens - s.pieces);
    assert.equal(s.predictions, predictions);
  }
  assert.equal(m.baselines.vocabSize, vocab.size);
});

test(
  'export-dataset: numpy reads the arrays as int32 without our code',
  { skip: !findTorchPython() && 'no python3 with numpy/torch' },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'ostinato-ds-'));
    t.after(() => fs.rm(dir, { recursive: true, force: true }));
    const m = await exportDataset({ pieces: patternCorpus(6), outDir: dir, options: { seqLen: 12 } });
    const r = spawnSync(
      findTorchPython()!,
      [
        '-c',
        'import json,sys,numpy as np; d=sys.argv[1]; m=json.load(open(d+"/dataset.json")); s=m["splits"]["train"]; ' +
          'x=np.load(d+"/"+s["files"]["inputs"]); t=np.load(d+"/"+s["files"]["tokens"]); ' +
          'print(json.dumps([str(x.dtype), list(x.shape), int(t.sum())]))',
        dir,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    const tokens = read(dir, m.splits.train.files.tokens).data;
    assert.deepEqual(JSON.parse(r.stdout), [
      'int32',
      [m.splits.train.windows, 12],
      tokens.reduce((a, b) => a + b, 0),
    ]);
  },
);
