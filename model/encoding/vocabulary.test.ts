import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultEncodingConfig, validateEncodingConfig } from './config.js';
import { Vocabulary, KIND_DUR, KIND_NOTE, KIND_SHIFT, KIND_SPECIAL } from './vocabulary.js';
import { gridPiece } from './pieces.fixture.js';

const piece = gridPiece;

test('defaultEncodingConfig scales with the grid', () => {
  assert.deepEqual(defaultEncodingConfig('16th'), {
    grid: '16th',
    pitchRange: [21, 108],
    maxShift: 16,
    maxDuration: 64,
    maxPolyphony: 16,
    transpose: 0,
    normaliseKey: false,
    repeatBars: 16,
  });
  assert.equal(defaultEncodingConfig('8th').maxShift, 8);
  assert.equal(defaultEncodingConfig('16th-triplet').maxDuration, 96);
  assert.throws(() => defaultEncodingConfig('64th' as never), /unknown grid/);
});

test('validateEncodingConfig accepts a saved config and names a bad field', () => {
  const c = defaultEncodingConfig('8th');
  assert.deepEqual(validateEncodingConfig(JSON.parse(JSON.stringify(c))), c);
  assert.throws(() => validateEncodingConfig({ ...c, grid: 'x' }), /unknown grid/);
  assert.throws(() => validateEncodingConfig({ ...c, maxShift: 0 }), /maxShift/);
  assert.throws(() => validateEncodingConfig({ ...c, pitchRange: [60, 50] }), /pitchRange/);
  assert.throws(() => validateEncodingConfig({ ...c, normaliseKey: 'yes' }), /normaliseKey/);
  assert.throws(() => validateEncodingConfig(null), /not an object/);
  // repeatBars is required (models saved before REPEAT tokens existed get 0 from upgradeManifest).
  const { repeatBars: _r, ...old } = c;
  assert.throws(() => validateEncodingConfig(old), /repeatBars must be an integer/);
  assert.throws(() => validateEncodingConfig({ ...c, repeatBars: -1 }), /repeatBars/);
  assert.throws(() => validateEncodingConfig({ ...c, repeatBars: 1.5 }), /repeatBars/);
});

test('fromCorpus: specials first, then only the tokens that occur after augmentation', () => {
  const cfg = { ...defaultEncodingConfig('16th'), transpose: 2, pitchRange: [21, 61] as [number, number] };
  const v = Vocabulary.fromCorpus(
    [
      piece([
        [60, 0, 4],
        [40, 6, 2],
      ]),
    ],
    cfg,
  );
  assert.deepEqual(v.toJSON(), [
    '<pad>',
    '<bos>',
    '<eos>',
    '<unk>',
    'SHIFT_6',
    'NOTE_38',
    'NOTE_39',
    'NOTE_40',
    'NOTE_41',
    'NOTE_42',
    'NOTE_58',
    'NOTE_59',
    'NOTE_60',
    'NOTE_61',
    'DUR_2',
    'DUR_4',
  ]);
  assert.equal(v.padId, 0);
  assert.equal(v.size, 16);
  assert.equal(v.id('NOTE_60'), 12);
  assert.equal(v.token(12), 'NOTE_60');
  assert.equal(v.id('NOTE_99'), v.unkId);
  assert.equal(v.token(-1), '<unk>');
  assert.equal(v.token(99), '<unk>');
  assert.ok(v.has('DUR_2') && !v.has('DUR_3'));
  assert.equal(v.kinds[v.bosId], KIND_SPECIAL);
  assert.equal(v.kinds[v.id('SHIFT_6')], KIND_SHIFT);
  assert.equal(v.kinds[v.id('NOTE_38')], KIND_NOTE);
  assert.equal(v.kinds[v.id('DUR_4')], KIND_DUR);
  assert.equal(v.values[v.id('DUR_4')], 4);
  assert.equal(v.values[v.id('NOTE_38')], 38);
  assert.equal(v.nearest('DUR', 3), v.id('DUR_2'));
  assert.equal(v.nearest('NOTE', 50), v.id('NOTE_42'));
});

test('toJSON / fromJSON round trip, and bad saved vocabularies are refused with a reason', () => {
  const v = Vocabulary.fromCorpus(
    [
      piece([
        [60, 0, 4],
        [64, 4, 4],
      ]),
    ],
    defaultEncodingConfig('16th'),
  );
  const again = Vocabulary.fromJSON(JSON.parse(JSON.stringify(v.toJSON())));
  assert.deepEqual(again.toJSON(), v.toJSON());
  assert.equal(again.eosId, v.eosId);
  assert.throws(() => Vocabulary.fromJSON('NOTE_60'), /list of token strings/);
  assert.throws(() => Vocabulary.fromJSON(['<bos>', '<pad>', '<eos>', '<unk>']), /token 0 must be <pad>/);
  assert.throws(() => Vocabulary.fromJSON(['<pad>', '<bos>', '<eos>']), /<unk> is missing/);
  assert.throws(
    () => Vocabulary.fromJSON(['<pad>', '<bos>', '<eos>', '<unk>', 'NOTE_60', 'NOTE_60']),
    /appears twice/,
  );
  assert.throws(
    () => Vocabulary.fromJSON(['<pad>', '<bos>', '<eos>', '<unk>', 'CHORD_1']),
    /unknown token "CHORD_1"/,
  );
});
