import type { GridPiece } from '../common/types.js';

/** A note in seconds, for playback (main/shared/api.ts PieceNote). */
export interface NoteInSeconds {
  pitch: number;
  time: number; // seconds
  duration: number; // seconds
  velocity: number; // 0..1
}

/** The piece's notes in seconds at its tempo (one tempo for the whole piece), sorted by time. */
export function gridPieceToSeconds(piece: GridPiece): { notes: NoteInSeconds[]; durationSeconds: number } {
  const secondsPerStep = 60 / piece.bpm / piece.stepsPerQuarter;
  const notes = piece.notes
    .map((n) => ({
      pitch: n.pitch,
      time: n.start * secondsPerStep,
      duration: n.duration * secondsPerStep,
      velocity: Math.min(127, Math.max(1, n.velocity)) / 127,
    }))
    .sort((a, b) => a.time - b.time || a.pitch - b.pitch);
  const end = Math.max(piece.lengthSteps, ...piece.notes.map((n) => n.start + n.duration), 0);
  return { notes, durationSeconds: end * secondsPerStep };
}
