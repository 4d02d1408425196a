/**
 * The corpus: MIDI files the user imported, stored as their original bytes under
 * <userData>/corpus/<id>.mid, with an index (<userData>/corpus/index.json, written atomically) of
 * what the corpus panel shows: tracks and which are selected, tempo, meter, what quantization
 * moved or dropped, what the import left out (warnings) and why a file gives nothing to train on. A
 * file imported without the sustain pedal is read the same way again for training and primers. A file that cannot be read is reported in `skipped` with its reason and the rest
 * of the batch goes on; an identical file (same bytes) imported twice is skipped, not duplicated.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type {
  CorpusFile,
  GridName,
  ImportFile,
  ImportOptions,
  ImportResult,
  TrackSummary,
} from '../shared/api.js';
import {
  MidiImportError,
  atomicTempTarget,
  defaultTrackSelection,
  parseMidi,
  quantizePiece,
  summarizePiece,
  trackListing,
  untrainableReason,
  writeFileAtomic,
  writeJsonAtomic,
  type ParsedMidiPiece,
} from '../../model/index.js';
import { ID_PATTERN } from '../shared/validate.js';
import { SerialQueue, errorMessage, newId, readJsonFile, removeLeftovers } from './util.js';

interface StoredEntry {
  file: CorpusFile;
  sha256: string;
  bytes: number;
  importedAt: string;
}

interface CorpusIndex {
  version: 1;
  entries: StoredEntry[];
}

/** A corpus file ready for training: the parsed piece and the tracks the user selected. */
export interface CorpusPiece {
  id: string;
  piece: ParsedMidiPiece;
  tracks: number[];
}

/** The id of a stored copy's file name (`<id>.mid`), or null for any other name. */
function storedCopyId(name: string): string | null {
  const m = /^(.+)\.mid$/.exec(name);
  return m && ID_PATTERN.test(m[1]) ? m[1] : null;
}

/** What the corpus panel lists about a readable file: tracks, tempo, meter, what quantization did,
 * what the import left out or changed, and why it gives nothing to train on if it does not. */
export function describeCorpusFile(
  id: string,
  name: string,
  piece: ParsedMidiPiece,
  selected: number[] | undefined,
  grid: GridName,
  sustain: boolean,
): CorpusFile {
  const summary = summarizePiece(piece);
  const sel = selected ?? defaultTrackSelection(piece);
  const { report, piece: gridPiece } = quantizePiece(piece, { grid, tracks: sel });
  const untrainable = untrainableReason(piece, sel, report, gridPiece.notes.length);
  const tracks: TrackSummary[] = summary.tracks.map((t) => ({
    ...trackListing(t),
    selected: sel.includes(t.index),
  }));
  return {
    id,
    name,
    status: 'ok',
    tracks,
    notes: summary.notes,
    durationSeconds: summary.durationSeconds,
    bpm: summary.bpm,
    timeSignature: summary.timeSignature,
    quantization: { grid, moved: report.moved, meanShiftSteps: report.meanShiftSteps },
    dropped: { outOfRange: report.droppedOutOfRange, overPolyphony: report.droppedOverPolyphony },
    warnings: piece.warnings,
    ...(untrainable ? { untrainable } : {}),
    sustain,
  };
}

export class CorpusStore {
  readonly dir: string;
  private readonly indexPath: string;
  private entries: StoredEntry[] = [];
  private readonly queue = new SerialQueue();

  constructor(
    /** <userData>/corpus */
    dir: string,
    private readonly grid: () => GridName,
  ) {
    this.dir = dir;
    this.indexPath = join(this.dir, 'index.json');
  }

