/**
 * Piano-roll geometry: maps piece time (seconds) to x and pitch to y through the visible window
 * (the viewport), back again, and lists the bar and beat lines. Pure (no DOM) so the mapping is
 * unit tested; renderer/pianoroll/view.ts draws with it and the roll's pointer handling hit-tests
 * with it.
 */
import type { PieceNote } from '../../main/shared/api.js';

const NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];

/** Scientific pitch name: 60 → "C4", 61 → "C#4", 21 → "A0". */
export function pitchName(pitch: number): string {
  return `${NAMES[((pitch % 12) + 12) % 12]}${Math.floor(pitch / 12) - 1}`;
}

export function isBlackKey(pitch: number): boolean {
  return [1, 3, 6, 8, 10].includes(((pitch % 12) + 12) % 12);
}

/**
 * The pitch rows to show: the notes' range padded by `pad` semitones, at least `minSpan` rows,
 * widened symmetrically and kept inside 0..127. An empty piece shows the octaves around middle C.
 */
export function pitchRange(
  notes: readonly PieceNote[],
  minSpan = 24,
  pad = 2,
): { low: number; high: number } {
  let low = 60 - minSpan / 2;
  let high = 60 + minSpan / 2 - 1;
  if (notes.length) {
    low = Math.min(...notes.map((n) => n.pitch)) - pad;
    high = Math.max(...notes.map((n) => n.pitch)) + pad;
  }
  while (high - low + 1 < minSpan) {
    low -= 1;
    if (high - low + 1 < minSpan) high += 1;
  }
  if (low < 0) {
    high = Math.min(127, high - low);
    low = 0;
  }
  if (high > 127) {
    low = Math.max(0, low - (high - 127));
    high = 127;
  }
  return { low, high };
}

/**
 * What the roll shows: a time window (seconds from `start`, `span` long) and the pitch rows
 * `low`..`high`. renderer/pianoroll/viewport.ts zooms and scrolls it.
 */
export interface Viewport {
  start: number;
  span: number;
  low: number;
  high: number;
}

/** A part of the piece that playback loops (piece seconds). */
export interface LoopRegion {
  start: number;
  end: number;
}

export interface RollLayout {
  width: number; // whole canvas, css px
  height: number;
  keysWidth: number; // the pitch-label column on the left
  rulerHeight: number; // the bar-number strip at the top (where the loop region is dragged)
  duration: number; // the piece's length in seconds (at least one bar)
  start: number; // the visible time window, seconds
  end: number;
  low: number; // the visible pitch rows
  high: number;
}

/** The layout of a canvas; without a viewport it shows the whole piece and its pitch range. */
export function makeLayout(
  notes: readonly PieceNote[],
  duration: number,
  width: number,
  height: number,
  keysWidth = 44,
  rulerHeight = 18,
  viewport?: Viewport,
): RollLayout {
  const d = Math.max(duration, 1e-3);
  const vp = viewport ?? { start: 0, span: d, ...pitchRange(notes) };
  return {
    width,
    height,
    keysWidth,
    rulerHeight,
    duration: d,
    start: vp.start,
    end: vp.start + Math.max(vp.span, 1e-3),
    low: vp.low,
    high: vp.high,
  };
}

export function plotWidth(layout: RollLayout): number {
  return Math.max(1, layout.width - layout.keysWidth);
}

export function timeToX(layout: RollLayout, seconds: number): number {
  return layout.keysWidth + ((seconds - layout.start) / (layout.end - layout.start)) * plotWidth(layout);
}

/** Inverse of timeToX, clamped to [0, duration] (a click on the labels seeks to the window's start). */
export function xToTime(layout: RollLayout, x: number): number {
  const px = Math.max(0, x - layout.keysWidth);
  const t = layout.start + (px / plotWidth(layout)) * (layout.end - layout.start);
  return Math.max(0, Math.min(layout.duration, t));
}

export function rowHeight(layout: RollLayout): number {
  return (layout.height - layout.rulerHeight) / (layout.high - layout.low + 1);
}

/** Top y of the pitch's row (higher pitches are higher up). */
export function pitchToY(layout: RollLayout, pitch: number): number {
  return layout.rulerHeight + (layout.high - pitch) * rowHeight(layout);
}

/** The pitch whose row contains y (inverse of pitchToY), kept in 0..127. */
export function yToPitch(layout: RollLayout, y: number): number {
  const p = layout.high - Math.floor((y - layout.rulerHeight) / rowHeight(layout));
  return Math.max(0, Math.min(127, p));
}

/** True when y is on the ruler strip above the rows. */
export function onRuler(layout: RollLayout, y: number): boolean {
  return y >= 0 && y < layout.rulerHeight;
}

export function noteRect(
  layout: RollLayout,
  note: PieceNote,
): { x: number; y: number; w: number; h: number } {
  const x = timeToX(layout, note.time);
  const w = Math.max(1, timeToX(layout, note.time + note.duration) - x);
  return { x, y: pitchToY(layout, note.pitch), w, h: rowHeight(layout) };
}

/** Does the note show in the layout's window (any part of it)? */
export function noteVisible(layout: RollLayout, note: PieceNote): boolean {
  return (
    note.time < layout.end &&
    note.time + note.duration > layout.start &&
    note.pitch >= layout.low &&
    note.pitch <= layout.high
  );
}

export interface GridLine {
  time: number; // seconds
  kind: 'bar' | 'beat';
  bar: number; // 1-based bar number the line belongs to
}

/**
 * Bar and beat lines for a constant tempo and a time signature, or a meter map (the piece's `meters`:
 * each change starts a new bar at its time; a bar it interrupts is shorter). A beat is one
 * denominator note (a quarter in 4/4, an eighth in 6/8), so a bar lasts numerator * (4 / denominator)
 * quarters.
 */
export function gridLines(
  bpm: number,
  timeSignature: [number, number],
  duration: number,
  meters?: readonly { time: number; timeSignature: [number, number] }[],
): GridLine[] {
  if (!(bpm > 0) || !(duration > 0)) return [];
  const segments = meters?.length ? meters : [{ time: 0, timeSignature }];
  const lines: GridLine[] = [];
  let bar = 0;
  for (let s = 0; s < segments.length; s++) {
    const [num, den] = segments[s].timeSignature;
    if (!(num > 0) || !(den > 0)) return [];
    const from = s === 0 ? 0 : segments[s].time;
    const next = s + 1 < segments.length ? segments[s + 1].time : Infinity;
    const beat = (60 / bpm) * (4 / den);
    // Up to the next change (which draws its own bar line), the last segment up to the end included.
    for (let i = 0; ; i++) {
      const time = from + i * beat;
      if (time > duration + 1e-9 || time > next - 1e-9) break;
      if (i % num === 0) bar++;
      lines.push({ time, kind: i % num === 0 ? 'bar' : 'beat', bar });
    }
  }
  return lines;
}
