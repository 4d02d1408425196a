/**
 * A PyTorch training result (torch-result.ts) → an Ostinato model folder (model/checkpoint format)
 * that the app's model library lists and `generate`/`eval` load. The folder is written next to its
 * destination under a hidden name, opened with loadModel (the checks every model gets), and renamed
 * into place: it appears complete or not at all. The model cannot be resumed in Ostinato (PyTorch's
 * optimizer state is not carried over); its history holds PyTorch's epochs, whose validation loss is
 * the NLL over whole held-out pieces.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { importStagingPath } from '../checkpoint/bundle.js';
import { validateEncodingConfig } from '../encoding/config.js';
import { saveCheckpoint, type ManifestContent } from '../checkpoint/store.js';
import { loadModel } from '../checkpoint/load.js';
import type { ModelManifest } from '../checkpoint/format.js';
import { parseTorchResult, TORCH_RESULT_FILE, type TorchResult } from './torch-result.js';
import { InputError } from '../common/options.js';

export interface TorchResultFiles {
  /** The text of result.json. */
  resultJson: string;
  /** The weight file it names. */
  weights: Uint8Array;
}

/** Reads a result folder (result.json and the weight file it names). */
export async function readTorchResultFolder(dir: string): Promise<TorchResultFiles> {
  let resultJson: string;
  try {
    resultJson = await fs.readFile(join(dir, TORCH_RESULT_FILE), 'utf8');
  } catch {
    throw new InputError(`${dir} holds no ${TORCH_RESULT_FILE}: it is not a result of scale/train.py`);
  }
  const file = weightFileName(resultJson);
  try {
    return { resultJson, weights: new Uint8Array(await fs.readFile(join(dir, file))) };
  } catch {
    throw new InputError(`${dir}: the weight file ${file} named in ${TORCH_RESULT_FILE} is missing`);
  }
}

/** The weight file result.json names (a plain file name: nothing outside the folder is read). */
export function weightFileName(resultJson: string): string {
  let json: { weights?: { file?: unknown } };
  try {
    json = JSON.parse(resultJson) as typeof json;
  } catch (e) {
    throw new InputError(`${TORCH_RESULT_FILE} is not valid JSON (${(e as Error).message})`);
  }
  const file = json?.weights?.file;
  if (typeof file !== 'string' || !/^[\w.-]{1,100}$/.test(file) || file.startsWith('.'))
    throw new InputError(`${TORCH_RESULT_FILE}: "weights.file" must be a plain file name`);
  return file;
}

function manifestContent(r: TorchResult, name: string): ManifestContent {
  const t = r.training;
  const d = r.dataset;
  const encoding = validateEncodingConfig(d.encoding);
  const best = t.history.find((e) => e.epoch === t.bestEpoch);
  return {
    name,
    createdAt: r.createdAt && !Number.isNaN(Date.parse(r.createdAt)) ? r.createdAt : new Date().toISOString(),
    lstm: { ...r.lstm },
    encoding: { ...encoding },
    vocabulary: [...d.vocabulary],
    hyperparameters: {
      epochs: t.epochs,
      maxSeconds: 0,
      seqLen: d.seqLen,
      batchSize: t.batchSize * t.worldSize,
      learningRate: t.learningRate,
      minLearningRateFactor: 1,
      warmupSteps: 0,
      clipNorm: t.clipNorm,
      valFraction: d.split.valFraction,
      patience: 0,
      seed: t.seed,
    },
    corpus: {
      files: d.splits.train.pieces + d.splits.valid.pieces,
      trainPieces: d.splits.train.pieces,
      valPieces: d.splits.valid.pieces,
      trainTokens: d.splits.train.tokens,
      valTokens: d.splits.valid.tokens,
    },
    history: t.history.map((e) => ({
      epoch: e.epoch,
      trainLoss: e.trainLoss,
      trainAccuracy: e.trainAccuracy,
      valLoss: e.validNll,
      valAccuracy: e.validAccuracy,
      learningRate: e.learningRate,
      seconds: e.seconds,
      tokensPerSecond: e.tokensPerSecond,
    })),
    state: {
      epoch: t.history.length,
      step: t.steps,
      bestValLoss: best ? best.validNll : r.heldOutNll.nll,
      bestEpoch: best ? t.bestEpoch : 0,
      epochsWithoutImprovement: t.history.length - (best ? t.bestEpoch : 0),
      rngState: 0,
      elapsedSeconds: t.seconds,
      stopReason: 'completed',
    },
    baselines: d.baselines,
  };
}

/**
 * Converts a PyTorch result into a new model folder `destDir` (which must not exist). `name`
 * defaults to the result's name. Returns the manifest and the result (for its held-out NLL).
 */
export async function importTorchResult(
  files: TorchResultFiles,
  destDir: string,
  opts: { name?: string } = {},
): Promise<{ manifest: ModelManifest; result: TorchResult }> {
  let json: unknown;
  try {
    json = JSON.parse(files.resultJson);
  } catch (e) {
    throw new InputError(`${TORCH_RESULT_FILE} is not valid JSON (${(e as Error).message})`);
  }
  const { result, weights } = parseTorchResult(json, files.weights);
  const content = manifestContent(result, opts.name ?? result.name);
  const tmp = await importStagingPath(destDir);
  try {
    await saveCheckpoint(tmp, content, { weights });
    const { manifest } = await loadModel(tmp); // what lands in destDir opens
    await fs.rename(tmp, destDir);
    return { manifest: { ...manifest }, result };
  } catch (e) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw e;
  }
}
