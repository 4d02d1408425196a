import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { GridNote, GridPiece } from '../common/types.js';
import { defaultEncodingConfig } from './config.js';
import type { EncodingConfig } from './config.js';
import { Vocabulary } from './vocabulary.js';
import { decodeTokens, encodePiece, encodePieceWithReport } from './codec.js';

const cfg = defaultEncodingConfig('16th');
const meta = { name: 'p', bpm: 100, timeSignature: [4, 4] as [number, number] };
const piece = (notes: [number, number, number][], name = 'p'): GridPiece => ({
  name,
  stepsPerQuarter: 4,
  bpm: 100,
  timeSignature: [4, 4],
  lengthSteps: Math.max(0, ...notes.map(([, s, d]) => s + d)),
  notes: notes.map(([pitch, start, duration]) => ({ pitch, start, duration, velocity: 90, track: 0 })),
});
const triples = (g: GridPiece) => g.notes.map((n) => [n.pitch, n.start, n.duration]);

test('the documented example', () => {
  const p = piece([
    [60, 0, 4],
    [64, 0, 4],
    [67, 0, 4],
    [62, 16, 8],
  ]);
  const v = Vocabulary.fromCorpus([p], { ...cfg, transpose: 0 });
  assert.deepEqual(v.toJSON(), [
    '<pad>',
    '<bos>',
    '<eos>',
    '<unk>',
    'SHIFT_16',
    'NOTE_60',
    'NOTE_62',
    'NOTE_64',
    'NOTE_67',
    'DUR_4',
    'DUR_8',
  ]);
  const ids = encodePiece(p, v, cfg);
  assert.ok(ids instanceof Int32Array);
  assert.equal(
    Array.from(ids, (i) => v.token(i)).join(' '),
    '<bos> NOTE_60 DUR_4 NOTE_64 DUR_4 NOTE_67 DUR_4 SHIFT_16 NOTE_62 DUR_8 <eos>',
  );
  assert.deepEqual(triples(decodeTokens(ids, v, cfg, meta)), triples(p));
});

test('long gaps are several SHIFTs; a leading rest is kept', () => {
  const p = piece([
    [60, 3, 1],
    [62, 3 + 16 + 16 + 5, 2],
  ]);
  const v = Vocabulary.fromCorpus([p], cfg);
  const toks = Array.from(encodePiece(p, v, cfg), (i) => v.token(i));
  assert.deepEqual(toks, [
    '<bos>',
    'SHIFT_3',
    'NOTE_60',
    'DUR_1',
    'SHIFT_16',
    'SHIFT_16',
    'SHIFT_5',
    'NOTE_62',
    'DUR_2',
    '<eos>',
  ]);
  const d = decodeTokens(encodePiece(p, v, cfg), v, cfg, meta);
  assert.deepEqual(triples(d), triples(p));
  assert.equal(d.lengthSteps, p.lengthSteps);
  assert.equal(d.stepsPerQuarter, 4);
  assert.equal(d.bpm, 100);
});

test('unseen events map to the nearest known token and are counted', () => {
  const train = piece([
    [60, 0, 4],
    [62, 4, 4],
    [64, 8, 2],
    [65, 10, 1],
    [67, 11, 8],
  ]);
  const v = Vocabulary.fromCorpus([train], { ...cfg, transpose: 0 });
  // 72 is unseen: an octave down is 60. 61 is unseen: nearest pitch. Duration 3 → 2 or 4 (2: ties go
  // to the shorter). Gap 3 → SHIFT_2 + SHIFT_1. A pitch outside the range folds into it by octaves.
  const p = piece([
    [72, 0, 3],
    [61, 2, 5],
    [40, 4, 4],
  ]);
  const { tokens, report } = encodePieceWithReport(p, v, cfg);
  const words = Array.from(tokens, (i) => v.token(i));
  assert.deepEqual(words, [
    '<bos>',
    'NOTE_60',
    'DUR_2',
    'SHIFT_2',
    'NOTE_60',
    'DUR_4',
    'SHIFT_2',
    'NOTE_64',
    'DUR_4',
    '<eos>',
  ]);
  assert.equal(report.mapped, 5); // NOTE 72, DUR 3, NOTE 61, DUR 5, NOTE 40
  assert.equal(report.unknown, 0);
  assert.equal(report.notes, 3);
  const inRange = encodePieceWithReport(piece([[10, 0, 4]]), v, cfg).report;
  assert.equal(inRange.octaveShifted, 1);
  const longNote = encodePieceWithReport(piece([[60, 0, 500]]), v, cfg).report;
  assert.equal(longNote.clampedDurations, 1);
  // A vocabulary with no SHIFT at all: a gap becomes <unk>, not a crash.
  const noShift = Vocabulary.fromCorpus([piece([[60, 0, 4]])], cfg);
  const r = encodePieceWithReport(
    piece([
      [60, 0, 4],
      [60, 8, 4],
    ]),
    noShift,
    cfg,
  );
  assert.equal(r.report.unknown, 1);
  assert.equal(noShift.token(r.tokens[3]), '<unk>');
});

