/**
 * Generation for the app: turns the API's GenerateOptions into a request for the core's
 * generatePieces (primer from a corpus file or a dropped file, quantized on the model's grid), and
 * the resulting grid pieces into GeneratedPiece (notes in seconds) for playback. Loaded models are
 * cached (keyed by folder and manifest update time, so a retrained model is reloaded). MIDI export
 * goes back through the core's gridPieceToMidi, exactly like the CLI.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { GeneratedPiece, GenerateOptions } from '../shared/api.js';
import {
  generatePieces,
  gridPieceToSeconds,
  loadModel,
  parseMidi,
  pieceToMidi as gridToMidiBytes,
  quantizePiece,
  MidiImportError,
  type GridPiece,
  type LoadedModel,
  type GeneratedGridPiece,
} from './core.js';
import type { CorpusStore } from './corpus-store.js';
import type { ModelLibrary } from './model-library.js';
import { fileNameFor, newId } from './util.js';

/** Ticks per quarter used to put seconds back on a grid for export: one step per MIDI tick. */
const EXPORT_STEPS_PER_QUARTER = 480;

export class Generator {
  private cache = new Map<string, { stamp: string; model: LoadedModel }>();

  constructor(
    private readonly models: ModelLibrary,
    private readonly corpus: CorpusStore,
  ) {}

  async model(id: string): Promise<LoadedModel> {
    const dir = await this.models.folder(id);
    const stat = await fs.stat(join(dir, 'model.json'));
    const stamp = `${dir}|${stat.mtimeMs}|${stat.size}`;
    const hit = this.cache.get(id);
    if (hit && hit.stamp === stamp) return hit.model;
    const model = await loadModel(dir);
    this.cache.set(id, { stamp, model });
    return model;
  }

  forget(id: string): void {
    this.cache.delete(id);
  }

  async generate(o: GenerateOptions): Promise<GeneratedPiece[]> {
    const model = await this.model(o.modelId);
    const grid = model.encoding.grid;
    let primer: { piece: GridPiece; bars: number } | null = null;
    if (o.primer.kind === 'corpus') {
      const c = await this.corpus.piece(o.primer.fileId);
      primer = { piece: quantizePiece(c.piece, { grid, tracks: c.tracks }).piece, bars: o.primer.bars };
    } else if (o.primer.kind === 'file') {
      let parsed;
      try {
        parsed = parseMidi(o.primer.file.data, o.primer.file.name);
      } catch (err) {
        throw new Error(`The primer ${err instanceof MidiImportError ? err.message : String(err)}`);
      }
      primer = { piece: quantizePiece(parsed, { grid }).piece, bars: o.primer.bars };
    }
    const pieces = generatePieces(model, {
      bars: o.bars,
      temperature: o.temperature,
      topK: o.topK,
      topP: o.topP,
      seed: o.seed,
      variations: o.variations,
      tempo: o.tempo,
      key: o.key,
      scale: o.scale,
      primer,
      name: pieceBaseName(model.manifest.name),
    });
    return pieces.map((p) => toGeneratedPiece(p));
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
  return { name: fileNameFor(piece.name, '.mid'), data: gridToMidiBytes(grid) };
}
