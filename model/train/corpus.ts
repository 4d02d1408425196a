import type { GridName, GridPiece, QuantizeReport } from '../common/types.js';
import { importMidiFiles } from '../midi/import-files.js';
import { defaultTrackSelection, quantizePiece } from '../midi/quantize.js';
import { describeThrown } from '../midi/errors.js';
import { untrainableReason } from '../midi/summarize.js';

/**
 * MIDI files and folders on disk → quantized pieces for training or evaluation (CLI, the app's
 * training worker, default-model script, benchmarks). A file that cannot be read or quantized is
 * listed in `skipped` with its reason (a file with nothing to train on says why); the rest go on.
 * A plain path uses every non-drum track with notes and holds notes through the sustain pedal unless
 * `sustain` is false; a CorpusFileChoice says so for its file (the app's corpus: the tracks selected
 * and the pedal setting of each file).
 */
export interface LoadedPieces {
  pieces: GridPiece[];
  reports: { path: string; report: QuantizeReport }[];
  skipped: { file: string; reason: string }[];
}

/** A file with the choices made for it. */
export interface CorpusFileChoice {
  path: string;
  /** The piece's name, also used in `skipped` (default: the path). */
  name?: string;
  /** The tracks to train on (default: every non-drum track with notes). */
  tracks?: readonly number[];
  /** Hold notes through the sustain pedal (default: the `sustain` of the call). */
  sustain?: boolean;
}

export async function loadPiecesFromPaths(
  paths: readonly (string | CorpusFileChoice)[],
  opts: { grid: GridName; sustain?: boolean; signal?: AbortSignal },
): Promise<LoadedPieces> {
  const out: LoadedPieces = { pieces: [], reports: [], skipped: [] };
  for (const entry of paths) {
    if (opts.signal?.aborted) break;
    const choice: CorpusFileChoice = typeof entry === 'string' ? { path: entry } : entry;
    const imported = await importMidiFiles([choice.path], { sustain: choice.sustain ?? opts.sustain });
    const label = (file: string) => choice.name ?? file;
    for (const s of imported.skipped) out.skipped.push({ file: label(s.file), reason: s.reason });
    for (const { path, piece: parsed } of imported.pieces) {
      const piece = choice.name === undefined ? parsed : { ...parsed, name: choice.name };
      try {
        const tracks = choice.tracks ? [...choice.tracks] : defaultTrackSelection(piece);
        const q = quantizePiece(piece, { grid: opts.grid, tracks });
        const why = untrainableReason(piece, tracks, q.report, q.piece.notes.length);
        if (why) {
          out.skipped.push({ file: label(path), reason: why });
          continue;
        }
        out.pieces.push(q.piece);
        out.reports.push({ path, report: q.report });
      } catch (err) {
        out.skipped.push({ file: label(path), reason: describeThrown(err) });
      }
    }
  }
  return out;
}
