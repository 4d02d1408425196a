import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BUNDLE_EXTENSION, importModelBundle, loadModel, type LoadedModel } from '../model/index.js';

/**
 * `--model` accepts a model folder or a one-file bundle (.ostinato, from the app's Save Model As…):
 * a bundle is unpacked into a temporary folder (checked like any import), loaded, and the folder
 * removed again.
 */
export async function loadModelArg(path: string): Promise<LoadedModel> {
  const abs = resolve(path);
  const st = await fs.stat(abs).catch(() => null);
  if (!st?.isFile() || !abs.toLowerCase().endsWith(BUNDLE_EXTENSION)) return loadModel(abs);
  const tmp = await fs.mkdtemp(join(tmpdir(), 'ostinato-bundle-'));
  try {
    await importModelBundle(new Uint8Array(await fs.readFile(abs)), join(tmp, 'model'), path);
    return { ...(await loadModel(join(tmp, 'model'))), dir: abs };
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}
