import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GridPiece } from '../common/types.js';
import { initWeights } from '../lstm/weights.js';
import { Vocabulary } from '../encoding/vocabulary.js';
import { defaultEncodingConfig } from '../encoding/config.js';
import { SCALES } from '../common/scales.js';
import type { LoadedModel } from '../checkpoint/load.js';
import { initBackend } from '../core/backend.js';
import { generatePieces, primerSlice, stepsPerBar, validateGenerateRequest } from './generate.js';

function scalePiece(name: string, root: number): GridPiece {
  const notes = [];
  for (let i = 0; i < 32; i++) {
    const pitch = root + [0, 2, 4, 5, 7, 9, 11, 12][i % 8];
    notes.push({ pitch, start: i * 2, duration: 2, velocity: 80, track: 0 });
    if (i % 4 === 0) notes.push({ pitch: pitch - 12, start: i * 2, duration: 8, velocity: 70, track: 0 });
  }
  notes.sort((a, b) => a.start - b.start || a.pitch - b.pitch);
  return { name, stepsPerQuarter: 4, bpm: 100, timeSignature: [4, 4], lengthSteps: 64, notes };
}

function randomModel(): LoadedModel {
  const encoding = { ...defaultEncodingConfig('16th'), transpose: 2 };
  const vocab = Vocabulary.fromCorpus([scalePiece('a', 60), scalePiece('b', 55)], encoding);
  const config = { vocabSize: vocab.size, embeddingDim: 8, hiddenSize: 16, numLayers: 2, dropout: 0 };
  const weights = initWeights(config, 3);
  // Stronger output weights than the init so the distribution is not near-uniform.
  for (const w of weights)
    if (w.name === 'output/kernel') for (let i = 0; i < w.data.length; i++) w.data[i] *= 20;
  return { dir: '/nowhere', manifest: null as never, config, vocab, encoding, weights, info: null as never };
}

const req = { bars: 4, temperature: 1, topK: 0, topP: 1, seed: 11 };

test('same seed same pieces; variations differ; variation i equals seed + i', () => {
  const m = randomModel();
  const a = generatePieces(m, { ...req, variations: 3 });
  const b = generatePieces(m, { ...req, variations: 3 });
  assert.equal(a.length, 3);
  assert.deepEqual(
    a.map((p) => p.notes),
    b.map((p) => p.notes),
  );
  assert.notDeepEqual(a[0].notes, a[1].notes);
  assert.deepEqual(
    a.map((p) => p.seed),
    [11, 12, 13],
  );
  const single = generatePieces(m, { ...req, seed: 12 });
  assert.deepEqual(single[0].notes, a[1].notes);
});

test('length in bars, notes inside it, tempo and meter applied, grammar respected', () => {
  const m = randomModel();
  for (const ts of [
    [4, 4],
    [3, 4],
    [6, 8],
  ] as [number, number][]) {
    const [p] = generatePieces(m, { ...req, bars: 3, tempo: 140, timeSignature: ts });
    const end = 3 * stepsPerBar(4, ts);
    assert.equal(p.lengthSteps, end);
    assert.equal(p.bpm, 140);
    assert.deepEqual(p.timeSignature, ts);
    assert.ok(p.notes.length > 0);
    for (const n of p.notes) {
      assert.ok(n.start >= 0 && n.start < end && n.start + n.duration <= end, JSON.stringify(n));
      assert.ok(m.vocab.has(`NOTE_${n.pitch}`));
    }
    // Token grammar: every NOTE is followed by a DUR; <eos> never appears before the end.
    const toks = Array.from(p.tokens).map((id) => m.vocab.token(id));
    toks.forEach((t, i) => {
      if (t.startsWith('NOTE_') && i + 1 < toks.length) assert.match(toks[i + 1], /^DUR_/);
    });
    assert.ok(!toks.slice(0, -1).includes('<eos>'));
  }
});

test('scale constraint: only notes of the key and scale', () => {
  const m = randomModel();
  const pieces = generatePieces(m, {
    ...req,
    bars: 8,
    temperature: 1.5,
    key: 'D',
    scale: 'pentatonic',
    variations: 2,
  });
  const allowed = new Set(SCALES.pentatonic.map((i) => (2 + i) % 12));
  let count = 0;
  for (const p of pieces)
    for (const n of p.notes) {
      assert.ok(allowed.has(n.pitch % 12), `pitch ${n.pitch}`);
      count++;
    }
  assert.ok(count > 0);
});