  /** Reads the index. A corrupt index is kept aside and rebuilt from the stored MIDI files. */
  async load(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    let index: CorpusIndex | undefined;
    try {
      index = await readJsonFile<CorpusIndex>(this.indexPath);
    } catch (err) {
      if (!/corrupt/.test(errorMessage(err))) throw err;
      await fs.rename(this.indexPath, `${this.indexPath}.corrupt-${Date.now()}`).catch(() => undefined);
      this.entries = await this.rebuild();
      await this.save(this.entries);
      await this.removeLeftovers(false);
      return;
    }
    this.entries = Array.isArray(index?.entries)
      ? index.entries.filter((e) => e?.file && ID_PATTERN.test(e.file.id))
      : [];
    await this.removeLeftovers(index !== undefined);
    // A stored copy that went missing is shown as an error, not silently forgotten.
    for (const e of this.entries) {
      try {
        await fs.access(this.bytesPath(e.file.id));
      } catch {
        e.file = {
          ...e.file,
          status: 'error',
          error: 'the stored copy of this file is missing; import it again',
        };
      }
    }
  }

  /**
   * What a killed import or remove leaves: temp files of the index or of stored copies, and (only when
   * the index was read, so that it says what the corpus holds) stored copies the index does not list.
   * A killed import writes its copies before the index that lists them; a killed remove writes the
   * index before it deletes the copies.
   */
  private async removeLeftovers(indexWasRead: boolean): Promise<void> {
    const listed = new Set(this.entries.map((e) => this.bytesPath(e.file.id)));
    const ours = (name: string) => /^c-[0-9a-f]{16}\.mid$/.test(name); // as import names them (newId)
    await removeLeftovers(this.dir, (name) => {
      const target = atomicTempTarget(name);
      if (target !== null) return target === 'index.json' || ours(target);
      return indexWasRead && ours(name) && !listed.has(join(this.dir, name));
    });
  }

  private async rebuild(): Promise<StoredEntry[]> {
    const out: StoredEntry[] = [];
    for (const name of (await fs.readdir(this.dir)).sort()) {
      const id = storedCopyId(name);
      if (id === null) continue;
      const data = new Uint8Array(await fs.readFile(join(this.dir, name)));
      try {
        out.push(this.describe(id, name, data, parseMidi(data, name), undefined, true));
      } catch {
        /* not readable: stays on disk, not listed */
      }
    }
    return out;
  }

  private bytesPath(id: string): string {
    return join(this.dir, `${id}.mid`);
  }

  private async save(entries: StoredEntry[]): Promise<void> {
    await writeJsonAtomic(this.indexPath, { version: 1, entries } satisfies CorpusIndex);
  }

  list(): CorpusFile[] {
    return this.entries.map((e) => structuredClone(e.file));
  }

  has(id: string): boolean {
    return this.entries.some((e) => e.file.id === id);
  }

  private entry(id: string): StoredEntry {
    const e = this.entries.find((x) => x.file.id === id);
    if (!e) throw new Error(`There is no corpus file with id "${id}" (it may have been removed)`);
    return e;
  }

  private describe(
    id: string,
    name: string,
    data: Uint8Array,
    piece: ParsedMidiPiece,
    selected: number[] | undefined,
    sustain: boolean,
  ): StoredEntry {
    return {
      file: describeCorpusFile(id, name, piece, selected, this.grid(), sustain),
      sha256: createHash('sha256').update(data).digest('hex'),
      bytes: data.byteLength,
      importedAt: new Date().toISOString(),
    };
  }

  /** Imports a batch: every readable file is stored; every other one is listed with its reason. */
  import(files: ImportFile[], opts: ImportOptions = {}): Promise<ImportResult> {
    const sustain = opts.sustain ?? true;
    return this.queue.run(async () => {
      const result: ImportResult = { imported: [], skipped: [] };
      const added: StoredEntry[] = [];
      const written: string[] = [];
      for (const f of files) {
        let piece: ParsedMidiPiece;
        try {
          piece = parseMidi(f.data, f.name, { sustain });
        } catch (err) {
          result.skipped.push({
            name: f.name,
            reason: err instanceof MidiImportError ? err.reason : errorMessage(err),
          });
          continue;
        }
        const sha = createHash('sha256').update(f.data).digest('hex');
        const dup = [...this.entries, ...added].find((e) => e.sha256 === sha);
        if (dup) {
          result.skipped.push({ name: f.name, reason: `already in the corpus as "${dup.file.name}"` });
          continue;
        }
        let entry: StoredEntry;
        try {
          entry = this.describe(newId('c'), f.name, f.data, piece, undefined, sustain);
        } catch (err) {
          result.skipped.push({ name: f.name, reason: `could not be quantized: ${errorMessage(err)}` });
          continue;
        }
        if (entry.file.tracks.every((t) => t.notes === 0)) {
          result.skipped.push({ name: f.name, reason: 'contains no notes' });
          continue;
        }
        const path = this.bytesPath(entry.file.id);
        await writeFileAtomic(path, f.data).catch(async (err) => {
          await Promise.all(written.map((p) => fs.rm(p, { force: true })));
          throw err;
        });
        written.push(path);
        added.push(entry);
      }
      if (added.length) {
        try {
          await this.save([...this.entries, ...added]);
        } catch (err) {
          // The index keeps its previous version: remove the copies it would have pointed to.
          await Promise.all(written.map((p) => fs.rm(p, { force: true })));
          throw err;
        }
        this.entries = [...this.entries, ...added];
      }
      result.imported = added.map((e) => structuredClone(e.file));
      return result;
    });
  }

