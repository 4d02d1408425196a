/**
 * The model library: models the user trained or imported, one folder each under
 * <userData>/models/<id>/ (the model folder format of model/checkpoint), plus the default model
 * bundled with the app (read-only, listed first, `bundled: true`, id "default"). Rename rewrites the
 * manifest atomically; delete refuses the bundled model; import unpacks a bundle, or converts a
 * PyTorch result (scale/train.py), into a new folder that appears complete or not at all.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { ImportFile, ModelInfo } from '../shared/api.js';
import {
  BUNDLE_EXTENSION,
  MANIFEST_FILE,
  atomicTempTarget,
  exportModelBundle,
  importModelBundle,
  importTorchResult,
  readModelInfo,
  weightFileName,
  TORCH_RESULT_FILE,
  type ModelSummary,
  renameModel,
} from '../../model/index.js';
import { ID_PATTERN } from '../shared/validate.js';
import { SerialQueue, errorMessage, fileNameFor, newId, removeLeftovers } from './util.js';

export const BUNDLED_MODEL_ID = 'default';

export class ModelLibrary {
  readonly dir: string;
  private readonly queue = new SerialQueue();

  constructor(
    userDataDir: string,
    /** The bundled default model's folder (assets/models/default); may not exist in a dev checkout. */
    private readonly bundledDir: string | null,
  ) {
    this.dir = join(userDataDir, 'models');
  }

  async init(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    // Leftovers of an interrupted delete (.deleted-<id>-<time>) or bundle import (.<id>.import-<hex>):
    // never listed, removed here; so are the temp files of killed saves inside the model folders
    // (a killed rename's model.json, a killed checkpoint's files).
    await removeLeftovers(this.dir, (name) => /^\.deleted-|^\.m-[0-9a-f]+\.import-/.test(name));
    for (const name of await fs.readdir(this.dir)) {
      if (ID_PATTERN.test(name))
        await removeLeftovers(join(this.dir, name), (file) => atomicTempTarget(file) !== null);
    }
  }

  /** The folder of a model; throws a clear error for an unknown id. */
  async folder(id: string): Promise<string> {
    if (id === BUNDLED_MODEL_ID) {
      if (this.bundledDir && (await exists(join(this.bundledDir, MANIFEST_FILE)))) return this.bundledDir;
      throw new Error('The bundled default model is not installed (assets/models/default is missing)');
    }
    if (!ID_PATTERN.test(id) || !(await exists(join(this.dir, id, MANIFEST_FILE)))) {
      throw new Error(`There is no model with id "${id}" (it may have been deleted)`);
    }
    return join(this.dir, id);
  }

  /** A fresh folder path for a new model (training writes its checkpoints there). */
  newModelDir(): { id: string; dir: string } {
    const id = newId('m');
    return { id, dir: join(this.dir, id) };
  }

  static info(id: string, sum: ModelSummary, bundled: boolean): ModelInfo {
    return {
      id,
      name: sum.name,
      bundled,
      createdAt: sum.createdAt,
      epochs: sum.epochs,
      parameters: sum.parameters,
      vocabSize: sum.vocabSize,
      grid: sum.grid,
      bestValLoss: sum.bestValLoss,
      bigramValLoss: sum.bigramValLoss,
      corpusFiles: sum.corpusFiles,
    };
  }

  async get(id: string): Promise<ModelInfo> {
    return ModelLibrary.info(id, await readModelInfo(await this.folder(id)), id === BUNDLED_MODEL_ID);
  }

  /** Bundled model first, then the user's models, newest first. Unreadable folders are left out. */
  async list(): Promise<ModelInfo[]> {
    const out: ModelInfo[] = [];
    if (this.bundledDir && (await exists(join(this.bundledDir, MANIFEST_FILE)))) {
      try {
        out.push(ModelLibrary.info(BUNDLED_MODEL_ID, await readModelInfo(this.bundledDir), true));
      } catch {
        /* a broken install: the user's models are still listed */
      }
    }
    const mine: ModelInfo[] = [];
    let names: string[] = [];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      /* no models yet */
    }
    for (const name of names) {
      if (!ID_PATTERN.test(name) || name === BUNDLED_MODEL_ID) continue;
      try {
        mine.push(ModelLibrary.info(name, await readModelInfo(join(this.dir, name)), false));
      } catch {
        /* not a finished model folder (training has not saved its first epoch yet) */
      }
    }
    mine.sort((a, b) =>
      a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id.localeCompare(b.id),
    );
    return [...out, ...mine];
  }

  rename(id: string, name: string): Promise<ModelInfo> {
    return this.queue.run(async () => {
      if (id === BUNDLED_MODEL_ID)
        throw new Error(
          'The bundled default model cannot be renamed (export it and import the copy to get an editable one)',
        );
      const dir = await this.folder(id);
      await readModelInfo(dir); // a valid model before and after
      await renameModel(dir, name);
      return ModelLibrary.info(id, await readModelInfo(dir), false);
    });
  }

  delete(id: string, busy: (id: string) => boolean): Promise<void> {
    return this.queue.run(async () => {
      if (id === BUNDLED_MODEL_ID) throw new Error('The bundled default model cannot be deleted');
      if (busy(id)) throw new Error('This model is being trained; cancel the training before deleting it');
      const dir = await this.folder(id);
      // Move it out of the library first (one atomic rename), then remove the files.
      const trash = join(this.dir, `.deleted-${id}-${Date.now()}`);
      await fs.rename(dir, trash);
      await fs.rm(trash, { recursive: true, force: true });
    });
  }

  async exportBundle(id: string): Promise<{ name: string; data: Uint8Array }> {
    const dir = await this.folder(id);
    const info = await readModelInfo(dir);
    return { name: fileNameFor(info.name, BUNDLE_EXTENSION), data: await exportModelBundle(dir) };
  }

  importBundle(name: string, data: Uint8Array): Promise<ModelInfo> {
    return this.queue.run(async () => {
      const { id, dir } = this.newModelDir();
      try {
        await importModelBundle(data, dir, name);
        try {
          return ModelLibrary.info(id, await readModelInfo(dir), false);
        } catch (err) {
          await fs.rm(dir, { recursive: true, force: true });
          throw err;
        }
      } catch (err) {
        const msg = errorMessage(err);
        throw new Error(msg.includes(name) ? msg : `Could not import ${name}: ${msg}`, { cause: err });
      }
    });
  }

  /** The files of a PyTorch result folder (result.json + the weight file it names) → a new model. */
  importTorch(files: ImportFile[]): Promise<ModelInfo> {
    return this.queue.run(async () => {
      const base = (f: ImportFile) => f.name.split(/[\\/]/).pop()!;
      const result = files.find((f) => base(f) === TORCH_RESULT_FILE);
      if (!result)
        throw new Error(
          `Choose the ${TORCH_RESULT_FILE} of a PyTorch result folder (scale/train.py writes it) together with its weight file`,
        );
      const resultJson = new TextDecoder().decode(result.data);
      const weightsName = weightFileName(resultJson);
      const weights = files.find((f) => base(f) === weightsName);
      if (!weights)
        throw new Error(`${TORCH_RESULT_FILE} names the weight file ${weightsName}: choose it too`);
      const { id, dir } = this.newModelDir();
      try {
        await importTorchResult({ resultJson, weights: weights.data }, dir);
        return ModelLibrary.info(id, await readModelInfo(dir), false);
      } catch (err) {
        await fs.rm(dir, { recursive: true, force: true });
        throw new Error(`Could not import the PyTorch model: ${errorMessage(err)}`, { cause: err });
      }
    });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await fs.access(path);
    return true;
  } catch {
    return false;
  }
}
