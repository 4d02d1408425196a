/**
 * Weight names, shapes, seeded initialisation and validation for the LSTM language model.
 * Layout follows tfjs `layers.lstm`: kernel [in, 4H], recurrentKernel [H, 4H], bias [4H], gate order
 * i, f, c (candidate), o. The embedding is a [vocab, embeddingDim] matrix applied to one-hot input.
 */
import type { LstmConfig, NamedTensorData } from './types';
import { Rng } from '../common/rng.js';
import { InputError } from '../common/options.js';

export interface WeightSpec {
  name: string;
  shape: number[];
}

export function validateConfig(config: LstmConfig): void {
  const { vocabSize, embeddingDim, hiddenSize, numLayers, dropout } = config;
  const intIn = (v: number, lo: number, hi: number) => Number.isInteger(v) && v >= lo && v <= hi;
  if (!intIn(vocabSize, 2, 1 << 20))
    throw new InputError(`LSTM config: vocabSize must be an integer >= 2, got ${vocabSize}`);
  if (!intIn(embeddingDim, 1, 1 << 16))
    throw new InputError(`LSTM config: embeddingDim must be a positive integer, got ${embeddingDim}`);
  if (!intIn(hiddenSize, 1, 1 << 14))
    throw new InputError(`LSTM config: hiddenSize must be a positive integer, got ${hiddenSize}`);
  if (!intIn(numLayers, 1, 3))
    throw new InputError(`LSTM config: numLayers must be 1, 2 or 3, got ${numLayers}`);
  if (!(dropout >= 0 && dropout < 1))
    throw new InputError(`LSTM config: dropout must be in [0, 1), got ${dropout}`);
}

export function weightSpecs(config: LstmConfig): WeightSpec[] {
  const { vocabSize: V, embeddingDim: E, hiddenSize: H, numLayers: L } = config;
  const specs: WeightSpec[] = [{ name: 'embedding', shape: [V, E] }];
  for (let l = 0; l < L; l++) {
    specs.push({ name: `lstm_${l}/kernel`, shape: [l === 0 ? E : H, 4 * H] });
    specs.push({ name: `lstm_${l}/recurrent_kernel`, shape: [H, 4 * H] });
    specs.push({ name: `lstm_${l}/bias`, shape: [4 * H] });
  }
  specs.push({ name: 'output/kernel', shape: [H, V] });
  specs.push({ name: 'output/bias', shape: [V] });
  return specs;
}

/** Number of elements of a weight of this shape. */
export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function countParameters(config: LstmConfig): number {
  validateConfig(config);
  return weightSpecs(config).reduce((n, s) => n + shapeSize(s.shape), 0);
}

function uniform(rng: Rng, n: number, limit: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (rng.next() * 2 - 1) * limit;
  return out;
}

function glorot(rng: Rng, fanIn: number, fanOut: number): Float32Array {
  return uniform(rng, fanIn * fanOut, Math.sqrt(6 / (fanIn + fanOut)));
}

/** [rows, cols] with orthonormal rows (rows <= cols) or columns, like tfjs' orthogonal initializer. */
export function orthogonal(rng: Rng, rows: number, cols: number): Float32Array {
  // Orthonormalise the shorter dimension's vectors with modified Gram-Schmidt.
  const n = Math.min(rows, cols);
  const len = Math.max(rows, cols);
  const v = new Float64Array(n * len);
  for (let i = 0; i < v.length; i++) v[i] = rng.normal();
  for (let i = 0; i < n; i++) {
    const vi = i * len;
    for (let j = 0; j < i; j++) {
      const vj = j * len;
      let dot = 0;
      for (let k = 0; k < len; k++) dot += v[vi + k]! * v[vj + k]!;
      for (let k = 0; k < len; k++) v[vi + k]! -= dot * v[vj + k]!;
    }
    let norm = 0;
    for (let k = 0; k < len; k++) norm += v[vi + k]! * v[vi + k]!;
    norm = Math.sqrt(norm) || 1;
    for (let k = 0; k < len; k++) v[vi + k]! /= norm;
  }
  const out = new Float32Array(rows * cols);
  if (rows <= cols) for (let i = 0; i < out.length; i++) out[i] = v[i]!;
  else for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = v[c * len + r]!;
  return out;
}

/** Fresh weights from a seed: uniform(+-0.05) embedding, glorot kernels, orthogonal recurrent
 * kernels, zero biases with the forget-gate bias at 1. */
export function initWeights(config: LstmConfig, seed: number): NamedTensorData[] {
  validateConfig(config);
  const rng = Rng.forWeights(seed);
  const H = config.hiddenSize;
  return weightSpecs(config).map(({ name, shape }) => {
    let data: Float32Array;
    if (name === 'embedding') data = uniform(rng, shape[0]! * shape[1]!, 0.05);
    else if (name.endsWith('/recurrent_kernel')) data = orthogonal(rng, shape[0]!, shape[1]!);
    else if (name.endsWith('/kernel')) data = glorot(rng, shape[0]!, shape[1]!);
    else {
      data = new Float32Array(shape[0]!);
      if (name.startsWith('lstm_')) data.fill(1, H, 2 * H);
    }
    return { name, shape, data };
  });
}

/** Checks that `weights` has exactly the tensors of `config`, with the right shapes and finite data;
 * returns them keyed by name. */
export function checkWeights(config: LstmConfig, weights: NamedTensorData[]): Map<string, Float32Array> {
  const specs = weightSpecs(config);
  const byName = new Map<string, NamedTensorData>();
  for (const w of weights) {
    if (byName.has(w.name)) throw new InputError(`LSTM weights: "${w.name}" appears twice`);
    byName.set(w.name, w);
  }
  const out = new Map<string, Float32Array>();
  for (const spec of specs) {
    const w = byName.get(spec.name);
    if (!w)
      throw new InputError(
        `LSTM weights: "${spec.name}" is missing (model config does not match the weights)`,
      );
    if (w.shape.length !== spec.shape.length || w.shape.some((d, i) => d !== spec.shape[i])) {
      throw new InputError(`LSTM weights: "${spec.name}" has shape [${w.shape}], expected [${spec.shape}]`);
    }
    const n = shapeSize(spec.shape);
    if (!(w.data instanceof Float32Array) || w.data.length !== n) {
      throw new InputError(`LSTM weights: "${spec.name}" must hold ${n} float32 values`);
    }
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(w.data[i]!))
        throw new InputError(`LSTM weights: "${spec.name}" contains NaN or Infinity`);
    }
    out.set(spec.name, w.data);
  }
  for (const name of byName.keys()) {
    if (!out.has(name))
      throw new InputError(`LSTM weights: unexpected tensor "${name}" (model config does not match)`);
  }
  return out;
}
