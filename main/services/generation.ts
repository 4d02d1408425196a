/**
 * Generation for the app: turns the API's GenerateOptions into a request for the core's
 * generatePieces (primer from a corpus file, a dropped file or the UI's notes, quantized on the model's grid), runs
 * it in a worker thread (main/worker/generation-worker.ts: the main thread stays responsive however
 * long the request), and turns the resulting grid pieces into GeneratedPiece (notes in seconds) for
 * playback. The worker keeps loaded models while their model.json is unchanged. MIDI export goes
 * back through the core's writer, like the CLI.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { GeneratedPiece, GenerateOptions, GridName, NotesPrimer, PrimerInfo } from '../shared/api.js';
import {
  estimateKey,
  gridPieceToSeconds,
  parseMidi,
  gridPieceToMidi,
  quantizePiece,
  MidiImportError,
  type GenerateRequest,
  type GridPiece,
  type GeneratedGridPiece,
} from '../../model/index.js';
import type { CorpusStore } from './corpus-store.js';
import type { ModelLibrary } from './model-library.js';
import { errorMessage, fileNameFor, newId } from './util.js';
import { spawnWorker, workerEntry } from './worker-spawn.js';

/** Ticks per quarter used to put seconds back on a grid for export: one step per MIDI tick. */
const EXPORT_STEPS_PER_QUARTER = 480;

/** Messages to and from the generation worker. */
export interface GenerationRequest {
  id: number;
  dir: string; // the model folder
  stamp: string; // changes when model.json changes (the worker reloads the model then)
  request: GenerateRequest;
}
export type GenerationReply = { id: number; pieces: GeneratedGridPiece[] } | { id: number; error: string };

export class Generator {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (p: GeneratedGridPiece[]) => void; reject: (e: Error) => void }
  >();

  constructor(
    private readonly models: ModelLibrary,
    /** Where corpus primers come from: the user's corpus, and the bundled one (host.ts). */
    private readonly corpus: Pick<CorpusStore, 'piece'>,
    private readonly entry: string = workerEntry('generation-worker'),
  ) {}

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = spawnWorker(this.entry, {});
    worker.unref(); // an idle generation worker never keeps the process alive
    worker.on('message', (msg: GenerationReply) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if ('error' in msg) p.reject(new Error(msg.error));
      else p.resolve(msg.pieces);
    });
    const fail = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      for (const p of this.pending.values()) p.reject(new Error(`Generation stopped unexpectedly: ${why}`));
      this.pending.clear();
    };
    worker.on('error', (err) => fail(errorMessage(err)));
    worker.on('exit', (code) => fail(`the generation worker exited (code ${code})`));
    this.worker = worker;
    return worker;
  }

  /** Runs one request in the worker. */
  async run(dir: string, request: GenerateRequest): Promise<GeneratedGridPiece[]> {
    const st = await fs.stat(join(dir, 'model.json'));
    const msg: GenerationRequest = { id: this.nextId++, dir, stamp: `${st.mtimeMs}|${st.size}`, request };
    const worker = this.ensureWorker();
    return new Promise((resolve, reject) => {
      this.pending.set(msg.id, { resolve, reject });
      worker.ref(); // busy: keep the process alive until the answer
      worker.postMessage(msg);
    }).finally(() => {
      if (this.pending.size === 0) this.worker?.unref();
    }) as Promise<GeneratedGridPiece[]>;
  }

  async generate(o: GenerateOptions): Promise<GeneratedPiece[]> {
    const info = await this.models.get(o.modelId);
    const dir = await this.models.folder(o.modelId);
    const grid = info.grid;
    const primerPiece = await this.primerPiece(o.primer, grid);
    const primer =
      primerPiece && o.primer.kind !== 'none' ? { piece: primerPiece, bars: o.primer.bars } : null;
    const { modelId: _model, primer: _primer, ...settings } = o; // the settings of the option table
    const pieces = await this.run(dir, { ...settings, primer, name: pieceBaseName(info.name) });
    return pieces.map((p) => toGeneratedPiece(p));
  }

  /** The primer on the model's grid (null: none); a file that cannot be read says why. */
  private async primerPiece(primer: GenerateOptions['primer'], grid: GridName): Promise<GridPiece | null> {
    if (primer.kind === 'corpus') {
      const c = await this.corpus.piece(primer.fileId);
      return quantizePiece(c.piece, { grid, tracks: c.tracks }).piece;
    }
    if (primer.kind === 'file') {
      let parsed;
      try {
        parsed = parseMidi(primer.file.data, primer.file.name);
      } catch (err) {
        throw new Error(`The primer ${err instanceof MidiImportError ? err.message : String(err)}`);
      }
      return quantizePiece(parsed, { grid }).piece;
    }
    if (primer.kind === 'notes') {
      // through the export writer and the reader: the same quantization as a primer file
      const file = pieceToMidi(notesPrimerPiece(primer));
      return quantizePiece(parseMidi(file.data, file.name), { grid }).piece;
    }
    return null;
  }

  /** The primer's tempo, meter and key (Krumhansl-Schmuckler estimate), quantized on a 16th grid. */
  async primerInfo(primer: GenerateOptions['primer']): Promise<PrimerInfo> {
    const piece = await this.primerPiece(primer, '16th');
    if (!piece) throw new Error('primerInfo: there is no primer (kind "none")');
    const key = estimateKey(piece);
    return {
      bpm: Math.round(piece.bpm * 100) / 100,
      timeSignature: [piece.timeSignature[0], piece.timeSignature[1]],
      key: key.name.split(' ')[0]!,
      scale: key.scale,
    };
  }

  async dispose(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    for (const p of this.pending.values()) p.reject(new Error('The app is closing'));
    this.pending.clear();
    if (w) await w.terminate();
  }
}

