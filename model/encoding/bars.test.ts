import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BarGrid } from './bars.js';
import { DecoderState } from './grammar.js';
import { Vocabulary } from './vocabulary.js';
import { defaultEncodingConfig } from './config.js';
import { decodeTokens } from './codec.js';
import type { GridPiece } from '../common/types.js';

test('one meter: bars of one length from step 0, as before meter maps', () => {
  const b = BarGrid.of({ stepsPerQuarter: 4, timeSignature: [3, 4] });
  assert.equal(b.constant, true);
  assert.deepEqual(
    [0, 11, 12, 100].map((s) => b.barAt(s)),
    [0, 0, 1, 8],
  );
  assert.deepEqual([b.start(0), b.start(5), b.length(5)], [0, 60, 12]);
  assert.equal(b.isBarStart(24), true);
  assert.equal(b.isBarStart(25), false);
});

test('a meter map: each change starts a bar; a bar it interrupts is shorter', () => {
  // 3/4 (12 steps) from 0, 5/8 (10) from 24, 4/4 (16) from 50: the 5/8 bar at 44 is cut to 6 steps.
  const b = BarGrid.of({
    stepsPerQuarter: 4,
    timeSignature: [3, 4],
    meters: [
      { step: 0, timeSignature: [3, 4] },
      { step: 24, timeSignature: [5, 8] },
      { step: 50, timeSignature: [4, 4] },
    ],
  });
  assert.equal(b.constant, false);
  const starts = Array.from({ length: 7 }, (_, i) => b.start(i));
  assert.deepEqual(starts, [0, 12, 24, 34, 44, 50, 66]);
  assert.deepEqual(
    Array.from({ length: 7 }, (_, i) => b.length(i)),
    [12, 12, 10, 10, 6, 16, 16],
  );
  for (let i = 0; i < 7; i++) {
    assert.equal(b.barAt(starts[i]), i);
    assert.equal(b.barAt(starts[i] + b.length(i) - 1), i);
  }
});

test('a meter shorter than a step on the grid: no bars (REPEAT never used), as before', () => {
  const b = BarGrid.of({ stepsPerQuarter: 2, timeSignature: [1, 32] });
  assert.equal(b.usable, false);
});

test('decoder and grammar follow the meter map: REPEAT copies a bar of the same length only', () => {
  const cfg = defaultEncodingConfig('16th');
  const vocab = Vocabulary.fromJSON([
    '<pad>',
    '<bos>',
    '<eos>',
    '<unk>',
    'SHIFT_2',
    'SHIFT_8',
    'NOTE_60',
    'DUR_2',
    'REPEAT_1',
  ]);
  const id = (t: string) => vocab.toJSON().indexOf(t);
  const meters: GridPiece['meters'] = [
    { step: 0, timeSignature: [2, 4] }, // bars of 8
    { step: 16, timeSignature: [3, 8] }, // bars of 6
  ];
  // Bar 0: a note at 0; REPEAT_1 at 8 (bar 1, same length); then bar 2 (6 steps) at 16: a REPEAT there
  // is ignored (bar 1 has 8 steps), so the next note lands at 16 + 2.
  const tokens = [
    vocab.bosId,
    id('NOTE_60'),
    id('DUR_2'),
    id('SHIFT_8'),
    id('REPEAT_1'),
    id('REPEAT_1'),
    id('SHIFT_2'),
    id('NOTE_60'),
    id('DUR_2'),
    vocab.eosId,
  ];
  const d = decodeTokens(tokens, vocab, cfg, { name: 'm', bpm: 100, timeSignature: [2, 4], meters });
  assert.deepEqual(
    d.notes.map((n) => [n.start, n.duration]),
    [
      [0, 2],
      [8, 2],
      [18, 2],
    ],
  );
  assert.deepEqual(d.meters, meters);
  const st = new DecoderState(vocab, {
    bars: BarGrid.of({ stepsPerQuarter: 4, timeSignature: [2, 4], meters }),
  });
  st.pushAll(tokens.slice(0, 4));
  assert.equal(st.mask()[id('REPEAT_1')], 1); // bar 1 may copy bar 0
  st.push(id('REPEAT_1'));
  assert.equal(st.time, 16);
  assert.equal(st.mask()[id('REPEAT_1')], 0); // bar 2 (6 steps) may not copy bar 1 (8 steps)
});