test('primer: first bars kept at the start, piece is primer + bars long', () => {
  const m = randomModel();
  const primer = scalePiece('primer', 60);
  const [p] = generatePieces(m, { ...req, bars: 2, primer: { piece: primer, bars: 1 } });
  assert.equal(p.lengthSteps, 3 * 16);
  assert.equal(p.bars, 3);
  const primerNotes = primer.notes.filter((n) => n.start < 16);
  assert.equal(p.primerNotes, primerNotes.length);
  const kept = p.notes.filter((n) => n.start < 14).map((n) => [n.pitch, n.start]);
  for (const n of primerNotes.filter((x) => x.start < 14))
    assert.ok(kept.some(([pi, s]) => pi === n.pitch && s === n.start));
  assert.equal(p.bpm, 100);
  // An 8th-grid primer is moved onto the model's 16th grid.
  const eighth = {
    ...primer,
    stepsPerQuarter: 2,
    notes: primer.notes.map((n) => ({ ...n, start: n.start / 2, duration: 1 })),
  };
  const slice = primerSlice(eighth, 1, 4);
  assert.equal(slice.steps, 16);
  assert.deepEqual(
    slice.piece.notes.map((n) => n.start),
    primer.notes.filter((n) => n.start < 16).map((n) => n.start),
  );
});

test('primer with a meter map: its bars keep their meters, the piece goes on in the last one', () => {
  const m = randomModel();
  // 2 bars of 3/4 (12 steps each), then 2/4 (8 steps) from step 24.
  const primer = {
    ...scalePiece('meters', 60),
    timeSignature: [3, 4] as [number, number],
    meters: [
      { step: 0, timeSignature: [3, 4] as [number, number] },
      { step: 24, timeSignature: [2, 4] as [number, number] },
    ],
  };
  const slice = primerSlice(primer, 3, 4);
  assert.equal(slice.steps, 32);
  assert.deepEqual(slice.piece.meters, primer.meters);
  assert.equal(primerSlice(primer, 2, 4).piece.meters, undefined); // the slice ends before the change
  const [p] = generatePieces(m, { ...req, bars: 2, primer: { piece: primer, bars: 3 } });
  assert.equal(p.bars, 5);
  assert.equal(p.lengthSteps, 24 + 8 * 3); // 3/4, 3/4, then 2/4 ×3
  assert.deepEqual(p.meters, primer.meters);
  assert.ok(p.notes.every((n) => n.start + n.duration <= p.lengthSteps));
  // A requested meter replaces the map.
  const [q] = generatePieces(m, {
    ...req,
    bars: 2,
    timeSignature: [4, 4],
    primer: { piece: primer, bars: 1 },
  });
  assert.equal(q.meters, undefined);
  assert.equal(q.lengthSteps, 3 * 16);
});

test('greedy and top-k 1 are deterministic whatever the seed', () => {
  const m = randomModel();
  const a = generatePieces(m, { ...req, temperature: 0, seed: 1 });
  const b = generatePieces(m, { ...req, temperature: 0, seed: 99 });
  assert.deepEqual(a[0].notes, b[0].notes);
  const c = generatePieces(m, { ...req, topK: 1, seed: 5 });
  assert.deepEqual(c[0].notes, a[0].notes);
});

test('request validation', () => {
  assert.throws(() => validateGenerateRequest({ ...req, bars: 0 }), /bars/);
  assert.throws(() => validateGenerateRequest({ ...req, variations: 99 }), /variations/);
  assert.throws(() => validateGenerateRequest({ ...req, tempo: 5 }), /tempo/);
  assert.throws(() => validateGenerateRequest({ ...req, scale: 'major', key: 'H' }), /key/);
  assert.throws(() => validateGenerateRequest({ ...req, scale: 'lydian' as never, key: 'C' }), /scale/);
  assert.throws(
    () => validateGenerateRequest({ ...req, topP: 2 }),
    /topP must be greater than 0 and at most 1/,
  );
});

test('the same notes whichever stepper engine runs (plain JS or tfjs matrix products)', async () => {
  await initBackend();
  const m = randomModel();
  const saved = process.env.OSTINATO_STEPPER;
  try {
    process.env.OSTINATO_STEPPER = 'js';
    const js = generatePieces(m, { ...req, bars: 8, variations: 3 });
    process.env.OSTINATO_STEPPER = 'tfjs';
    const tf = generatePieces(m, { ...req, bars: 8, variations: 3 });
    assert.deepEqual(
      tf.map((p) => Array.from(p.tokens)),
      js.map((p) => Array.from(p.tokens)),
    );
  } finally {
    if (saved === undefined) delete process.env.OSTINATO_STEPPER;
    else process.env.OSTINATO_STEPPER = saved;
  }
});