  remove(ids: string[]): Promise<void> {
    return this.queue.run(async () => {
      for (const id of ids) this.entry(id); // every id must exist before anything changes
      const keep = this.entries.filter((e) => !ids.includes(e.file.id));
      await this.save(keep);
      this.entries = keep;
      for (const id of ids) await fs.rm(this.bytesPath(id), { force: true }).catch(() => undefined);
    });
  }

  setTracks(id: string, selected: number[]): Promise<CorpusFile> {
    return this.queue.run(async () => {
      const e = this.entry(id);
      if (e.file.status !== 'ok')
        throw new Error(`${e.file.name}: ${e.file.error ?? 'this file cannot be used'}`);
      const known = e.file.tracks.map((t) => t.index);
      const unknown = selected.filter((i) => !known.includes(i));
      if (unknown.length) {
        throw new Error(
          `${e.file.name} has no track ${unknown.join(', ')} (its tracks are ${known.join(', ') || 'none'})`,
        );
      }
      const piece = await this.readPiece(e);
      const next = {
        ...this.describe(e.file.id, e.file.name, new Uint8Array(0), piece, selected, e.file.sustain ?? true),
        sha256: e.sha256,
        bytes: e.bytes,
        importedAt: e.importedAt,
      };
      const entries = this.entries.map((x) => (x === e ? next : x));
      await this.save(entries);
      this.entries = entries;
      return structuredClone(next.file);
    });
  }

  private async readPiece(e: StoredEntry): Promise<ParsedMidiPiece> {
    let data: Uint8Array;
    try {
      data = new Uint8Array(await fs.readFile(this.bytesPath(e.file.id)));
    } catch (err) {
      throw new Error(
        `${e.file.name}: the stored copy could not be read (${(err as NodeJS.ErrnoException).code ?? errorMessage(err)})`,
      );
    }
    return parseMidi(data, e.file.name, { sustain: e.file.sustain ?? true });
  }

  /** The stored file's path and selected tracks (for the training worker, which parses it itself). */
  trainingInputs(
    ids?: string[],
  ): { id: string; name: string; path: string; tracks: number[]; sustain: boolean }[] {
    const chosen = ids ? ids.map((id) => this.entry(id)) : this.entries;
    return chosen
      .filter((e) => e.file.status === 'ok' && e.file.tracks.some((t) => t.selected))
      .map((e) => ({
        id: e.file.id,
        name: e.file.name,
        path: this.bytesPath(e.file.id),
        tracks: e.file.tracks.filter((t) => t.selected).map((t) => t.index),
        sustain: e.file.sustain ?? true,
      }));
  }

  /** One corpus file parsed, with its selected tracks (for primers). */
  async piece(id: string): Promise<CorpusPiece> {
    const e = this.entry(id);
    if (e.file.status !== 'ok')
      throw new Error(`${e.file.name}: ${e.file.error ?? 'this file cannot be used'}`);
    return {
      id,
      piece: await this.readPiece(e),
      tracks: e.file.tracks.filter((t) => t.selected).map((t) => t.index),
    };
  }
}
