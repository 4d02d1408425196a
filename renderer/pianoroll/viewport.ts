/**
 * Zoom and scroll of the piano roll's viewport (the time window and pitch rows it shows). Pure:
 * every operation returns a new viewport kept inside the piece (time 0..duration, pitches 0..127),
 * unit tested; renderer/pianoroll/roll-input.ts maps the wheel and keys onto them.
 */
import { pitchRange, type Viewport } from './geometry.js';
import type { PieceNote } from '../../main/shared/api.js';

/** The shortest time window (seconds) and the fewest pitch rows a zoom reaches. */
export const MIN_SPAN = 0.25;
export const MIN_ROWS = 8;

/** The whole piece: all of its time and its pitch range. */
export function fitViewport(notes: readonly PieceNote[], duration: number): Viewport {
  return { start: 0, span: Math.max(duration, 1e-3), ...pitchRange(notes) };
}

/** Keeps the window inside 0..duration and the rows inside 0..127, at least the minimum size. */
export function clampViewport(vp: Viewport, duration: number): Viewport {
  const d = Math.max(duration, 1e-3);
  const span = Math.min(d, Math.max(Math.min(MIN_SPAN, d), vp.span));
  const start = Math.max(0, Math.min(d - span, vp.start));
  let rows = Math.round(vp.high - vp.low + 1);
  rows = Math.max(MIN_ROWS, Math.min(128, rows));
  let low = Math.round(vp.low);
  low = Math.max(0, Math.min(128 - rows, low));
  return { start, span, low, high: low + rows - 1 };
}

/** Zooms in time by `factor` (> 1 = closer), keeping `anchor` (seconds) where it is on screen. */
export function zoomTime(vp: Viewport, factor: number, anchor: number, duration: number): Viewport {
  if (!(factor > 0)) return vp;
  const span = vp.span / factor;
  const clamped = clampViewport({ ...vp, span }, duration).span;
  const frac = vp.span > 0 ? (anchor - vp.start) / vp.span : 0;
  return clampViewport({ ...vp, span: clamped, start: anchor - frac * clamped }, duration);
}

export function scrollTime(vp: Viewport, seconds: number, duration: number): Viewport {
  return clampViewport({ ...vp, start: vp.start + seconds }, duration);
}

/** Zooms the pitch rows by `factor` (> 1 = fewer, taller rows), keeping `anchor` (a pitch) in place. */
export function zoomPitch(vp: Viewport, factor: number, anchor: number): Viewport {
  if (!(factor > 0)) return vp;
  const rows = vp.high - vp.low + 1;
  const next = Math.max(MIN_ROWS, Math.min(128, Math.round(rows / factor)));
  if (next === rows) {
    // a small step still moves: one row at least
    if (factor > 1 && rows > MIN_ROWS) return zoomPitchTo(vp, rows - 1, anchor);
    if (factor < 1 && rows < 128) return zoomPitchTo(vp, rows + 1, anchor);
    return vp;
  }
  return zoomPitchTo(vp, next, anchor);
}

function zoomPitchTo(vp: Viewport, rows: number, anchor: number): Viewport {
  const old = vp.high - vp.low + 1;
  const frac = (anchor - vp.low) / old;
  const low = Math.round(anchor - frac * rows);
  return clampViewport({ ...vp, low, high: low + rows - 1 }, Infinity);
}

/** Scrolls the rows: positive = up (higher pitches). */
export function scrollPitch(vp: Viewport, rows: number): Viewport {
  const r = Math.round(rows);
  return clampViewport({ ...vp, low: vp.low + r, high: vp.high + r }, Infinity);
}

/** Pages the window so that `t` is inside it, near its left edge (unchanged when it already is). */
export function followTime(vp: Viewport, t: number, duration: number): Viewport {
  if (t >= vp.start && t <= vp.start + vp.span) return vp;
  return clampViewport({ ...vp, start: t - vp.span * 0.05 }, duration);
}
