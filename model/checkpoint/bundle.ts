import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { MANIFEST_FILE, ModelFormatError, isBlobFileName, type ModelManifest } from './format.js';
import { readBlob, readManifest, referencedFiles, removeStaleFiles } from './store.js';
import { checkModelWeights, loadModel } from './load.js';
import { InputError } from '../common/options.js';

/**
 * One-file model bundles (.ostinato) for "Save Model As…" / "Open Model…":
 *   8 bytes magic "OSTMODEL", uint32 LE header length, header JSON
 *   { format: 'ostinato-bundle', version: 1, files: [{ name, bytes }] }, then the files' bytes.
 * The files are the model folder's model.json and the weight/optimizer files it names.
 */

export const BUNDLE_MAGIC = 'OSTMODEL';
export const BUNDLE_VERSION = 1;
export const BUNDLE_EXTENSION = '.ostinato';

interface BundleHeader {
  format: 'ostinato-bundle';
  version: number;
  files: { name: string; bytes: number }[];
}

export interface ExportOptions {
  /** Include the optimizer state and latest weights so training can be resumed (default true). */
  includeResumeState?: boolean;
}

/** Packs a model folder into one byte array (after checking the folder loads). */
export async function exportModelBundle(dir: string, options: ExportOptions = {}): Promise<Uint8Array> {
  let manifest = await readManifest(dir);
  if (options.includeResumeState === false) manifest = { ...manifest, resume: null };
  const files: { name: string; data: Uint8Array }[] = [
    { name: MANIFEST_FILE, data: new TextEncoder().encode(JSON.stringify(manifest, null, 2) + '\n') },
  ];
  for (const name of referencedFiles(manifest)) {
    const ref = [manifest.weights, manifest.resume?.weights, manifest.resume?.optimizer].find(
      (r) => r?.file === name,
    )!;
    await readBlob(dir, ref); // verify size and checksum before packing
    files.push({ name, data: await fs.readFile(join(dir, name)) });
  }
  return packModelBundle(files);
}

/** The bundle of the given files (model.json and the weight/optimizer files it names). */
export function packModelBundle(files: readonly { name: string; data: Uint8Array }[]): Uint8Array {
  const header: BundleHeader = {
    format: 'ostinato-bundle',
    version: BUNDLE_VERSION,
    files: files.map((f) => ({ name: f.name, bytes: f.data.length })),
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const total = 12 + headerBytes.length + files.reduce((a, f) => a + f.data.length, 0);
  const out = new Uint8Array(total);
  out.set(new TextEncoder().encode(BUNDLE_MAGIC), 0);
  new DataView(out.buffer).setUint32(8, headerBytes.length, true);
  out.set(headerBytes, 12);
  let o = 12 + headerBytes.length;
  for (const f of files) {
    out.set(f.data, o);
    o += f.data.length;
  }
  return out;
}

/** Splits a bundle into its files, with clear errors for anything that is not a valid bundle. */
export function parseModelBundle(
  bytes: Uint8Array,
  label = 'The file',
): { name: string; data: Uint8Array }[] {
  const bad = (why: string): never => {
    throw new ModelFormatError('not-a-model', `${label} is not an Ostinato model bundle (${why})`);
  };
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== BUNDLE_MAGIC)
    bad('wrong file signature');
  const headerLen = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  if (12 + headerLen > bytes.length) bad('truncated header');
  let header: BundleHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLen)));
  } catch {
    return bad('unreadable header');
  }
  if (
    !header ||
    typeof header !== 'object' ||
    header.format !== 'ostinato-bundle' ||
    !Array.isArray(header.files)
  )
    bad('unknown header');
  if (!Number.isInteger(header.version) || header.version > BUNDLE_VERSION)
    throw new ModelFormatError(
      'newer-version',
      `${label} was saved by a newer version of Ostinato (bundle version ${header.version}; this version reads up to ${BUNDLE_VERSION})`,
    );
  let o = 12 + headerLen;
  const out: { name: string; data: Uint8Array }[] = [];
  const names = new Set<string>();
  for (const f of header.files) {
    if (typeof f?.name !== 'string' || !(f.name === MANIFEST_FILE || isBlobFileName(f.name)))
      bad(`unexpected entry ${String(f?.name)}`);
    if (names.has(f.name)) bad(`${f.name} appears twice`);
    names.add(f.name);
    if (!Number.isInteger(f.bytes) || f.bytes < 0 || o + f.bytes > bytes.length)
      throw new ModelFormatError('corrupt', `${label} is truncated or damaged (${f.name} does not fit)`);
    out.push({ name: f.name, data: bytes.subarray(o, o + f.bytes) });
    o += f.bytes;
  }
  if (o !== bytes.length)
    throw new ModelFormatError('corrupt', `${label} is damaged (unexpected trailing data)`);
  if (!out.some((f) => f.name === MANIFEST_FILE)) bad('no model.json inside');
  return out;
}

/**
 * For an import into `destDir` (which must not exist yet): the hidden folder beside it where the
 * files are put together before one rename moves them into place (the model library removes such
 * leftovers of a killed import at start). Creates the parent folder.
 */
export async function importStagingPath(destDir: string): Promise<string> {
  if (
    await fs.stat(destDir).then(
      () => true,
      () => false,
    )
  )
    throw new InputError(`Cannot import the model: ${destDir} already exists`);
  await fs.mkdir(dirname(destDir), { recursive: true });
  return join(dirname(destDir), `.${basename(destDir)}.import-${randomBytes(4).toString('hex')}`);
}

/**
 * Unpacks a bundle into `destDir`, which must not exist yet. The files go to a hidden temporary
 * folder beside it, are checked as loadModel checks a model (manifest, vocabulary, encoding, weights
 * against them) plus every checksum, and the folder is then renamed into place, so `destDir` either appears complete or not at all. Returns the manifest.
 */
export async function importModelBundle(
  bytes: Uint8Array,
  destDir: string,
  label?: string,
): Promise<ModelManifest> {
  const files = parseModelBundle(bytes, label);
  const tmp = await importStagingPath(destDir);
  await fs.mkdir(tmp);
  try {
    for (const f of files) {
      const h = await fs.open(join(tmp, f.name), 'wx');
      try {
        await h.writeFile(f.data);
        await h.sync();
      } finally {
        await h.close();
      }
    }
    // The checks of loadModel (manifest, vocabulary, encoding, network settings, best weights against
    // them), and the resume state's files too: what lands in `destDir` opens.
    const relabel = (e: Error): never => {
      throw new ModelFormatError(
        (e as ModelFormatError).code ?? 'corrupt',
        e.message.split(tmp).join(label ?? 'the bundle'),
      );
    };
    const { manifest } = await loadModel(tmp).catch(relabel);
    if (manifest.resume) {
      const resumeWeights = await readBlob(tmp, manifest.resume.weights).catch(relabel);
      try {
        checkModelWeights(tmp, manifest.lstm, resumeWeights, 'resume weights');
      } catch (e) {
        relabel(e as Error);
      }
      await readBlob(tmp, manifest.resume.optimizer).catch(relabel);
    }
    await removeStaleFiles(tmp, manifest);
    await fs.rename(tmp, destDir);
    return manifest;
  } catch (e) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw e;
  }
}
