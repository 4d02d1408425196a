/**
 * The bundled corpus (assets/corpus: the Bach chorales the default model learned from), listed
 * read-only beside the user's corpus and usable as a primer. Nothing is copied to the user-data
 * folder; the files are read (once, on first use, per grid) from the app's assets.
 */
import { promises as fs } from 'node:fs';
import { basename, join } from 'node:path';
import type { CorpusFile, GridName } from '../shared/api.js';
import { MidiImportError, parseMidi } from '../../model/index.js';
import { describeCorpusFile, type CorpusPiece } from './corpus-store.js';
import { errorMessage } from './util.js';

/** Ids of bundled files: this prefix and the file name ("bundled-jsb-train-001"). */
export const BUNDLED_CORPUS_PREFIX = 'bundled-';

interface Listed {
  file: CorpusFile;
  path: string;
}

export function bundledCorpusId(fileName: string): string {
  return `${BUNDLED_CORPUS_PREFIX}${basename(fileName)
    .replace(/\.midi?$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')}`;
}

export class BundledCorpus {
  private listing: { grid: GridName; files: Promise<Listed[]> } | null = null;

  constructor(
    /** assets/corpus, or null when the app ships none */
    private readonly dir: string | null,
    private readonly grid: () => GridName,
  ) {}

  static isBundledId(id: string): boolean {
    return id.startsWith(BUNDLED_CORPUS_PREFIX);
  }

  private files(): Promise<Listed[]> {
    const grid = this.grid();
    if (!this.listing || this.listing.grid !== grid) this.listing = { grid, files: this.read(grid) };
    return this.listing.files;
  }

  private async read(grid: GridName): Promise<Listed[]> {
    if (!this.dir) return [];
    let names: string[];
    try {
      names = (await fs.readdir(this.dir)).filter((n) => /\.midi?$/i.test(n)).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: Listed[] = [];
    for (const name of names) {
      const path = join(this.dir, name);
      const id = bundledCorpusId(name);
      try {
        const piece = parseMidi(new Uint8Array(await fs.readFile(path)), name);
        out.push({
          path,
          file: { ...describeCorpusFile(id, name, piece, undefined, grid, true), bundled: true },
        });
      } catch (err) {
        const reason = err instanceof MidiImportError ? err.reason : errorMessage(err);
        out.push({
          path,
          file: {
            id,
            name,
            status: 'error',
            error: reason,
            bundled: true,
            tracks: [],
            notes: 0,
            durationSeconds: 0,
            bpm: 120,
            timeSignature: [4, 4],
            quantization: { grid, moved: 0, meanShiftSteps: 0 },
            dropped: { outOfRange: 0, overPolyphony: 0 },
          },
        });
      }
    }
    return out;
  }

  async list(): Promise<CorpusFile[]> {
    return (await this.files()).map((l) => l.file);
  }

  /** A bundled file as a primer or for training: its piece and its default tracks. */
  async piece(id: string): Promise<CorpusPiece> {
    const l = (await this.files()).find((x) => x.file.id === id);
    if (!l) throw new Error(`There is no bundled corpus file with id "${id}"`);
    if (l.file.status !== 'ok')
      throw new Error(`${l.file.name}: ${l.file.error ?? 'this file cannot be used'}`);
    const piece = parseMidi(new Uint8Array(await fs.readFile(l.path)), l.file.name);
    return { id, piece, tracks: l.file.tracks.filter((t) => t.selected).map((t) => t.index) };
  }
}