/** A piece name that passes validate.ts's checkName (model names from imported bundles may not). */
export function pieceBaseName(modelName: string): string {
  const cleaned = modelName
    .replace(/[/\\<>:"|?*\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\.{2,}/g, '.')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 150);
  return /^[. ]*$/.test(cleaned) ? 'Generated' : cleaned;
}

export function toGeneratedPiece(p: GeneratedGridPiece): GeneratedPiece {
  const { notes, durationSeconds } = gridPieceToSeconds(p);
  return {
    id: newId('p'),
    name: p.name,
    seed: p.seed,
    bpm: p.bpm,
    timeSignature: [p.timeSignature[0], p.timeSignature[1]],
    bars: p.bars,
    durationSeconds,
    notes,
    primerNotes: p.primerNotes,
    ...(p.meters
      ? {
          meters: p.meters.map((m) => ({
            time: (m.step / p.stepsPerQuarter) * (60 / p.bpm),
            timeSignature: [m.timeSignature[0], m.timeSignature[1]] as [number, number],
          })),
        }
      : {}),
  };
}

/** A notes primer as a piece (seconds), for the MIDI writer. */
function notesPrimerPiece(p: NotesPrimer): GeneratedPiece {
  const end = Math.max(...p.notes.map((n) => n.time + n.duration));
  const bar = (60 / p.bpm) * (4 / p.timeSignature[1]) * p.timeSignature[0];
  return {
    id: 'primer',
    name: 'primer',
    seed: 0,
    bpm: p.bpm,
    timeSignature: p.timeSignature,
    bars: p.bars,
    durationSeconds: Math.max(end, p.bars * bar),
    notes: p.notes,
    primerNotes: 0,
  };
}

/** A GeneratedPiece (seconds) back on a tick-fine grid, then to MIDI bytes with the core's writer. */
export function pieceToMidi(piece: GeneratedPiece): { name: string; data: Uint8Array } {
  const stepsPerSecond = (piece.bpm / 60) * EXPORT_STEPS_PER_QUARTER;
  const grid: GridPiece = {
    name: piece.name,
    stepsPerQuarter: EXPORT_STEPS_PER_QUARTER,
    bpm: piece.bpm,
    timeSignature: piece.timeSignature,
    lengthSteps: Math.round(piece.durationSeconds * stepsPerSecond),
    notes: piece.notes
      .map((n) => ({
        pitch: n.pitch,
        start: Math.round(n.time * stepsPerSecond),
        duration: Math.max(1, Math.round(n.duration * stepsPerSecond)),
        velocity: Math.min(127, Math.max(1, Math.round(n.velocity * 127))),
        track: 0,
      }))
      .sort((a, b) => a.start - b.start || a.pitch - b.pitch),
  };
  if (piece.meters?.length)
    grid.meters = piece.meters.map((m) => ({
      step: Math.round(m.time * stepsPerSecond),
      timeSignature: [m.timeSignature[0], m.timeSignature[1]],
    }));
  return { name: fileNameFor(piece.name, '.mid'), data: gridPieceToMidi(grid) };
}
