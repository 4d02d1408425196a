import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  encodePiece,
  loadModel,
  trainModel,
  type LoadedModel,
  BigramKneserNey,
  countNgrams,
} from '../model/index.js';
import { patternCorpus, patternPiece } from '../model/train/train.fixture.js';
import { barsOf, compareSets, firstBars, generateLike } from './music-stats.js';
import { bigramAsLstm } from './music-bigram.js';
import { extractFeatures, FEATURE_NAMES } from './music-features.js';

test('firstBars and barsOf', () => {
  const p = patternPiece('p', 60, 6);
  assert.equal(barsOf(p), 6);
  const c = firstBars(p, 2);
  assert.equal(c.lengthSteps, 32);
  assert.ok(c.notes.every((n) => n.start < 32 && n.start + n.duration <= 32));
  assert.equal(c.notes.length, 18);
});

test('LSTM and bigram generate like the references (meter, length) through the app generator', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'music-stats-test-'));
  try {
    const corpus = patternCorpus(8);
    await trainModel({
      pieces: corpus,
      outDir: join(dir, 'm'),
      options: {
        epochs: 1,
        hiddenSize: 16,
        embeddingDim: 8,
        numLayers: 1,
        seqLen: 32,
        batchSize: 8,
        transpose: 0,
      },
    });
    const lstm = await loadModel(join(dir, 'm'));
    const seqs = corpus.map((p) => encodePiece(p, lstm.vocab, lstm.encoding));
    const b = bigramAsLstm(new BigramKneserNey(countNgrams(seqs, lstm.vocab.size)), lstm.vocab.size);
    const bigram: LoadedModel = { ...lstm, config: b.config, weights: b.weights };
    const refs = [
      patternPiece('a', 60, 3),
      { ...patternPiece('b', 62, 8), timeSignature: [3, 4] as [number, number] },
    ];
    for (const model of [lstm, bigram]) {
      const gen = generateLike(model, refs, 3, 4, 7);
      assert.equal(gen.length, 3);
      assert.deepEqual(
        gen.map((g) => [g.timeSignature, g.lengthSteps]),
        [
          [[4, 4], 48],
          [[3, 4], 48],
          [[4, 4], 48],
        ],
      );
      // Same seed, same pieces.
      assert.deepEqual(generateLike(model, refs, 3, 4, 7), gen);
    }
    // The bigram learned the corpus: its pieces hold notes in the corpus' range.
    const g = generateLike(bigram, refs, 2, 4, 1);
    assert.ok(g.every((p) => p.notes.length > 0 && p.notes.every((n) => n.pitch >= 45 && n.pitch <= 80)));
    const real = corpus.map((p) => extractFeatures(p)!);
    const cmp = compareSets(real, real);
    assert.deepEqual(
      cmp.map((c) => c.feature),
      FEATURE_NAMES,
    );
    for (const c of cmp) assert.ok(c.overlap > 0.5 && c.overlap <= 1, `${c.feature} ${c.overlap}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
