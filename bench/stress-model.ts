/**
 * Model folders for the reliability checks: a synthetic checkpoint in the real format (real LSTM
 * weight layout from model/lstm, a vocabulary of real token names, version number in state.epoch) and
 * a strict check of a folder on disk: model.json parses and validates, every file it names exists with
 * the listed size and checksum, and the weights fit the network.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import {
  type CheckpointTensors,
  type ManifestContent,
  readBlob,
  readManifest,
  referencedFiles,
  type EpochRecord,
  type ModelManifest,
  SPECIAL_TOKENS,
  tokenName,
  defaultEncodingConfig,
  countParameters,
  checkWeights,
  initWeights,
  type LstmConfig,
  type NamedTensorData,
} from '../model/index.js';

export function syntheticVocabulary(notes = 24): string[] {
  const v: string[] = [...SPECIAL_TOKENS];
  for (let s = 1; s <= 16; s++) v.push(tokenName('SHIFT', s));
  for (let p = 0; p < notes; p++) v.push(tokenName('NOTE', 48 + p));
  for (let d = 1; d <= 16; d++) v.push(tokenName('DUR', d));
  return v;
}

/**
 * Checkpoint number `version` (state.epoch = version) of a model of `hiddenSize`. Weights differ per
 * version, so a mix of two versions is detectable by the checksums.
 */
export function syntheticCheckpoint(
  version: number,
  hiddenSize = 96,
): { content: ManifestContent; tensors: CheckpointTensors } {
  const vocabulary = syntheticVocabulary();
  const lstm: LstmConfig = {
    vocabSize: vocabulary.length,
    embeddingDim: 32,
    hiddenSize,
    numLayers: 2,
    dropout: 0.1,
  };
  const history: EpochRecord[] = Array.from({ length: version }, (_, i) => ({
    epoch: i + 1,
    trainLoss: 3 / (i + 1),
    trainAccuracy: 0.1,
    valLoss: 3.2 / (i + 1),
    valAccuracy: 0.1,
    learningRate: 0.002,
    seconds: 1,
    tokensPerSecond: 1000,
  }));
  const weights = initWeights(lstm, version);
  const optimizer: NamedTensorData[] = weights.flatMap((w) => [
    { name: `${w.name}/m`, shape: w.shape, data: w.data.map((x) => x * 0.01) },
    { name: `${w.name}/v`, shape: w.shape, data: w.data.map((x) => x * x) },
  ]);
  const content: ManifestContent = {
    name: `stress v${version}`,
    createdAt: '2026-01-01T00:00:00.000Z',
    lstm,
    encoding: { ...defaultEncodingConfig('16th') },
    vocabulary,
    hyperparameters: {
      epochs: 1000,
      maxSeconds: 0,
      seqLen: 64,
      batchSize: 16,
      learningRate: 0.002,
      minLearningRateFactor: 0.1,
      warmupSteps: 0,
      clipNorm: 1,
      valFraction: 0.1,
      patience: 0,
      seed: 1,
    },
    corpus: { files: 2, trainPieces: 1, valPieces: 1, trainTokens: 100, valTokens: 10 },
    history,
    state: {
      epoch: version,
      step: version * 10,
      bestValLoss: version ? 3.2 / version : null,
      bestEpoch: version,
      epochsWithoutImprovement: 0,
      rngState: version,
      elapsedSeconds: version,
      stopReason: null,
    },
    baselines: null,
  };
  return { content, tensors: { weights, resume: { weights, optimizer } } };
}

export interface FolderCheck {
  manifest: ModelManifest;
  /** Files in the folder that model.json does not name (left by a killed save; removed by the next one). */
  unreferenced: string[];
}

/**
 * Checks a model folder completely; throws a description of the first problem. `weightsFit` also
 * checks the weights against the LSTM layout of the manifest's config.
 */
export async function checkModelFolder(dir: string, weightsFit = true): Promise<FolderCheck> {
  const manifest = await readManifest(dir);
  const named = referencedFiles(manifest);
  for (const ref of [
    manifest.weights,
    ...(manifest.resume ? [manifest.resume.weights, manifest.resume.optimizer] : []),
  ]) {
    const tensors = await readBlob(dir, ref); // size and SHA-256
    if (weightsFit && ref !== manifest.resume?.optimizer) {
      checkWeights(manifest.lstm, tensors);
      const total = tensors.reduce((a, t) => a + t.data.length, 0);
      if (total !== countParameters(manifest.lstm))
        throw new Error(`${dir}: ${ref.file} has ${total} values`);
    }
  }
  const names = await fs.readdir(dir);
  const unreferenced = names.filter((n) => n !== 'model.json' && !named.includes(n));
  for (const n of named) if (!names.includes(n)) throw new Error(`${join(dir, n)} is missing`);
  return { manifest, unreferenced };
}
