/**
 * importMidiFiles: files and folders (searched recursively for .mid/.midi/.kar/.rmi) from disk, each parsed on
 * its own; a file that fails is listed in `skipped` with its reason and the batch goes on.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { MidiImportError, describeThrown } from './errors.js';
import { isMidiFileName } from '../common/file-names.js';
import { parseMidi, type ParsedMidiPiece } from './parse.js';
import { MAX_FILE_BYTES } from './smf-reader.js';

export interface BatchImportOptions {
  /** Called after each file, e.g. for a progress bar. */
  onProgress?: (done: number, total: number, file: string) => void;
  /** Hold notes through the sustain pedal (default true; see sustain.ts). */
  sustain?: boolean;
}

export interface BatchImportResult {
  pieces: { path: string; piece: ParsedMidiPiece }[];
  skipped: { file: string; reason: string }[];
}

async function collect(
  path: string,
  out: string[],
  skipped: BatchImportResult['skipped'],
  explicit: boolean,
): Promise<void> {
  let st;
  try {
    st = await fs.stat(path);
  } catch (err) {
    skipped.push({ file: path, reason: fsReason(err) });
    return;
  }
  if (st.isDirectory()) {
    let names: string[];
    try {
      names = await fs.readdir(path);
    } catch (err) {
      skipped.push({ file: path, reason: fsReason(err) });
      return;
    }
    for (const name of names.sort()) {
      if (name.startsWith('.')) continue;
      await collect(join(path, name), out, skipped, false);
    }
  } else if (st.isFile()) {
    // A file named explicitly is tried whatever its extension; inside folders only .mid/.midi.
    if (explicit || isMidiFileName(path)) out.push(path);
  }
}

function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return `permission denied (${code})`;
  if (code === 'EISDIR') return 'is a folder';
  return describeThrown(err);
}

export async function importMidiFiles(
  paths: string[],
  opts: BatchImportOptions = {},
): Promise<BatchImportResult> {
  const result: BatchImportResult = { pieces: [], skipped: [] };
  const files: string[] = [];
  for (const p of paths) await collect(p, files, result.skipped, true);
  let done = 0;
  for (const file of files) {
    try {
      const st = await fs.stat(file);
      if (st.size > MAX_FILE_BYTES) {
        throw new MidiImportError(
          file,
          `file is too large (${(st.size / 1048576).toFixed(1)} MB; the limit is 50 MB)`,
        );
      }
      const bytes = new Uint8Array(await fs.readFile(file));
      result.pieces.push({ path: file, piece: parseMidi(bytes, file, { sustain: opts.sustain }) });
    } catch (err) {
      result.skipped.push({ file, reason: err instanceof MidiImportError ? err.reason : fsReason(err) });
    }
    opts.onProgress?.(++done, files.length, file);
  }
  return result;
}
