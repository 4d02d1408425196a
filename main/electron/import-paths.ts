/**
 * Reads the files and folders chosen in a native "Import MIDI…" dialog into ImportFile batches for
 * the corpus: folders are searched recursively for .mid/.midi (hidden entries and symbolic links
 * are skipped), a file chosen explicitly is tried whatever its extension; files over the size limit
 * or unreadable are reported with their reason. Batches stay under the per-call payload limit.
 * Pure Node (no Electron), so it is tested like the services.
 */
import { promises as fs } from 'node:fs';
import { basename, join, relative, dirname } from 'node:path';
import type { ImportFile } from '../shared/api.js';
import { LIMITS, formatBytes } from '../shared/validate.js';
import { isMidiFileName } from '../../model/index.js';

export interface ReadPathsResult {
  batches: ImportFile[][];
  skipped: { name: string; reason: string }[];
}

const MAX_FILES = 20000;

export async function readImportPaths(paths: string[]): Promise<ReadPathsResult> {
  const found: { path: string; name: string }[] = [];
  const skipped: ReadPathsResult['skipped'] = [];
  const walk = async (path: string, base: string, explicit: boolean): Promise<void> => {
    if (found.length >= MAX_FILES) return;
    let st: import('node:fs').Stats;
    try {
      st = await fs.lstat(path);
    } catch (err) {
      skipped.push({ name: relative(base, path) || basename(path), reason: fsReason(err) });
      return;
    }
    if (st.isSymbolicLink() && !explicit) return;
    if (st.isSymbolicLink()) {
      const link = st;
      st = await fs.stat(path).catch(() => link);
    }
    if (st.isDirectory()) {
      const names = await fs.readdir(path).catch(() => [] as string[]);
      for (const n of names.sort()) if (!n.startsWith('.')) await walk(join(path, n), base, false);
    } else if (st.isFile() && (explicit || isMidiFileName(path))) {
      found.push({ path, name: relative(base, path).split(/[\\/]/).join('/') });
    }
  };
  for (const p of paths) await walk(p, dirname(p), true);
  if (found.length >= MAX_FILES)
    skipped.push({ name: '…', reason: `only the first ${MAX_FILES} files are imported at once` });

  const batches: ImportFile[][] = [];
  let batch: ImportFile[] = [];
  let bytes = 0;
  for (const f of found) {
    let data: Uint8Array;
    try {
      const st = await fs.stat(f.path);
      if (st.size > LIMITS.maxFileBytes) {
        skipped.push({
          name: f.name,
          reason: `file is too large (${formatBytes(st.size)}; the limit is ${formatBytes(LIMITS.maxFileBytes)})`,
        });
        continue;
      }
      data = new Uint8Array(await fs.readFile(f.path));
    } catch (err) {
      skipped.push({ name: f.name, reason: fsReason(err) });
      continue;
    }
    if (batch.length >= 500 || bytes + data.byteLength > LIMITS.maxCallBytes) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push({ name: f.name, data });
    bytes += data.byteLength;
  }
  if (batch.length) batches.push(batch);
  return { batches, skipped };
}

function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return `permission denied (${code})`;
  return (err as Error)?.message ?? String(err);
}
