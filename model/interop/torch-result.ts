/**
 * The result of a training run outside Ostinato (scale/train.py, PyTorch) and its conversion to our
 * weights. A result folder holds:
 * - `result.json`: format "ostinato-torch-result", the network settings (`lstm`), the weight index
 *   (`weights`: file, bytes, sha256, tensors with PyTorch's state_dict names, shapes and byte offsets),
 *   how it was trained (`training`, with a per-epoch `history`), the held-out NLL it measured
 *   (`heldOutNll`: nats per predicted token over the valid split's whole pieces) and a copy of the
 *   dataset manifest it trained on (`dataset`: vocabulary, encoding, baselines, split sizes);
 * - the weight file: float32 little-endian tensors one after the other, in PyTorch's layouts.
 *
 * The conversion (PyTorch → ours, exact up to float32 rounding of one addition):
 * - `embedding.weight` [V, E] → `embedding` [V, E], unchanged;
 * - `lstm.weight_ih_l{k}` [4H, in] → `lstm_{k}/kernel` [in, 4H], transposed;
 *   `lstm.weight_hh_l{k}` [4H, H] → `lstm_{k}/recurrent_kernel` [H, 4H], transposed. PyTorch's gate
 *   blocks (rows) are i, f, g, o and ours (columns) are i, f, c, o: the same order, so no block moves;
 * - `lstm.bias_ih_l{k}` + `lstm.bias_hh_l{k}` → `lstm_{k}/bias` [4H]: PyTorch adds both biases to
 *   every pre-activation, we have one. Neither engine adds a forget-gate bias at run time (ours is 1
 *   at initialisation only; scale/train.py initialises b_ih's forget block to 1 and b_hh's to 0);
 * - `output.weight` [V, H] → `output/kernel` [H, V], transposed; `output.bias` → `output/bias`.
 */
import { createHash } from 'node:crypto';
import type { LstmConfig, NamedTensorData } from '../lstm/types.js';
import { InputError } from '../common/options.js';
import { checkWeights, validateConfig } from '../lstm/weights.js';
import { validateEncodingConfig } from '../encoding/config.js';
import { Vocabulary } from '../encoding/vocabulary.js';
import { validateNgramCounts, type NgramCounts } from '../eval/baselines.js';
import type { DatasetManifest } from './dataset-export.js';

export const TORCH_RESULT_FORMAT = 'ostinato-torch-result';
export const TORCH_RESULT_VERSION = 1;
export const TORCH_RESULT_FILE = 'result.json';

export interface TorchEpoch {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  validNll: number;
  validAccuracy: number;
  learningRate: number;
  seconds: number;
  tokensPerSecond: number;
}

export interface TorchTensorEntry {
  name: string;
  shape: number[];
  offset: number;
}

export interface TorchResult {
  format: typeof TORCH_RESULT_FORMAT;
  version: number;
  name: string;
  createdAt: string;
  lstm: LstmConfig;
  weights: { file: string; dtype: 'float32'; bytes: number; sha256: string; tensors: TorchTensorEntry[] };
  training: {
    engine: string; // "pytorch 1.13.0"
    backend: string; // gloo | nccl
    device: string; // cpu | cuda
    worldSize: number;
    epochs: number;
    steps: number;
    seconds: number;
    batchSize: number; // windows per rank and step
    learningRate: number;
    clipNorm: number;
    seed: number;
    bestEpoch: number;
    history: TorchEpoch[];
  };
  heldOutNll: { nll: number; accuracy: number; tokens: number; pieces: number };
  dataset: Pick<DatasetManifest, 'vocabulary' | 'encoding' | 'seqLen' | 'split' | 'baselines'> & {
    splits: Record<'train' | 'valid', { pieces: number; tokens: number }>;
  };
}

export class TorchResultError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'TorchResultError';
  }
}

