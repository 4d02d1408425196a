/**
 * Which note is under the pointer, and which part of it: the right edge (a few px: resize) or the
 * body (move). Later notes are drawn on top, so they are found first. Pure, through the layout.
 */
import type { PieceNote } from '../../main/shared/api.js';
import { noteRect, noteVisible, xToTime, yToPitch, type RollLayout } from './geometry.js';

/** How wide (px) the grip on a note's right edge is; a short note keeps a body to grab. */
export const EDGE_PX = 6;

export interface NoteHit {
  index: number;
  part: 'body' | 'end';
}

export function hitNote(
  layout: RollLayout,
  notes: readonly PieceNote[],
  x: number,
  y: number,
): NoteHit | null {
  if (x < layout.keysWidth || y < layout.rulerHeight) return null;
  for (let i = notes.length - 1; i >= 0; i--) {
    const n = notes[i]!;
    if (!noteVisible(layout, n)) continue;
    const r = noteRect(layout, n);
    if (x < r.x || x > r.x + r.w || y < r.y || y >= r.y + r.h) continue;
    const edge = Math.min(EDGE_PX, r.w / 3);
    return { index: i, part: x >= r.x + r.w - edge ? 'end' : 'body' };
  }
  return null;
}

/** A dragged box (px) as time and pitch ranges, for notesInBox. */
export function boxRange(
  layout: RollLayout,
  a: { x: number; y: number },
  b: { x: number; y: number },
): { t0: number; t1: number; p0: number; p1: number } {
  return {
    t0: xToTime(layout, Math.min(a.x, b.x)),
    t1: xToTime(layout, Math.max(a.x, b.x)),
    p0: yToPitch(layout, Math.max(a.y, b.y)),
    p1: yToPitch(layout, Math.min(a.y, b.y)),
  };
}
