/**
 * Turning what the user chose or dropped into ImportFile[]: files from <input type=file> (with
 * webkitRelativePath for folders) and DataTransfer items (folders walked with webkitGetAsEntry).
 * Files the user picked one by one always go to the host (which explains what is wrong with them);
 * inside folders only MIDI file names (.mid/.midi/.kar/.rmi) are taken and the others are listed as skipped.
 */
import type { ImportFile } from '../../main/shared/api.js';
// Browser-safe module of the core: the one list of MIDI file extensions.
import { isMidiFileName } from '../../model/common/file-names.js';

export interface Collected {
  files: File[];
  names: string[]; // relative path per file
  skipped: { name: string; reason: string }[];
}

export function fromFileList(list: FileList | File[], fromFolder: boolean): Collected {
  const out: Collected = { files: [], names: [], skipped: [] };
  for (const f of Array.from(list)) {
    const name = (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name;
    if (fromFolder && !isMidiFileName(name)) {
      out.skipped.push({ name, reason: 'not a MIDI file name (.mid, .midi, .kar, .rmi)' });
      continue;
    }
    out.files.push(f);
    out.names.push(name);
  }
  return out;
}

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function entryFile(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function walk(entry: FileSystemEntry, path: string, out: Collected, inFolder: boolean): Promise<void> {
  if (entry.isFile) {
    if (inFolder && !isMidiFileName(path)) {
      out.skipped.push({ name: path, reason: 'not a MIDI file name (.mid, .midi, .kar, .rmi)' });
      return;
    }
    try {
      out.files.push(await entryFile(entry as FileSystemFileEntry));
      out.names.push(path);
    } catch (err) {
      out.skipped.push({ name: path, reason: `could not be read (${(err as Error).message ?? err})` });
    }
    return;
  }
  if (entry.isDirectory) {
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    // readEntries returns at most ~100 entries per call: read until it returns none.
    for (;;) {
      let batch: FileSystemEntry[];
      try {
        batch = await readEntries(reader);
      } catch (err) {
        out.skipped.push({
          name: path,
          reason: `folder could not be read (${(err as Error).message ?? err})`,
        });
        return;
      }
      if (!batch.length) break;
      for (const child of batch) await walk(child, `${path}/${child.name}`, out, true);
    }
  }
}

/** Everything dropped: files and (recursively) folders. Must be called during the drop event. */
export async function fromDataTransfer(dt: DataTransfer): Promise<Collected> {
  const out: Collected = { files: [], names: [], skipped: [] };
  const entries: FileSystemEntry[] = [];
  const loose: File[] = [];
  // Entries must be taken synchronously: the DataTransfer is emptied after the event returns.
  for (const item of Array.from(dt.items ?? [])) {
    if (item.kind !== 'file') continue;
    const entry = typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null;
    if (entry) entries.push(entry);
    else {
      const f = item.getAsFile();
      if (f) loose.push(f);
    }
  }
  if (!entries.length && !loose.length) loose.push(...Array.from(dt.files ?? []));
  for (const e of entries) await walk(e, e.name, out, false);
  for (const f of loose) {
    out.files.push(f);
    out.names.push(f.name);
  }
  return out;
}

/** Reads the collected files' bytes, reporting progress; unreadable files become skipped. */
export async function readAll(
  c: Collected,
  onProgress: (done: number, total: number) => void,
): Promise<{ files: ImportFile[]; skipped: { name: string; reason: string }[] }> {
  const files: ImportFile[] = [];
  const skipped = [...c.skipped];
  for (let i = 0; i < c.files.length; i++) {
    try {
      files.push({ name: c.names[i]!, data: new Uint8Array(await c.files[i]!.arrayBuffer()) });
    } catch (err) {
      skipped.push({ name: c.names[i]!, reason: `could not be read (${(err as Error).message ?? err})` });
    }
    onProgress(i + 1, c.files.length);
  }
  return { files, skipped };
}
