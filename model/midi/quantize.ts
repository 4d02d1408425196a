/**
 * quantizePiece: a MidiPiece (ticks) to a GridPiece (steps of a grid), for the encoder. Starts and
 * ends snap to the nearest step (a note shorter than a step keeps 1 step); notes outside the pitch
 * range, onsets over the polyphony limit, duplicates (same pitch and step) and over-long durations are
 * dropped, merged or clamped, and every one of them is counted in the QuantizeReport: nothing is
 * dropped silently. A note of the same pitch that is still sounding when the next one starts is cut
 * at that start (a re-strike), so the result is exactly representable as MIDI again; such cuts count
 * as moved. The grid piece keeps the file's meter map and tempo map (snapped to steps, the last of
 * several at one step winning) when they change; `bpm` and `timeSignature` are those at the first note.
 */
import type {
  GridMeter,
  GridName,
  GridNote,
  GridPiece,
  GridTempo,
  MidiPiece,
  QuantizeReport,
} from '../common/types.js';
import { STEPS_PER_QUARTER } from '../common/types.js';
import { tempoAt, timeSignatureAt } from './timing.js';

export interface QuantizeOptions {
  grid?: GridName;
  /** Track indices to use; default: every non-drum track with notes (plus drums if includeDrums). */
  tracks?: number[];
  includeDrums?: boolean;
  pitchRange?: [number, number];
  /** Most notes starting at one step; the extra ones (inner voices first) are dropped and counted. */
  maxPolyphony?: number;
  /** Longest note in steps; longer ones are clamped and counted. Default: no limit. */
  maxDurationSteps?: number;
}

export const DEFAULT_PITCH_RANGE: [number, number] = [21, 108];
export const DEFAULT_MAX_POLYPHONY = 16;

/** The tracks quantizePiece uses by default. */
export function defaultTrackSelection(piece: MidiPiece, includeDrums = false): number[] {
  return piece.tracks.filter((t) => t.notes.length > 0 && (includeDrums || !t.isDrum)).map((t) => t.index);
}

/** Events at ticks to events at steps: rounded, the last one at a step wins. */
function onGrid<T extends { tick: number }, U extends { step: number }>(
  events: readonly T[],
  ticksPerStep: number,
  map: (e: T, step: number) => U,
): U[] {
  const out: U[] = [];
  for (const e of events) {
    const step = Math.max(0, Math.round(e.tick / ticksPerStep));
    if (out.length && out[out.length - 1].step === step) out[out.length - 1] = map(e, step);
    else out.push(map(e, step));
  }
  if (out.length) out[0] = { ...out[0], step: 0 };
  return out;
}

