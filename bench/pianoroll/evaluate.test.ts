import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLstmStepper, initWeights, type LstmConfig, Rng } from '../../model/index.js';
import { FRAME_CODINGS, frameVocab, type FrameCoding } from './frames.js';
import { sampleFrames, stepperNll } from './evaluate.js';
import type { Frame } from './data.js';

/** A randomly initialised model over `pitches` pitches, with its output layer scaled up so the
 * distribution is far from uniform. */
function tinyModel(pitches: number, seed: number, coding: FrameCoding = 'pitch-sets') {
  const vocab = frameVocab(60, 60 + pitches - 1, coding);
  const config: LstmConfig = {
    vocabSize: vocab.size,
    embeddingDim: 8,
    hiddenSize: 12,
    numLayers: 2,
    dropout: 0,
  };
  const weights = initWeights(config, seed);
  const rng = new Rng(seed);
  for (const w of weights) {
    if (w.name === 'output/kernel') for (let i = 0; i < w.data.length; i++) w.data[i] *= 6;
    if (w.name === 'output/bias') for (let i = 0; i < w.data.length; i++) w.data[i] = 3 * (rng.next() - 0.5);
    if (w.name === 'embedding') for (let i = 0; i < w.data.length; i++) w.data[i] = 2 * (rng.next() - 0.5);
  }
  return { vocab, stepper: createLstmStepper(config, weights) };
}

function allFrames(pitches: number): Frame[] {
  const out: Frame[] = [];
  for (let m = 0; m < 1 << pitches; m++) {
    const f: number[] = [];
    for (let k = 0; k < pitches; k++) if (m & (1 << k)) f.push(60 + k);
    out.push(f);
  }
  return out;
}

for (const coding of FRAME_CODINGS)
  test(`${coding}: the renormalised probabilities of all 2^4 frames sum to 1 given a context`, () => {
    const { vocab, stepper } = tinyModel(4, 11, coding);
    for (const context of [
      [[60, 62]],
      [[], [61, 62, 63], [60]],
      [
        [61, 63],
        [61, 63],
      ],
    ] as Frame[][]) {
      const candidates = allFrames(4);
      const r = stepperNll(
        stepper,
        candidates.map((f) => [...context, f]),
        vocab,
        { perFrame: true, rows: 5 },
      );
      const probs = r.perFrame!.map((a) => Math.exp(-a[a.length - 1]));
      const sum = probs.reduce((s, p) => s + p, 0);
      assert.ok(Math.abs(sum - 1) < 1e-5, `sum ${sum}`);
      assert.ok(Math.max(...probs) > 2 / 16, 'the distribution is not uniform');
      assert.equal(r.frames, 16 * context.length);
    }
  });

test('stepperNll: the same score whatever the grouping; first frame not scored', () => {
  const { vocab, stepper } = tinyModel(4, 3);
  const pieces: Frame[][] = [[[60], [61, 63], []], [[62]], [[], [], [60, 61, 62, 63], [63]], []];
  const a = stepperNll(stepper, pieces, vocab, { rows: 1, perFrame: true });
  const b = stepperNll(stepper, pieces, vocab, { rows: 3, perFrame: true });
  assert.equal(a.frames, 2 + 0 + 3);
  assert.ok(Math.abs(a.nllSum - b.nllSum) < 1e-4);
  assert.ok(Number.isNaN(a.perFrame![0][0]));
  assert.ok(a.perFrame![2][3] > 0);
  assert.throws(() => stepperNll(stepper, [[[70]]], vocab), /outside the vocabulary/);
});

for (const coding of FRAME_CODINGS)
  test(`${coding}: sampleFrames draws frames with the probabilities stepperNll gives them`, () => {
    const { vocab, stepper } = tinyModel(3, 5, coding);
    const primer: Frame[] = [[60, 62]];
    const candidates = allFrames(3);
    const exact = stepperNll(
      stepper,
      candidates.map((f) => [...primer, f]),
      vocab,
      { perFrame: true },
    ).perFrame!.map((a) => Math.exp(-a[1]));
    const n = 4000;
    const samples = sampleFrames(
      stepper,
      vocab,
      { frames: 1, primer, greedy: false, topK: 0, topP: 1 },
      new Rng(9),
      n,
    );
    const counts = new Map<string, number>();
    for (const s of samples) {
      assert.equal(s.length, 1);
      const k = JSON.stringify(s[0]);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    candidates.forEach((f, i) => {
      const freq = (counts.get(JSON.stringify(f)) ?? 0) / n;
      const sd = Math.sqrt((exact[i] * (1 - exact[i])) / n);
      assert.ok(Math.abs(freq - exact[i]) < 5 * sd + 1e-3, `${JSON.stringify(f)}: ${freq} vs ${exact[i]}`);
    });
    const long = sampleFrames(stepper, vocab, { frames: 20, greedy: false, topK: 0, topP: 1 }, new Rng(1), 2);
    for (const piece of long) {
      assert.equal(piece.length, 20);
      for (const f of piece) for (let i = 1; i < f.length; i++) assert.ok(f[i] > f[i - 1]);
    }
  });
