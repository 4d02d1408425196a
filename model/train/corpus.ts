import type { GridName, GridPiece, QuantizeReport } from '../common/types.js';
import { importMidiFiles, type BatchImportOptions } from '../midi/import-files.js';
import { defaultTrackSelection, quantizePiece } from '../midi/quantize.js';
import { describeThrown } from '../midi/errors.js';
import { untrainableReason } from '../midi/summarize.js';

/**
 * MIDI files and folders on disk → quantized pieces for training or evaluation (CLI, default-model
 * script, benchmarks). A file that cannot be read or quantized is listed in `skipped` with its
 * reason (a file with nothing to train on says why); the rest go on. Every non-drum track with notes
 * is used. Notes are held through the sustain pedal unless `sustain` is false.
 */
export interface LoadedPieces {
  pieces: GridPiece[];
  reports: { path: string; report: QuantizeReport }[];
  skipped: { file: string; reason: string }[];
}

export async function loadPiecesFromPaths(
  paths: string[],
  opts: { grid: GridName; onProgress?: BatchImportOptions['onProgress']; sustain?: boolean },
): Promise<LoadedPieces> {
  const imported = await importMidiFiles(paths, { onProgress: opts.onProgress, sustain: opts.sustain });
  const out: LoadedPieces = { pieces: [], reports: [], skipped: [...imported.skipped] };
  for (const { path, piece } of imported.pieces) {
    try {
      const q = quantizePiece(piece, { grid: opts.grid });
      const why = untrainableReason(piece, defaultTrackSelection(piece), q.report, q.piece.notes.length);
      if (why) {
        out.skipped.push({ file: path, reason: why });
        continue;
      }
      out.pieces.push(q.piece);
      out.reports.push({ path, report: q.report });
    } catch (err) {
      out.skipped.push({ file: path, reason: describeThrown(err) });
    }
  }
  return out;
}
