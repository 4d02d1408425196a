/**
 * Edits of a piece's notes as pure functions: each returns new arrays and leaves its inputs alone
 * (the store and the undo history keep references). A selection is the notes' indices, ascending.
 * Times are seconds; the grid step (a 16th of the piece's tempo) is the snap.
 */
import type { GeneratedPiece, PieceNote } from '../../main/shared/api.js';

export type Selection = readonly number[];

/** Velocity of a drawn note when nothing was selected before. */
export const DEFAULT_VELOCITY = 0.8;

/** The grid step of a piece: a 16th note at its tempo. */
export function gridStep(piece: Pick<GeneratedPiece, 'bpm'>): number {
  return 60 / piece.bpm / 4;
}

/** The nearest grid line (never before 0). */
export function snap(t: number, step: number): number {
  return Math.max(0, Math.round(t / step) * step);
}

/** The grid line at or before t (where a click lands a drawn note). */
export function snapDown(t: number, step: number): number {
  return Math.max(0, Math.floor(t / step + 1e-9) * step);
}

/** A drag's time offset so that the grabbed note's start lands on the grid. */
export function snappedOffset(anchorTime: number, rawOffset: number, step: number): number {
  return snap(anchorTime + rawOffset, step) - anchorTime;
}

const has = (sel: Selection) => {
  const set = new Set(sel);
  return (i: number) => set.has(i);
};

/**
 * Moves the selected notes by `dt` seconds and `dp` semitones together: the offsets are limited
 * so that no note starts before 0 or leaves 0..127 (the chord keeps its shape).
 */
export function moveNotes(notes: readonly PieceNote[], sel: Selection, dt: number, dp: number): PieceNote[] {
  const picked = sel.map((i) => notes[i]!).filter(Boolean);
  if (!picked.length) return [...notes];
  const earliest = Math.min(...picked.map((n) => n.time));
  const low = Math.min(...picked.map((n) => n.pitch));
  const high = Math.max(...picked.map((n) => n.pitch));
  const t = Math.max(dt, -earliest);
  const p = Math.max(-low, Math.min(127 - high, Math.round(dp)));
  const inSel = has(sel);
  return notes.map((n, i) => (inSel(i) ? { ...n, time: clean(n.time + t), pitch: n.pitch + p } : n));
}

/** Lengthens (or shortens) the selected notes by `dd` seconds, none shorter than `min`. */
export function resizeNotes(
  notes: readonly PieceNote[],
  sel: Selection,
  dd: number,
  min: number,
): PieceNote[] {
  const inSel = has(sel);
  return notes.map((n, i) => (inSel(i) ? { ...n, duration: clean(Math.max(min, n.duration + dd)) } : n));
}

export function setVelocity(notes: readonly PieceNote[], sel: Selection, velocity: number): PieceNote[] {
  const v = Math.max(0, Math.min(1, velocity));
  const inSel = has(sel);
  return notes.map((n, i) => (inSel(i) ? { ...n, velocity: v } : n));
}

/** Removes the selected notes; `primerNotes` (the first N came from the primer) follows. */
export function deleteNotes(
  notes: readonly PieceNote[],
  sel: Selection,
  primerNotes: number,
): { notes: PieceNote[]; primerNotes: number } {
  const inSel = has(sel);
  return {
    notes: notes.filter((_, i) => !inSel(i)),
    primerNotes: primerNotes - sel.filter((i) => i < primerNotes).length,
  };
}

/** Adds a note at the end; its index is the new selection. */
export function addNote(notes: readonly PieceNote[], note: PieceNote): { notes: PieceNote[]; index: number } {
  return { notes: [...notes, note], index: notes.length };
}

export function selectAll(notes: readonly PieceNote[]): number[] {
  return notes.map((_, i) => i);
}

/** The notes that touch a box of time (seconds) and pitch rows (inclusive). */
export function notesInBox(
  notes: readonly PieceNote[],
  box: { t0: number; t1: number; p0: number; p1: number },
): number[] {
  const [t0, t1] = [Math.min(box.t0, box.t1), Math.max(box.t0, box.t1)];
  const [p0, p1] = [Math.min(box.p0, box.p1), Math.max(box.p0, box.p1)];
  const out: number[] = [];
  notes.forEach((n, i) => {
    if (n.pitch >= p0 && n.pitch <= p1 && n.time < t1 && n.time + n.duration > t0) out.push(i);
  });
  return out;
}

/** Adds to or toggles in a selection (shift-click), kept ascending. */
export function toggleSelected(sel: Selection, index: number): number[] {
  return sel.includes(index) ? sel.filter((i) => i !== index) : [...sel, index].sort((a, b) => a - b);
}

/** The piece with new notes: a new object (the store replaces it); the length covers every note. */
export function withNotes(
  piece: GeneratedPiece,
  notes: PieceNote[],
  primerNotes = piece.primerNotes,
): GeneratedPiece {
  const end = notes.reduce((e, n) => Math.max(e, n.time + n.duration), 0);
  return {
    ...piece,
    notes,
    primerNotes: Math.min(primerNotes, notes.length),
    durationSeconds: Math.max(piece.durationSeconds, end),
  };
}

/** Rounds away float noise of repeated grid steps (1e-9 s). */
function clean(t: number): number {
  return Math.round(t * 1e9) / 1e9;
}
