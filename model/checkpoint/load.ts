import { basename, resolve } from 'node:path';
import type { GridName } from '../common/types.js';
import type { LstmConfig, NamedTensorData } from '../lstm/types.js';
import { checkWeights, countParameters } from '../lstm/weights.js';
import { Vocabulary } from '../encoding/vocabulary.js';
import { validateEncodingConfig, type EncodingConfig } from '../encoding/config.js';
import { ModelFormatError, type ModelManifest, type ModelSummary } from './format.js';

export type { ModelSummary };
import { readBlob, readManifest } from './store.js';

/** A model ready for generation and evaluation. */
export interface LoadedModel {
  dir: string;
  manifest: ModelManifest;
  config: LstmConfig;
  vocab: Vocabulary;
  encoding: EncodingConfig;
  /** The best epoch's weights. */
  weights: NamedTensorData[];
  info: ModelSummary;
}

export function summarizeManifest(dir: string, m: ModelManifest): ModelSummary {
  return {
    id: basename(resolve(dir)),
    name: m.name,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
    epochs: m.state.epoch,
    parameters: countParameters(m.lstm),
    vocabSize: m.lstm.vocabSize,
    grid: (m.encoding as { grid?: GridName }).grid ?? '16th',
    bestValLoss: m.state.bestValLoss,
    bestEpoch: m.state.bestEpoch,
    bigramValLoss: m.corpus.bigramValLoss ?? null,
    corpusFiles: m.corpus.files,
    canResume: m.resume !== null,
    stopReason: m.state.stopReason,
  };
}

/** Reads model.json only (fast: for model lists). Same errors as loadModel for the manifest. */
export async function readModelInfo(dir: string): Promise<ModelSummary> {
  const m = await readManifest(dir);
  parseVocabAndEncoding(dir, m);
  return summarizeManifest(dir, m);
}

export function parseVocabAndEncoding(
  dir: string,
  m: ModelManifest,
): { vocab: Vocabulary; encoding: EncodingConfig } {
  let vocab: Vocabulary;
  let encoding: EncodingConfig;
  try {
    vocab = Vocabulary.fromJSON(m.vocabulary);
    encoding = validateEncodingConfig(m.encoding);
    const config: LstmConfig = m.lstm;
    countParameters(config); // validates the network settings
  } catch (e) {
    throw new ModelFormatError('corrupt', `${dir}: ${(e as Error).message}`);
  }
  return { vocab, encoding };
}

/** Wraps B's weight check into a ModelFormatError naming the folder. */
export function checkModelWeights(
  dir: string,
  config: LstmConfig,
  weights: NamedTensorData[],
  what = 'weights',
): void {
  try {
    checkWeights(config, weights);
  } catch (e) {
    throw new ModelFormatError(
      'mismatch',
      `The model in ${dir} does not fit together (${what} vs. vocabulary of ${config.vocabSize} tokens and network settings): ${(e as Error).message}`,
    );
  }
}

/**
 * Loads and checks a model folder: manifest, vocabulary, encoding config, the best weights (size,
 * checksum, shapes against the vocabulary and network settings). Throws ModelFormatError with a
 * readable message for every problem.
 */
export async function loadModel(dir: string): Promise<LoadedModel> {
  const manifest = await readManifest(dir);
  const { vocab, encoding } = parseVocabAndEncoding(dir, manifest);
  const weights = await readBlob(dir, manifest.weights);
  checkModelWeights(dir, manifest.lstm, weights);
  return {
    dir,
    manifest,
    config: { ...manifest.lstm },
    vocab,
    encoding,
    weights,
    info: summarizeManifest(dir, manifest),
  };
}
