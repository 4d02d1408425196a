import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BigramKneserNey, countNgrams, createLstmStepper } from '../model/index.js';
import { bigramAsLstm } from './music-bigram.js';

test('bigramAsLstm: the stepper gives the bigram probabilities, whatever came before', () => {
  const V = 12;
  const seqs = [Int32Array.of(0, 1, 2, 3, 1, 2, 5, 5, 5, 7), Int32Array.of(0, 4, 4, 1, 2, 9, 10)];
  const bigram = new BigramKneserNey(countNgrams(seqs, V));
  const { config, weights } = bigramAsLstm(bigram, V);
  const stepper = createLstmStepper(config, weights);
  stepper.reset(2);
  const history = [
    [0, 1, 2, 11, 5, 3],
    [4, 4, 9, 0, 10, 2],
  ];
  for (let t = 0; t < history[0].length; t++) {
    const probs = stepper.step(Int32Array.of(history[0][t], history[1][t]));
    for (let r = 0; r < 2; r++)
      for (let k = 0; k < V; k++) {
        const expected = bigram.prob(history[r][t], k);
        const got = probs[r * V + k];
        assert.ok(
          Math.abs(got - expected) <= 1e-5 * Math.max(expected, 1e-3),
          `p(${k}|${history[r][t]}): ${got} vs ${expected}`,
        );
      }
  }
});