test('polyphony limit and duplicates are counted', () => {
  const small: EncodingConfig = { ...cfg, maxPolyphony: 2 };
  const p = piece([
    [60, 0, 4],
    [64, 0, 4],
    [67, 0, 4],
    [72, 0, 4],
    [72, 0, 2],
  ]);
  const v = Vocabulary.fromCorpus([p], small);
  const { tokens, report } = encodePieceWithReport(p, v, small);
  assert.equal(report.droppedDuplicates, 1);
  assert.equal(report.droppedOverPolyphony, 2);
  assert.deepEqual(triples(decodeTokens(tokens, v, small, meta)), [
    [60, 0, 4],
    [72, 0, 4],
  ]);
});

test('decode is tolerant of any order', () => {
  const p = piece([
    [60, 0, 4],
    [62, 4, 4],
  ]);
  const v = Vocabulary.fromCorpus([p], cfg);
  const id = (t: string) => v.id(t);
  const seq = [
    id('DUR_4'), // DUR without NOTE: ignored
    id('NOTE_62'),
    id('NOTE_60'), // NOTE replacing a NOTE without DUR
    id('DUR_4'),
    id('NOTE_60'),
    id('DUR_4'), // duplicate at the same step: ignored
    -5,
    9999,
    1.5,
    NaN,
    v.bosId,
    v.unkId,
    v.padId,
    id('SHIFT_4'),
    id('NOTE_62'), // NOTE at the end without DUR: ignored
    v.eosId,
    id('NOTE_64'),
    id('DUR_4'), // after <eos>: ignored
  ];
  const d = decodeTokens(seq, v, cfg, meta);
  assert.deepEqual(triples(d), [[60, 0, 4]]);
  assert.equal(d.lengthSteps, 4);
  // A same-pitch note still sounding when it is struck again is cut.
  const long = Vocabulary.fromCorpus(
    [
      piece([
        [60, 0, 8],
        [60, 4, 4],
      ]),
    ],
    cfg,
  );
  const over = decodeTokens(
    ['NOTE_60', 'DUR_8', 'SHIFT_4', 'NOTE_60', 'DUR_4'].map((t) => long.id(t)),
    long,
    cfg,
    meta,
  );
  assert.deepEqual(triples(over), [
    [60, 0, 4],
    [60, 4, 4],
  ]);
});

// Random canonical pieces: pitches in range, durations <= maxDuration, one note per (pitch, step),
// no same-pitch overlaps, at most maxPolyphony onsets per step. Those must round-trip exactly.
const canonicalPiece = (c: EncodingConfig) =>
  fc
    .array(
      fc.record({
        pitch: fc.integer({ min: c.pitchRange[0], max: c.pitchRange[1] }),
        start: fc.integer({ min: 0, max: 200 }),
        duration: fc.integer({ min: 1, max: c.maxDuration }),
      }),
      { maxLength: 60 },
    )
    .map((raw) => {
      const notes: GridNote[] = [];
      const sorted = [...raw].sort((a, b) => a.start - b.start || a.pitch - b.pitch);
      const endOf = new Map<number, number>();
      const perStep = new Map<number, number>();
      for (const n of sorted) {
        if ((endOf.get(n.pitch) ?? -1) > n.start) continue;
        if ((perStep.get(n.start) ?? 0) >= c.maxPolyphony) continue;
        notes.push({ ...n, velocity: 90, track: 0 });
        endOf.set(n.pitch, n.start + n.duration);
        perStep.set(n.start, (perStep.get(n.start) ?? 0) + 1);
      }
      return piece(notes.map((n) => [n.pitch, n.start, n.duration]));
    });

