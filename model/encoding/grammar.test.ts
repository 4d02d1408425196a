import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { defaultEncodingConfig } from './config.js';
import { Vocabulary } from './vocabulary.js';
import { decodeTokens, encodePiece } from './codec.js';
import { DecoderState, scaleMask } from './grammar.js';
import { SCALES } from '../common/scales.js';
import { gridPiece } from './pieces.fixture.js';

const cfg = defaultEncodingConfig('16th');
const piece = gridPiece;
const corpus = piece([
  [48, 0, 16],
  [60, 0, 4],
  [64, 0, 4],
  [67, 4, 2],
  [69, 6, 2],
  [72, 8, 8],
  [74, 16, 3],
  [76, 19, 16],
  [71, 35, 1],
]);
const vocab = Vocabulary.fromCorpus([corpus], cfg);
const allowed = (m: Uint8Array) => [...m].flatMap((x, i) => (x ? [vocab.token(i)] : []));

test('every real sequence is allowed by the grammar, and the cursor follows it', () => {
  const ids = encodePiece(corpus, vocab, cfg);
  const st = new DecoderState(vocab);
  for (const id of ids.subarray(1)) {
    assert.equal(st.mask()[id], 1, `${vocab.token(id)} allowed`);
    st.push(id);
  }
  assert.equal(st.ended, true);
  assert.equal(st.time, 35);
  assert.equal(st.notes, 9);
});

test('after a NOTE only a DUR; chords ascend; specials are never generated', () => {
  const st = new DecoderState(vocab);
  const start = allowed(st.mask());
  assert.ok(start.includes('<eos>') && start.includes('NOTE_48') && start.includes('SHIFT_16'));
  assert.ok(!start.includes('<pad>') && !start.includes('<bos>') && !start.includes('<unk>'));
  st.push(vocab.id('NOTE_60'));
  assert.ok(allowed(st.mask()).every((t) => t.startsWith('DUR_')));
  assert.equal(st.pendingPitch, 60);
  st.push(vocab.id('DUR_4'));
  const next = allowed(st.mask());
  assert.ok(!next.includes('NOTE_48') && !next.includes('NOTE_60') && next.includes('NOTE_64'));
  st.push(vocab.id('SHIFT_3'));
  assert.equal(st.time, 3);
  assert.ok(allowed(st.mask()).includes('NOTE_48'), 'a new step starts a new chord');
  st.push(vocab.eosId);
  assert.deepEqual(allowed(st.mask()), ['<eos>']);
  assert.ok(st.done);
});

test('a step limit: no SHIFT past it, no NOTE at it, DURs that fit', () => {
  const st = new DecoderState(vocab, { maxSteps: 16 });
  st.pushAll([vocab.id('SHIFT_4'), vocab.id('SHIFT_4')]);
  assert.equal(st.time, 8);
  const m = allowed(st.mask());
  assert.ok(m.includes('SHIFT_8') && !m.includes('SHIFT_16'));
  st.push(vocab.id('NOTE_60'));
  const durs = allowed(st.mask());
  assert.ok(durs.includes('DUR_8') && !durs.includes('DUR_16'));
  st.pushAll([vocab.id('DUR_8'), vocab.id('SHIFT_8')]);
  assert.equal(st.time, 16);
  assert.ok(st.done);
  assert.deepEqual(allowed(st.mask()), ['<eos>']);
});

test('polyphony limit', () => {
  const st = new DecoderState(vocab, { maxPolyphony: 2 });
  st.pushAll(['NOTE_48', 'DUR_4', 'NOTE_60', 'DUR_4'].map((t) => vocab.id(t)));
  assert.ok(!allowed(st.mask()).some((t) => t.startsWith('NOTE_')));
});

test('property: sampling only from the mask always gives a decodable sequence that respects the limit', () => {
  fc.assert(
    fc.property(
      fc.array(fc.nat(), { minLength: 1, maxLength: 200 }),
      fc.integer({ min: 1, max: 64 }),
      (choices, maxSteps) => {
        const st = new DecoderState(vocab, { maxSteps });
        const ids: number[] = [vocab.bosId];
        for (const c of choices) {
          if (st.done) break;
          const ok = [...st.mask()].flatMap((x, i) => (x ? [i] : []));
          assert.ok(ok.length > 0);
          const id = ok[c % ok.length];
          ids.push(id);
          st.push(id);
        }
        const g = decodeTokens(ids, vocab, cfg, { name: 'x', bpm: 120, timeSignature: [4, 4] });
        assert.equal(g.notes.length, st.notes);
        for (const n of g.notes) assert.ok(n.start < maxSteps);
      },
    ),
    { numRuns: 200, seed: 11 },
  );
});

