import { promises as fs } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { atomicTempTarget, describeFsError, writeFileAtomic, writeJsonAtomic } from '../core/atomic-write.js';
import type { NamedTensorData } from '../lstm/types.js';
import {
  MANIFEST_FILE,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  ModelFormatError,
  isBlobFileName,
  validateManifest,
  type BlobRef,
  type ModelManifest,
} from './format.js';

/**
 * Reading and writing model folders (see format.ts). Saving is crash-safe:
 * 1. each tensor set goes to a content-named file (weights-<sha256 prefix>.bin) written atomically;
 * 2. model.json is written atomically: this is the commit point;
 * 3. only then are weight/optimizer files that model.json no longer names deleted.
 * A crash before step 2 leaves the previous model.json and its files untouched; a crash after it
 * leaves at worst unreferenced files, deleted by the next save.
 */

/** What a caller fills in; `format`, `version`, the blob references and `updatedAt` are added on save. */
export type ManifestContent = Omit<ModelManifest, 'format' | 'version' | 'weights' | 'resume' | 'updatedAt'>;

export interface CheckpointTensors {
  /** Weights for generation (the best epoch). */
  weights: NamedTensorData[];
  /** Latest weights and optimizer state for resuming; omit to save a model that cannot be resumed. */
  resume?: { weights: NamedTensorData[]; optimizer: NamedTensorData[] };
}

export function serializeTensors(tensors: readonly NamedTensorData[]): {
  bytes: Uint8Array;
  entries: BlobRef['tensors'];
} {
  let total = 0;
  const entries = tensors.map((t) => {
    const n = t.shape.reduce((a, d) => a * d, 1);
    if (n !== t.data.length)
      throw new Error(`tensor ${t.name}: shape [${t.shape}] holds ${n} values, data has ${t.data.length}`);
    const e = { name: t.name, shape: [...t.shape], offset: total };
    total += n * 4;
    return e;
  });
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  tensors.forEach((t, i) => {
    let o = entries[i].offset;
    for (let j = 0; j < t.data.length; j++, o += 4) view.setFloat32(o, t.data[j], true);
  });
  return { bytes, entries };
}

export function deserializeTensors(bytes: Uint8Array, entries: BlobRef['tensors']): NamedTensorData[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return entries.map((e) => {
    const n = e.shape.reduce((a, d) => a * d, 1);
    const data = new Float32Array(n);
    for (let j = 0, o = e.offset; j < n; j++, o += 4) data[j] = view.getFloat32(o, true);
    return { name: e.name, shape: [...e.shape], data };
  });
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function writeBlob(
  dir: string,
  prefix: 'weights' | 'optimizer',
  tensors: readonly NamedTensorData[],
): Promise<BlobRef> {
  const { bytes, entries } = serializeTensors(tensors);
  const hash = sha256(bytes);
  const file = `${prefix}-${hash.slice(0, 16)}.bin`;
  const path = join(dir, file);
  // Same name = same content: keep an intact existing file, rewrite a damaged one.
  const existing = await fs.readFile(path).catch(() => null);
  if (!existing || existing.length !== bytes.length || sha256(existing) !== hash)
    await writeFileAtomic(path, bytes);
  return { file, bytes: bytes.length, sha256: hash, tensors: entries };
}

/** Creates the model folder; a failure names the folder and the real reason. */
async function makeModelFolder(dir: string): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (err) {
    // Node's recursive mkdir reports ENOENT when the parent is read-only; a plain mkdir gives the real code.
    const real = await fs.mkdir(dir).then(
      () => null,
      (e: NodeJS.ErrnoException) => e,
    );
    if (!real) return;
    const e = real.code === 'ENOENT' ? (err as NodeJS.ErrnoException) : real;
    throw new Error(`Could not save the model in ${dir}: ${describeFsError(e.code ?? e.message)}`, {
      cause: e,
    });
  }
}

/** Saves a checkpoint into `dir` (created if needed). Returns the manifest as written. */
export async function saveCheckpoint(
  dir: string,
  content: ManifestContent,
  tensors: CheckpointTensors,
): Promise<ModelManifest> {
  await makeModelFolder(dir);
  const weights = await writeBlob(dir, 'weights', tensors.weights);
  const resume = tensors.resume
    ? {
        weights: await writeBlob(dir, 'weights', tensors.resume.weights),
        optimizer: await writeBlob(dir, 'optimizer', tensors.resume.optimizer),
      }
    : null;
  const manifest: ModelManifest = {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    ...content,
    updatedAt: new Date().toISOString(),
    weights,
    resume,
  };
  validateManifest(manifest, dir); // never commit something we could not read back
  await writeJsonAtomic(join(dir, MANIFEST_FILE), manifest);
  await removeStaleFiles(dir, manifest);
  return manifest;
}

/** Deletes weight/optimizer files the manifest does not name, and leftover temp files of them. */
export async function removeStaleFiles(dir: string, manifest: ModelManifest): Promise<string[]> {
  const keep = new Set(referencedFiles(manifest));
  const removed: string[] = [];
  for (const name of await fs.readdir(dir)) {
    const target = atomicTempTarget(name); // a temp file of an interrupted save
    const stale = isBlobFileName(name)
      ? !keep.has(name)
      : target !== null && (target === MANIFEST_FILE || isBlobFileName(target));
    if (!stale) continue;
    await fs.rm(join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

export function referencedFiles(m: ModelManifest): string[] {
  const files = [m.weights.file];
  if (m.resume) files.push(m.resume.weights.file, m.resume.optimizer.file);
  return [...new Set(files)];
}

/** Reads and validates model.json of a folder, with a clear message for every way it can be wrong. */
export async function readManifest(dir: string): Promise<ModelManifest> {
  let st;
  try {
    st = await fs.stat(dir);
  } catch {
    throw new ModelFormatError('not-a-model', `Model folder ${dir} does not exist`);
  }
  if (!st.isDirectory())
    throw new ModelFormatError('not-a-model', `${dir} is not a model folder (it is a file)`);
  let text: string;
  try {
    text = await fs.readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch {
    throw new ModelFormatError('not-a-model', `${dir} is not an Ostinato model folder (no ${MANIFEST_FILE})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ModelFormatError(
      'corrupt',
      `${join(dir, MANIFEST_FILE)} is corrupt (not valid JSON: ${(e as Error).message})`,
    );
  }
  return validateManifest(json, dir);
}

/** Gives the model in `dir` a new name: model.json rewritten atomically (as the current version). */
export async function renameModel(dir: string, name: string): Promise<ModelManifest> {
  const renamed: ModelManifest = { ...(await readManifest(dir)), name, updatedAt: new Date().toISOString() };
  await writeJsonAtomic(join(dir, MANIFEST_FILE), renamed);
  return renamed;
}

/** Reads one tensor file and checks its size and SHA-256 against the manifest. */
export async function readBlob(dir: string, ref: BlobRef): Promise<NamedTensorData[]> {
  const path = join(dir, ref.file);
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(path);
  } catch {
    throw new ModelFormatError('missing-file', `The model in ${dir} is incomplete: ${ref.file} is missing`);
  }
  if (bytes.length !== ref.bytes)
    throw new ModelFormatError(
      'corrupt',
      `The model in ${dir} is damaged: ${ref.file} has ${bytes.length} bytes, expected ${ref.bytes}`,
    );
  if (sha256(bytes) !== ref.sha256)
    throw new ModelFormatError(
      'corrupt',
      `The model in ${dir} is damaged: ${ref.file} does not match its checksum`,
    );
  return deserializeTensors(bytes, ref.tensors);
}