export function quantizePiece(
  piece: MidiPiece,
  opts: QuantizeOptions = {},
): { piece: GridPiece; report: QuantizeReport } {
  const grid = opts.grid ?? '16th';
  const spq = STEPS_PER_QUARTER[grid];
  if (!spq) throw new RangeError(`unknown grid '${grid}'`);
  const [lo, hi] = opts.pitchRange ?? DEFAULT_PITCH_RANGE;
  const maxPoly = Math.max(1, opts.maxPolyphony ?? DEFAULT_MAX_POLYPHONY);
  const maxDur = opts.maxDurationSteps ?? Infinity;
  const selected = opts.tracks ?? defaultTrackSelection(piece, opts.includeDrums ?? false);
  const ticksPerStep = piece.ppq / spq;

  const report: QuantizeReport = {
    notes: 0,
    moved: 0,
    meanShiftSteps: 0,
    maxShiftSteps: 0,
    droppedOutOfRange: 0,
    droppedOverPolyphony: 0,
    mergedDuplicates: 0,
    clampedDurations: 0,
  };
  let shiftSum = 0;
  const movedFlags: boolean[] = [];
  let firstTick = Infinity;
  let notes: (GridNote & { id: number })[] = [];
  for (const ti of selected) {
    const track = piece.tracks.find((t) => t.index === ti);
    if (!track) throw new RangeError(`${piece.name}: there is no track ${ti}`);
    for (const n of track.notes) {
      report.notes++;
      const exactStart = n.startTick / ticksPerStep;
      const exactEnd = (n.startTick + n.durationTicks) / ticksPerStep;
      const start = Math.round(exactStart);
      let end = Math.round(exactEnd);
      if (end <= start) end = start + 1;
      const shift = Math.abs(exactStart - start);
      shiftSum += shift;
      report.maxShiftSteps = Math.max(report.maxShiftSteps, shift);
      const id = movedFlags.length;
      movedFlags.push(shift > 1e-9 || Math.abs(exactEnd - end) > 1e-9);
      if (n.pitch < lo || n.pitch > hi) {
        report.droppedOutOfRange++;
        continue;
      }
      firstTick = Math.min(firstTick, n.startTick);
      notes.push({ pitch: n.pitch, start, duration: end - start, velocity: n.velocity, track: ti, id });
    }
  }
  report.meanShiftSteps = report.notes ? shiftSum / report.notes : 0;

  // Merge duplicates: same pitch, same step: keep the longer (then the louder).
  notes.sort(
    (a, b) => a.start - b.start || a.pitch - b.pitch || b.duration - a.duration || b.velocity - a.velocity,
  );
  const merged: typeof notes = [];
  for (const n of notes) {
    const prev = merged[merged.length - 1];
    if (prev && prev.start === n.start && prev.pitch === n.pitch) {
      report.mergedDuplicates++;
      continue;
    }
    merged.push(n);
  }
  notes = merged;

  // Polyphony: at most maxPoly onsets per step; keep the highest maxPoly-1 and the lowest.
  const kept: typeof notes = [];
  for (let i = 0; i < notes.length;) {
    let j = i;
    while (j < notes.length && notes[j].start === notes[i].start) j++;
    const group = notes.slice(i, j);
    if (group.length > maxPoly) {
      report.droppedOverPolyphony += group.length - maxPoly;
      const keep =
        maxPoly === 1 ? [group[group.length - 1]] : [group[0], ...group.slice(group.length - (maxPoly - 1))];
      for (const n of keep) kept.push(n);
    } else for (const n of group) kept.push(n);
    i = j;
  }
  notes = kept;

  // Same pitch still sounding at the next onset of that pitch: cut it there.
  const lastOfPitch = new Map<number, GridNote & { id: number }>();
  for (const n of notes) {
    const prev = lastOfPitch.get(n.pitch);
    if (prev && prev.start + prev.duration > n.start) {
      prev.duration = n.start - prev.start;
      movedFlags[prev.id] = true;
    }
    lastOfPitch.set(n.pitch, n);
  }
  for (const n of notes) {
    if (n.duration > maxDur) {
      n.duration = maxDur;
      report.clampedDurations++;
      movedFlags[n.id] = true;
    }
  }
  report.moved = notes.filter((n) => movedFlags[n.id]).length;

  let lengthSteps = 0;
  for (const n of notes) lengthSteps = Math.max(lengthSteps, n.start + n.duration);
  const at = Number.isFinite(firstTick) ? firstTick : 0;
  const out: GridPiece = {
    name: piece.name,
    stepsPerQuarter: spq,
    bpm: Math.round(tempoAt(piece.tempos, at) * 100) / 100,
    timeSignature: timeSignatureAt(piece.timeSignatures, at),
    lengthSteps,
    notes: notes.map(({ pitch, start, duration, velocity, track }) => ({
      pitch,
      start,
      duration,
      velocity,
      track,
    })),
  };
  const meters: GridMeter[] = onGrid(piece.timeSignatures, ticksPerStep, (t, step) => ({
    step,
    timeSignature: [t.numerator, t.denominator],
  }));
  if (meters.length > 1) out.meters = meters;
  const tempos: GridTempo[] = onGrid(piece.tempos, ticksPerStep, (t, step) => ({ step, bpm: t.bpm }));
  if (tempos.length > 1) out.tempos = tempos;
  return { piece: out, report };
}