/** PyTorch's state_dict names and shapes for our network settings, in the order the script saves. */
export function torchWeightSpecs(c: LstmConfig): { name: string; shape: number[] }[] {
  const { vocabSize: V, embeddingDim: E, hiddenSize: H, numLayers: L } = c;
  const specs = [{ name: 'embedding.weight', shape: [V, E] }];
  for (let l = 0; l < L; l++) {
    specs.push({ name: `lstm.weight_ih_l${l}`, shape: [4 * H, l === 0 ? E : H] });
    specs.push({ name: `lstm.weight_hh_l${l}`, shape: [4 * H, H] });
    specs.push({ name: `lstm.bias_ih_l${l}`, shape: [4 * H] });
    specs.push({ name: `lstm.bias_hh_l${l}`, shape: [4 * H] });
  }
  specs.push({ name: 'output.weight', shape: [V, H] }, { name: 'output.bias', shape: [V] });
  return specs;
}

function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(m.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = m[r * cols + c]!;
  return out;
}

/** PyTorch tensors (by state_dict name) → our named weights, checked against `config`. */
export function torchToOstinatoWeights(
  config: LstmConfig,
  torch: ReadonlyMap<string, Float32Array>,
): NamedTensorData[] {
  validateConfig(config);
  const { vocabSize: V, embeddingDim: E, hiddenSize: H, numLayers: L } = config;
  const get = (name: string, n: number) => {
    const t = torch.get(name);
    if (!t) throw new TorchResultError(`the weights lack ${name}`);
    if (t.length !== n) throw new TorchResultError(`${name} holds ${t.length} values, expected ${n}`);
    return t;
  };
  const out: NamedTensorData[] = [{ name: 'embedding', shape: [V, E], data: get('embedding.weight', V * E) }];
  for (let l = 0; l < L; l++) {
    const inDim = l === 0 ? E : H;
    const bih = get(`lstm.bias_ih_l${l}`, 4 * H);
    const bhh = get(`lstm.bias_hh_l${l}`, 4 * H);
    out.push(
      {
        name: `lstm_${l}/kernel`,
        shape: [inDim, 4 * H],
        data: transpose(get(`lstm.weight_ih_l${l}`, 4 * H * inDim), 4 * H, inDim),
      },
      {
        name: `lstm_${l}/recurrent_kernel`,
        shape: [H, 4 * H],
        data: transpose(get(`lstm.weight_hh_l${l}`, 4 * H * H), 4 * H, H),
      },
      { name: `lstm_${l}/bias`, shape: [4 * H], data: bih.map((b, i) => b + bhh[i]!) },
    );
  }
  out.push(
    { name: 'output/kernel', shape: [H, V], data: transpose(get('output.weight', V * H), V, H) },
    { name: 'output/bias', shape: [V], data: get('output.bias', V) },
  );
  try {
    checkWeights(config, out);
  } catch (e) {
    throw new TorchResultError((e as Error).message);
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Checks a parsed result.json and its weight file; returns the result and our converted weights.
 * Every problem is a TorchResultError naming the file and the field.
 */
export function parseTorchResult(
  json: unknown,
  weightBytes: Uint8Array,
): { result: TorchResult; weights: NamedTensorData[] } {
  const bad = (what: string): never => {
    throw new TorchResultError(`${TORCH_RESULT_FILE}: ${what}`);
  };
  if (!isObject(json) || json.format !== TORCH_RESULT_FORMAT)
    bad(`not a PyTorch training result (no "format": "${TORCH_RESULT_FORMAT}")`);
  const r = json as unknown as TorchResult;
  if (!Number.isInteger(r.version) || r.version < 1) bad('"version" must be a positive integer');
  if (r.version > TORCH_RESULT_VERSION)
    bad(`version ${r.version} is newer than this Ostinato reads (${TORCH_RESULT_VERSION}): update Ostinato`);
  if (typeof r.name !== 'string') bad('"name" must be a string');
  if (!isObject(r.lstm)) bad('"lstm" is missing');
  try {
    validateConfig(r.lstm);
  } catch (e) {
    bad((e as Error).message);
  }
  const d = r.dataset;
  if (!isObject(d)) bad('"dataset" is missing');
  try {
    Vocabulary.fromJSON(d.vocabulary);
    validateEncodingConfig(d.encoding);
    validateNgramCounts(d.baselines as NgramCounts);
  } catch (e) {
    bad(`dataset: ${(e as Error).message}`);
  }
  if (d.vocabulary.length !== r.lstm.vocabSize)
    bad(`the vocabulary has ${d.vocabulary.length} tokens but the network has ${r.lstm.vocabSize} outputs`);
  if (d.baselines.vocabSize !== r.lstm.vocabSize)
    bad('dataset: the baseline counts do not fit the vocabulary');
  for (const s of ['train', 'valid'] as const)
    if (
      !isObject(d.splits?.[s]) ||
      !Number.isInteger(d.splits[s].pieces) ||
      !Number.isInteger(d.splits[s].tokens)
    )
      bad(`dataset.splits.${s} must give pieces and tokens`);
  const t = r.training;
  if (!isObject(t)) bad('"training" is missing');
  for (const k of ['worldSize', 'epochs', 'steps', 'batchSize', 'bestEpoch'] as const)
    if (!Number.isInteger(t[k]) || t[k] < 0) bad(`training.${k} must be a whole number`);
  for (const k of ['seconds', 'learningRate', 'clipNorm', 'seed'] as const)
    if (!finite(t[k])) bad(`training.${k} must be a number`);
  if (!Array.isArray(t.history) || t.history.length !== t.epochs)
    bad(`training.history must list the ${t.epochs} epochs`);
  t.history.forEach((e, i) => {
    for (const k of Object.keys(EPOCH_FIELDS) as (keyof TorchEpoch)[])
      if (!isObject(e) || !finite(e[k])) bad(`training.history[${i}].${k} must be a number`);
  });
  const h = r.heldOutNll;
  if (!isObject(h) || !finite(h.nll) || !finite(h.accuracy) || !Number.isInteger(h.tokens))
    bad('"heldOutNll" must give nll, accuracy and tokens');

  const w = r.weights;
  if (!isObject(w) || typeof w.file !== 'string' || w.dtype !== 'float32' || !Array.isArray(w.tensors))
    bad('"weights" must name a float32 file and list its tensors');
  if (weightBytes.length !== w.bytes)
    bad(
      `${w.file} has ${weightBytes.length} bytes, ${TORCH_RESULT_FILE} lists ${w.bytes}: the copy is incomplete`,
    );
  if (createHash('sha256').update(weightBytes).digest('hex') !== w.sha256)
    bad(`${w.file} does not match its SHA-256: the file is damaged`);
  const expected = new Map(torchWeightSpecs(r.lstm).map((s) => [s.name, s.shape]));
  const view = new DataView(weightBytes.buffer, weightBytes.byteOffset, weightBytes.byteLength);
  const tensors = new Map<string, Float32Array>();
  for (const e of w.tensors) {
    const shape =
      expected.get(e?.name) ??
      bad(`unexpected tensor ${JSON.stringify(e?.name)} (the network settings do not match)`);
    if (tensors.has(e.name)) bad(`tensor ${e.name} is listed twice`);
    if (!Array.isArray(e.shape) || e.shape.join() !== shape.join())
      bad(`tensor ${e.name} has shape [${e.shape}], the network needs [${shape}]`);
    const n = shape.reduce((a, x) => a * x, 1);
    if (!Number.isInteger(e.offset) || e.offset < 0 || e.offset % 4 || e.offset + 4 * n > weightBytes.length)
      bad(`tensor ${e.name} lies outside ${w.file}`);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = view.getFloat32(e.offset + 4 * i, true);
    tensors.set(e.name, data);
  }
  let weights: NamedTensorData[] = [];
  try {
    weights = torchToOstinatoWeights(r.lstm, tensors);
  } catch (e) {
    bad((e as Error).message);
  }
  return { result: r, weights };
}

const EPOCH_FIELDS: Record<keyof TorchEpoch, true> = {
  epoch: true,
  trainLoss: true,
  trainAccuracy: true,
  validNll: true,
  validAccuracy: true,
  learningRate: true,
  seconds: true,
  tokensPerSecond: true,
};
