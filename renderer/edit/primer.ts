/**
 * "Continue from here": the part of a piece that primes a new generation, as a notes primer. The
 * selected notes (from the start of the bar of the first) or else the loop region; the notes are
 * shifted to start at 0 and clipped at the region's end. Pure.
 */
import type { GeneratedPiece, NotesPrimer } from '../../main/shared/api.js';
import { barSeconds } from '../audio/schedule.js';
import type { LoopRegion } from '../pianoroll/geometry.js';
import type { Selection } from './note-ops.js';

/** The most primer bars a request may carry (validate.ts allows more; a primer this long is plenty). */
const MAX_PRIMER_BARS = 64;

export function continuePrimer(
  piece: GeneratedPiece,
  sel: Selection,
  region: LoopRegion | null,
): NotesPrimer | null {
  const bar = barSeconds(piece);
  let from: number;
  let to: number;
  let picked = sel.map((i) => piece.notes[i]!).filter(Boolean);
  if (picked.length) {
    from = Math.floor(Math.min(...picked.map((n) => n.time)) / bar + 1e-9) * bar;
    to = Math.max(...picked.map((n) => n.time + n.duration));
  } else if (region && region.end > region.start) {
    from = region.start;
    to = region.end;
    picked = piece.notes.filter((n) => n.time >= from - 1e-9 && n.time < to - 1e-9);
  } else return null;
  if (!picked.length) return null;
  const notes = picked
    .map((n) => ({
      ...n,
      time: Math.max(0, n.time - from),
      duration: Math.max(1e-3, Math.min(n.time + n.duration, to) - n.time),
    }))
    .sort((a, b) => a.time - b.time || a.pitch - b.pitch);
  const bars = Math.max(1, Math.min(MAX_PRIMER_BARS, Math.ceil((to - from) / bar - 1e-6)));
  return { kind: 'notes', notes, bpm: piece.bpm, timeSignature: piece.timeSignature, bars };
}