test('property: random pieces round-trip exactly through their own vocabulary', () => {
  for (const grid of ['16th', '8th-triplet'] as const) {
    const c = { ...defaultEncodingConfig(grid), maxPolyphony: 6 };
    fc.assert(
      fc.property(canonicalPiece(c), (p) => {
        const v = Vocabulary.fromCorpus([p], c);
        const r = encodePieceWithReport(p, v, c);
        assert.equal(r.report.mapped + r.report.unknown, 0);
        const d = decodeTokens(r.tokens, v, c, meta);
        assert.deepEqual(triples(d), triples(p));
        assert.equal(d.lengthSteps, p.lengthSteps);
      }),
      { numRuns: 150, seed: 42 },
    );
  }
});

test('property: any piece encodes; encode ∘ decode is idempotent', () => {
  const raw = fc.array(
    fc.tuple(
      fc.integer({ min: 0, max: 127 }),
      fc.integer({ min: 0, max: 300 }),
      fc.integer({ min: 1, max: 200 }),
    ),
    { maxLength: 50 },
  );
  const v = Vocabulary.fromCorpus(
    [
      piece([
        [60, 0, 4],
        [60, 5, 4],
      ]),
    ],
    { ...cfg, transpose: 0 },
  ); // tiny: lots of mapping
  fc.assert(
    fc.property(raw, (notes) => {
      const once = encodePiece(piece(notes), v, cfg);
      const d = decodeTokens(once, v, cfg, meta);
      for (const n of d.notes) assert.ok(n.pitch === 60 && n.duration === 4 && n.start % 5 === 0);
      const twice = encodePiece(d, v, cfg);
      assert.deepEqual(triples(decodeTokens(twice, v, cfg, meta)), triples(d));
    }),
    { numRuns: 200, seed: 7 },
  );
});

test('property: decode never throws on random id sequences', () => {
  const v = Vocabulary.fromCorpus(
    [
      piece([
        [60, 0, 4],
        [64, 2, 16],
        [67, 20, 1],
      ]),
    ],
    cfg,
  );
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.integer({ min: -3, max: v.size + 3 }), fc.double()), { maxLength: 300 }),
      (ids) => {
        const d = decodeTokens(ids, v, cfg, meta);
        for (const n of d.notes) {
          assert.ok(n.duration >= 1 && n.start >= 0 && n.pitch >= 0 && n.pitch <= 127);
        }
        for (let i = 1; i < d.notes.length; i++) {
          const a = d.notes[i - 1];
          const b = d.notes[i];
          assert.ok(a.start < b.start || (a.start === b.start && a.pitch < b.pitch));
        }
      },
    ),
    { numRuns: 300, seed: 3 },
  );
});

// ---- REPEAT_k: a bar equal to a non-empty bar k bars back ---------------------------------------

/** Bars of 16 steps (4/4) from per-bar note lists [pitch, start in bar, duration]. */
const barsPiece = (bars: [number, number, number][][], timeSignature: [number, number] = [4, 4]) => {
  const bar = (16 * timeSignature[0]) / timeSignature[1];
  const p = piece(
    bars.flatMap((ns, b) => ns.map(([pt, s, d]) => [pt, b * bar + s, d] as [number, number, number])),
  );
  return { ...p, timeSignature };
};
const A: [number, number, number][] = [
  [48, 0, 16],
  [60, 0, 4],
  [64, 4, 4],
  [67, 8, 8],
];
const B: [number, number, number][] = [
  [43, 0, 16],
  [62, 0, 8],
  [71, 8, 12], // rings into the next bar: copied with its duration
];

test('REPEAT_k: repeated bars become one token (the nearest match) and decode exactly', () => {
  const p = barsPiece([A, B, A, B, [], A, [[72, 2, 2]]]);
  const c = { ...cfg, transpose: 0 };
  const v = Vocabulary.fromCorpus([p], c);
  const { tokens, report } = encodePieceWithReport(p, v, c);
  const names = [...tokens].map((id) => v.token(id));
  assert.deepEqual(
    names.filter((t) => t.startsWith('REPEAT')),
    ['REPEAT_2', 'REPEAT_2', 'REPEAT_3'],
  );
  assert.equal(report.repeatedBars, 3);
  assert.equal(report.notes, p.notes.length);
  // SHIFTs reach the bar start first; consecutive repeats follow each other; an empty bar is a SHIFT.
  assert.ok(
    names.join(' ').endsWith('SHIFT_8 REPEAT_2 REPEAT_2 SHIFT_16 REPEAT_3 SHIFT_2 NOTE_72 DUR_2 <eos>'),
    names.join(' '),
  );
  const back = decodeTokens(tokens, v, c, meta);
  assert.deepEqual(
    triples(back),
    triples({ ...p, notes: [...p.notes].sort((a, b) => a.start - b.start || a.pitch - b.pitch) }),
  );
  // Fewer tokens than without REPEAT.
  const plain = encodePiece(p, Vocabulary.fromCorpus([p], { ...c, repeatBars: 0 }), { ...c, repeatBars: 0 });
  assert.ok(tokens.length < plain.length - 10, `${tokens.length} vs ${plain.length}`);
  assert.ok(![...plain].some((id) => v.token(id).startsWith('REPEAT')));
});

