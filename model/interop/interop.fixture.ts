/**
 * For tests only (*.test.ts files and e2e import this): running the Python side of scale/ with the
 * Python that has torch, reading a tfjs Layers folder in Node (tfjs without tfjs-node has no file://
 * loader: an IOHandler over the same files stands in for it), and a PyTorch result without Python.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { findTorchPython } from './torch-python.fixture.js';
import { patternCorpus } from '../train/train.fixture.js';
import { defaultEncodingConfig } from '../encoding/config.js';
import { Vocabulary } from '../encoding/vocabulary.js';
import { encodePiece } from '../encoding/codec.js';
import { countNgrams } from '../eval/baselines.js';
import { Rng } from '../common/rng.js';
import { TORCH_RESULT_FORMAT, torchWeightSpecs } from './torch-result.js';

export const SCALE_DIR = resolve(__dirname, '..', '..', 'scale');

/** Runs scale/<script> with torch's Python; throws with its stderr when it fails. */
export function runScaleScript(script: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  const py = findTorchPython();
  if (!py) throw new Error('no Python with torch found (install python3-torch)');
  const r = spawnSync(py, [join(SCALE_DIR, script), ...args], {
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1', PYTHONDONTWRITEBYTECODE: '1', ...env },
    timeout: 300_000,
  });
  if (r.status !== 0) throw new Error(`${script} failed (${r.status ?? r.signal}):\n${r.stderr}`);
  return r.stdout;
}

/** tf.loadLayersModel's view of a folder written by exportTfjsLayers: model.json and its shards. */
export function layersFolderHandler(dir: string): tf.io.IOHandler {
  return {
    async load() {
      const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
        modelTopology: tf.io.ModelArtifacts['modelTopology'];
        weightsManifest: tf.io.WeightsManifestConfig;
        format?: string;
        generatedBy?: string;
        convertedBy?: string | null;
        userDefinedMetadata?: tf.io.ModelArtifacts['userDefinedMetadata'];
      };
      const shards = json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dir, p))));
      const bytes = Buffer.concat(shards);
      return {
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
        weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        userDefinedMetadata: json.userDefinedMetadata,
      };
    },
  };
}

/**
 * A small PyTorch result folder's files, written without Python (for host, API and UI tests): the
 * vocabulary of the pattern corpus, random weights in PyTorch's names and layouts, no training. The
 * real writer is scale/ostinato_lstm.py write_result; the conversion tests use that one.
 */
export function torchResultFixture(
  seed = 1,
  name = 'From PyTorch',
): { resultJson: string; weights: Uint8Array } {
  const encoding = { ...defaultEncodingConfig('16th'), transpose: 0 };
  const pieces = patternCorpus(4);
  const vocab = Vocabulary.fromCorpus(pieces, encoding);
  const seqs = pieces.map((p) => encodePiece(p, vocab, encoding));
  const lstm = { vocabSize: vocab.size, embeddingDim: 6, hiddenSize: 8, numLayers: 1, dropout: 0 };
  const rng = Rng.forWeights(seed);
  const tensors: { name: string; shape: number[]; offset: number }[] = [];
  const values: number[] = [];
  for (const spec of torchWeightSpecs(lstm)) {
    tensors.push({ ...spec, offset: 4 * values.length });
    const n = spec.shape.reduce((a, d) => a * d, 1);
    for (let i = 0; i < n; i++) values.push((rng.next() * 2 - 1) * 0.5);
  }
  const weights = new Uint8Array(Float32Array.from(values).buffer);
  const result = {
    format: TORCH_RESULT_FORMAT,
    version: 1,
    name,
    createdAt: '2026-12-01T00:00:00Z',
    lstm,
    weights: {
      file: 'weights.bin',
      dtype: 'float32',
      bytes: weights.length,
      sha256: createHash('sha256').update(weights).digest('hex'),
      tensors,
    },
    training: {
      engine: 'fixture',
      backend: 'gloo',
      device: 'cpu',
      worldSize: 2,
      epochs: 0,
      steps: 0,
      seconds: 0,
      batchSize: 8,
      learningRate: 0.005,
      clipNorm: 1,
      seed,
      bestEpoch: 0,
      history: [],
    },
    heldOutNll: { nll: 3, accuracy: 0.1, tokens: seqs[3].length - 1, pieces: 1 },
    dataset: {
      vocabulary: vocab.toJSON(),
      encoding,
      seqLen: 16,
      split: { valFraction: 0.25, seed },
      baselines: countNgrams(seqs.slice(0, 3), vocab.size),
      splits: {
        train: { pieces: 3, tokens: seqs.slice(0, 3).reduce((a, s) => a + s.length, 0) },
        valid: { pieces: 1, tokens: seqs[3].length },
      },
    },
  };
  return { resultJson: JSON.stringify(result), weights };
}