test('scaleMask forbids only the NOTE tokens outside the scale', () => {
  const full = Vocabulary.fromCorpus([piece([[60, 0, 4]])], { ...cfg, transpose: 11 });
  const m = scaleMask(full, 'D', 'dorian');
  for (let id = 0; id < full.size; id++) {
    const t = full.token(id);
    if (!t.startsWith('NOTE_')) assert.equal(m[id], 1, t);
    else {
      const pc = (full.values[id] - 2 + 12) % 12;
      assert.equal(m[id], SCALES.dorian.includes(pc) ? 1 : 0, t);
    }
  }
  assert.deepEqual(scaleMask(full, 2, 'dorian'), m);
  assert.deepEqual(scaleMask(full, 'Bb', 'blues'), scaleMask(full, 10, 'blues'));
  assert.ok(scaleMask(full, 'C', 'none').every((x) => x === 1));
  const pent = scaleMask(full, 'C', 'pentatonic');
  assert.equal(pent[full.id('NOTE_64')], 1);
  assert.equal(pent[full.id('NOTE_65')], 0);
  assert.throws(() => scaleMask(full, 'H', 'major'), /unknown key 'H'/);
  assert.throws(() => scaleMask(full, 'C', 'lydian' as never), /unknown scale/);
});

test('REPEAT_k: allowed at a bar start (before any note there) when the bar k back has notes; the cursor moves a bar', () => {
  const song = piece([
    [60, 0, 4],
    [64, 4, 4],
    [62, 16, 8],
    [60, 32, 4],
    [64, 36, 4],
    [62, 48, 8],
  ]); // bars: X Y X Y
  const c = { ...cfg, transpose: 0 };
  const v = Vocabulary.fromCorpus([song], c);
  const ids = encodePiece(song, v, c);
  assert.deepEqual(
    [...ids].map((id) => v.token(id)).filter((t) => t.startsWith('REPEAT')),
    ['REPEAT_2', 'REPEAT_2'],
  );
  const names = (m: Uint8Array) => [...m].flatMap((x, i) => (x ? [v.token(i)] : []));
  const st = new DecoderState(v, { barSteps: 16, maxSteps: 64 });
  // Every token of the real sequence is allowed, and the state follows time and notes.
  for (const id of ids.subarray(1, ids.length - 1)) {
    assert.equal(st.mask()[id], 1, `${v.token(id)} allowed at step ${st.time}`);
    st.push(id);
  }
  assert.equal(st.time, 64);
  assert.equal(st.notes, 6);
  assert.ok(st.done);

  const s2 = new DecoderState(v, { barSteps: 16, maxSteps: 64 });
  assert.ok(!names(s2.mask()).some((t) => t.startsWith('REPEAT')), 'nothing to repeat in bar 0');
  s2.pushAll([v.id('NOTE_60'), v.id('DUR_4')]);
  assert.ok(!names(s2.mask()).some((t) => t.startsWith('REPEAT')), 'a note is already at this bar start');
  s2.push(v.id('SHIFT_4'));
  assert.ok(!names(s2.mask()).some((t) => t.startsWith('REPEAT')), 'not at a bar start');
  s2.pushAll([v.id('NOTE_64'), v.id('DUR_4'), v.id('SHIFT_12')]); // bar 1 starts, bar 0 has notes
  assert.equal(s2.time, 16);
  assert.ok(!v.has('REPEAT_1')); // the song never repeats the previous bar
  assert.deepEqual(
    names(s2.mask()).filter((t) => t.startsWith('REPEAT')),
    [],
  );
  s2.push(v.id('SHIFT_16')); // bar 2, bar 1 is empty: REPEAT_2 (bar 0) allowed, REPEAT_1 not
  assert.deepEqual(
    names(s2.mask()).filter((t) => t.startsWith('REPEAT')),
    ['REPEAT_2'],
  );
  s2.push(v.id('REPEAT_2'));
  assert.equal(s2.time, 48);
  assert.equal(s2.notes, 4);
  // The last bar fits; a REPEAT may not pass maxSteps.
  const s3 = new DecoderState(v, { barSteps: 16, maxSteps: 40 });
  s3.pushAll([v.id('NOTE_60'), v.id('DUR_4'), v.id('SHIFT_16'), v.id('SHIFT_16')]);
  assert.ok(!names(s3.mask()).some((t) => t.startsWith('REPEAT')), 'bar 2 would end at 48 > 40');
  // Without barSteps REPEAT is never allowed, and a forced one is a no-op (as in decodeTokens without bars).
  const s4 = new DecoderState(v);
  s4.pushAll([v.id('NOTE_60'), v.id('DUR_4'), v.id('SHIFT_16'), v.id('SHIFT_16')]);
  assert.ok(!names(s4.mask()).some((t) => t.startsWith('REPEAT')));
  s4.push(v.id('REPEAT_2'));
  assert.equal(s4.time, 32);
});
