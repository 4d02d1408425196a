/**
 * Scheduling math between a piece (note times in seconds at the piece's own bpm) and the Tone.js
 * Transport (ticks at the playback tempo). Notes are scheduled in ticks so that changing the
 * playback tempo stretches the piece instead of cutting it. Pure: unit tested under Node.
 */
import type { GeneratedPiece, PieceNote } from '../../main/shared/api.js';

export interface ScheduledNote {
  ticks: number; // onset, in transport ticks
  durationTicks: number;
  pitch: number;
  velocity: number;
}

/** Piece seconds → transport ticks (beats at the piece's bpm times ppq). */
export function secondsToTicks(seconds: number, pieceBpm: number, ppq: number): number {
  return (seconds * pieceBpm * ppq) / 60;
}

/** Transport ticks → piece seconds. */
export function ticksToSeconds(ticks: number, pieceBpm: number, ppq: number): number {
  return (ticks * 60) / (pieceBpm * ppq);
}

/** Wall-clock seconds that `pieceSeconds` of the piece take when played at `tempo` bpm. */
export function playbackSeconds(pieceSeconds: number, pieceBpm: number, tempo: number): number {
  return (pieceSeconds * pieceBpm) / tempo;
}

export function scheduleNotes(notes: readonly PieceNote[], pieceBpm: number, ppq: number): ScheduledNote[] {
  return notes
    .filter((n) => n.duration > 0 && n.pitch >= 0 && n.pitch <= 127)
    .map((n) => ({
      ticks: Math.round(secondsToTicks(n.time, pieceBpm, ppq)),
      durationTicks: Math.max(1, Math.round(secondsToTicks(n.duration, pieceBpm, ppq))),
      pitch: n.pitch,
      velocity: Math.max(0, Math.min(1, n.velocity)),
    }))
    .sort((a, b) => a.ticks - b.ticks || a.pitch - b.pitch);
}

/** The piece's length: its stated duration, or the end of its last note if that is later. */
export function pieceLength(piece: Pick<GeneratedPiece, 'durationSeconds' | 'notes'>): number {
  let end = piece.durationSeconds > 0 ? piece.durationSeconds : 0;
  for (const n of piece.notes) end = Math.max(end, n.time + n.duration);
  return end;
}

/** The playhead position (piece seconds) for a transport position, wrapping when looping. */
export function playheadSeconds(transportSeconds: number, length: number, loop: boolean): number {
  if (length <= 0) return 0;
  if (loop) return ((transportSeconds % length) + length) % length;
  return Math.max(0, Math.min(length, transportSeconds));
}

/** Notes sounding at piece time t (onset <= t < end). */
export function notesAt(notes: readonly PieceNote[], t: number): PieceNote[] {
  return notes.filter((n) => n.time <= t && t < n.time + n.duration);
}

/**
 * Windows (piece seconds) in which no note sounds, at least `minLength` long, counting each note
 * as lasting `release` seconds longer (the instrument's tail). Used to check that rests are silent.
 */
export function silentWindows(
  notes: readonly PieceNote[],
  length: number,
  release: number,
  minLength: number,
): { start: number; end: number }[] {
  const spans = notes
    .map((n) => ({ start: n.time, end: n.time + n.duration + release }))
    .sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  let cursor = 0;
  for (const s of spans) {
    if (s.start - cursor >= minLength) out.push({ start: cursor, end: s.start });
    cursor = Math.max(cursor, s.end);
  }
  if (length - cursor >= minLength) out.push({ start: cursor, end: length });
  return out;
}

/** Seconds of one beat (one denominator note: a quarter in 4/4, an eighth in 6/8) at the piece's bpm. */
export function beatSeconds(piece: Pick<GeneratedPiece, 'bpm' | 'timeSignature'>): number {
  return (60 / piece.bpm) * (4 / piece.timeSignature[1]);
}

export function barSeconds(piece: Pick<GeneratedPiece, 'bpm' | 'timeSignature'>): number {
  return beatSeconds(piece) * piece.timeSignature[0];
}

/** The bar line `bars` bars from `seconds`: -1 = the start of this bar (or the one before, on a line). */
export function barStep(seconds: number, bar: number, bars: number): number {
  const at = seconds / bar;
  const line = bars < 0 ? Math.ceil(at - 1e-6) + bars : Math.floor(at + 1e-6) + bars;
  return Math.max(0, line) * bar;
}

/**
 * The piece at another tempo: the same notes on the same beats, their times in seconds scaled
 * (one tempo per piece: playback, the roll and the exports all read `bpm` and these times).
 */
export function retimePiece<T extends Pick<GeneratedPiece, 'bpm' | 'durationSeconds' | 'notes'>>(
  piece: T,
  bpm: number,
): T {
  const k = piece.bpm / bpm;
  return {
    ...piece,
    bpm,
    durationSeconds: piece.durationSeconds * k,
    notes: piece.notes.map((n) => ({ ...n, time: n.time * k, duration: n.duration * k })),
  };
}
