import type { GridName, GridPiece, QuantizeReport } from '../core/types.js';
import { importMidiFiles, type BatchImportOptions } from '../midi/import-files.js';
import { quantizePiece } from '../midi/quantize.js';
import { describeThrown } from '../midi/errors.js';

/**
 * MIDI files and folders on disk → quantized pieces for training or evaluation (CLI, default-model
 * script, benchmarks). A file that cannot be read or quantized is listed in `skipped` with its
 * reason; the rest go on. Every non-drum track with notes is used.
 */
export interface LoadedPieces {
  pieces: GridPiece[];
  reports: { path: string; report: QuantizeReport }[];
  skipped: { file: string; reason: string }[];
}

export async function loadPiecesFromPaths(
  paths: string[],
  opts: { grid: GridName; onProgress?: BatchImportOptions['onProgress'] },
): Promise<LoadedPieces> {
  const imported = await importMidiFiles(paths, { onProgress: opts.onProgress });
  const out: LoadedPieces = { pieces: [], reports: [], skipped: [...imported.skipped] };
  for (const { path, piece } of imported.pieces) {
    try {
      const q = quantizePiece(piece, { grid: opts.grid });
      if (q.piece.notes.length === 0) {
        out.skipped.push({ file: path, reason: 'no notes left to learn from (only drum tracks?)' });
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
