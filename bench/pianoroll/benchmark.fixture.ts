/** Test fixtures for the piano-roll benchmark: a few real JSB pieces and a tiny, quick model. */
import { resolve } from 'node:path';
import { loadPianoRoll, standardDatasetPath, type PianoRollDataset } from './data.js';
import { DEFAULT_BENCHMARK_OPTIONS, type BenchmarkOptions } from './benchmark.js';

/** The first `train`/`valid`/`test` pieces of each JSB split. */
export function fewJsbPieces(train = 12, valid = 3, test = 3): PianoRollDataset {
  const full = loadPianoRoll(standardDatasetPath(resolve(__dirname, '../..'), 'jsb-chorales'));
  return {
    ...full,
    train: full.train.slice(0, train),
    valid: full.valid.slice(0, valid),
    test: full.test.slice(0, test),
  };
}

/** A one-layer model of 24 units trained for 4 seconds. */
export const TINY_BENCHMARK: BenchmarkOptions = {
  ...DEFAULT_BENCHMARK_OPTIONS,
  model: { embeddingDim: 8, hiddenSize: 24, numLayers: 1, dropout: 0 },
  learningRate: 0.01,
  batchSize: 8,
  seqLen: 32,
  seconds: 4,
  validEvery: 10,
  rows: 3,
};