test('REPEAT_k: a distance the vocabulary lacks, or beyond repeatBars, is written note by note', () => {
  const p = barsPiece([A, B, A]);
  const c = { ...cfg, transpose: 0 };
  const v = Vocabulary.fromCorpus([barsPiece([A, A])], c); // knows REPEAT_1 only
  assert.ok(v.has('REPEAT_1') && !v.has('REPEAT_2'));
  const withV = encodePiece(p, v, c);
  assert.ok(![...withV].some((id) => v.token(id).startsWith('REPEAT')));
  assert.deepEqual(
    triples(decodeTokens(withV, v, c, meta)),
    triples(decodeTokens(encodePiece(p, v, c), v, c, meta)),
  );
  const near = { ...c, repeatBars: 1 };
  const v1 = Vocabulary.fromCorpus([p], near);
  assert.ok(!v1.toJSON().some((t) => t.startsWith('REPEAT')), 'bar 3 is 2 bars back: not within 1');
});

test('REPEAT_k follows the time signature (3/4) and decodeTokens ignores a misplaced REPEAT', () => {
  const waltz = barsPiece(
    [
      [
        [50, 0, 12],
        [62, 4, 4],
      ],
      [[64, 0, 12]],
      [
        [50, 0, 12],
        [62, 4, 4],
      ],
    ],
    [3, 4],
  );
  const c = { ...cfg, transpose: 0 };
  const v = Vocabulary.fromCorpus([waltz], c);
  const toks = encodePiece(waltz, v, c);
  assert.ok([...toks].some((id) => v.token(id) === 'REPEAT_2'));
  const m34 = { ...meta, timeSignature: [3, 4] as [number, number] };
  assert.deepEqual(
    triples(decodeTokens(toks, v, c, m34)),
    triples({ ...waltz, notes: [...waltz.notes].sort((a, b) => a.start - b.start || a.pitch - b.pitch) }),
  );
  // Not at a bar start (after SHIFT_4), after a note at the bar start, or before the first bar: ignored.
  const id = (t: string) => v.id(t);
  const bad = [
    id('<bos>'),
    id('NOTE_50'),
    id('DUR_12'),
    id('SHIFT_4'),
    id('REPEAT_2'),
    id('NOTE_62'),
    id('DUR_4'),
  ];
  assert.deepEqual(triples(decodeTokens(bad, v, c, m34)), [
    [50, 0, 12],
    [62, 4, 4],
  ]);
  const early = [id('<bos>'), id('NOTE_50'), id('DUR_12'), id('SHIFT_12'), id('REPEAT_2')];
  assert.deepEqual(triples(decodeTokens(early, v, c, m34)), [[50, 0, 12]]);
});

test('REPEAT_k round trip: random pieces built from a few bars, repeated', () => {
  const note = fc.tuple(
    fc.integer({ min: 36, max: 84 }),
    fc.integer({ min: 0, max: 15 }),
    fc.integer({ min: 1, max: 24 }),
  );
  const barGen = fc.uniqueArray(note, { maxLength: 5, selector: ([p, s]) => `${p}:${s}` });
  fc.assert(
    fc.property(
      fc.array(barGen, { minLength: 1, maxLength: 4 }),
      fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 24 }),
      (patterns, order) => {
        const p = barsPiece(order.map((i) => (i < patterns.length ? patterns[i] : [])));
        const c = { ...cfg, transpose: 0 };
        const v = Vocabulary.fromCorpus([p], c);
        const back = decodeTokens(encodePiece(p, v, c), v, c, meta);
        // The reference: the same notes with re-strikes cut, as decodeTokens does for any sequence.
        const ref = decodeTokens(
          encodePiece(p, Vocabulary.fromCorpus([p], { ...c, repeatBars: 0 }), { ...c, repeatBars: 0 }),
          Vocabulary.fromCorpus([p], { ...c, repeatBars: 0 }),
          { ...c, repeatBars: 0 },
          meta,
        );
        assert.deepEqual(triples(back), triples(ref));
      },
    ),
    { numRuns: 200 },
  );
});
