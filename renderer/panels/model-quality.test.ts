import assert from 'node:assert/strict';
import { test } from 'node:test';
import { qualityHint } from './model-quality.js';

test('a model no better than the bigram is under-trained; a little better is weak; clearly better is good', () => {
  assert.equal(qualityHint({ bestValLoss: 2.5, bigramValLoss: 2.3, epochs: 2 }).quality, 'under');
  assert.match(
    qualityHint({ bestValLoss: 2.5, bigramValLoss: 2.3, epochs: 2 }).text,
    /Under-trained.*2\.500.*2\.300/,
  );
  assert.equal(qualityHint({ bestValLoss: 2.2, bigramValLoss: 2.3, epochs: 5 }).quality, 'weak');
  const good = qualityHint({ bestValLoss: 1.5, bigramValLoss: 2.3, epochs: 24 });
  assert.equal(good.quality, 'good');
  assert.match(good.text, /35% better/);
});

test('without a validation loss or a recorded baseline the hint says so', () => {
  assert.equal(qualityHint({ bestValLoss: null, bigramValLoss: 2.3, epochs: 0 }).quality, 'unknown');
  const old = qualityHint({ bestValLoss: 1.527, bigramValLoss: null, epochs: 24 });
  assert.equal(old.quality, 'unknown');
  assert.match(old.text, /1\.527.*no bigram baseline/);
});
