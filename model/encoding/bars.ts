/**
 * Where the bars of a grid piece are: the one answer used by the encoder (REPEAT tokens), the
 * decoder, the generation grammar and the generator. Bars follow the meter map (GridPiece.meters):
 * every meter change starts a new bar at its step (a bar the change interrupts is shorter), and bars
 * of the meter then follow until the next change. A piece without a map has bars of its one
 * timeSignature from step 0, exactly as before meter maps existed.
 */
import { stepsPerBar, type GridMeter, type GridPiece } from '../common/types.js';

interface Segment {
  step: number; // where the segment starts (a bar line)
  length: number; // steps per bar in it
  firstBar: number; // index of its first bar
  end: number; // the next segment's step (Infinity for the last)
}

export class BarGrid {
  private readonly segs: Segment[];
  /** False when some meter is shorter than one step on this grid: then no bar-based token is used. */
  readonly usable: boolean;

  /** Segments as [step, steps per bar], sorted by step; the first is moved to step 0. */
  constructor(segments: readonly (readonly [number, number])[]) {
    const sorted = segments
      .filter(([step]) => Number.isFinite(step))
      .map(([step, length], i) => ({ step: Math.max(0, Math.round(step)), length: Math.round(length), i }))
      .sort((a, b) => a.step - b.step || a.i - b.i);
    const segs: Segment[] = [];
    for (const s of sorted) {
      const last = segs[segs.length - 1];
      if (last && last.step === s.step)
        last.length = s.length; // the last one at a step wins
      else segs.push({ step: s.step, length: s.length, firstBar: 0, end: Infinity });
    }
    if (!segs.length) segs.push({ step: 0, length: 0, firstBar: 0, end: Infinity });
    segs[0].step = 0;
    for (let i = 0; i + 1 < segs.length; i++) segs[i].end = segs[i + 1].step;
    this.usable = segs.every((s) => s.length >= 1);
    for (let i = 1; i < segs.length && this.usable; i++) {
      const prev = segs[i - 1];
      segs[i].firstBar = prev.firstBar + Math.ceil((segs[i].step - prev.step) / prev.length);
    }
    this.segs = segs;
  }

  /** Bars of one length from step 0 (a piece or a generation in one meter). */
  static constant(barSteps: number): BarGrid {
    return new BarGrid([[0, barSteps]]);
  }

  /** The bars of a piece: its meter map, else its one time signature. */
  static of(piece: Pick<GridPiece, 'stepsPerQuarter' | 'timeSignature' | 'meters'>): BarGrid {
    return BarGrid.fromMeters(piece.stepsPerQuarter, piece.meters, piece.timeSignature);
  }

  static fromMeters(
    stepsPerQuarter: number,
    meters: readonly GridMeter[] | undefined,
    timeSignature: readonly [number, number],
  ): BarGrid {
    if (!meters?.length) return BarGrid.constant(stepsPerBar(stepsPerQuarter, timeSignature));
    return new BarGrid(meters.map((m) => [m.step, stepsPerBar(stepsPerQuarter, m.timeSignature)]));
  }

  /** True when every bar has the same length. */
  get constant(): boolean {
    return this.segs.length === 1;
  }

  /** The last segment whose `key` (its first step, or its first bar) is at most `value`. */
  private seg(key: 'step' | 'firstBar', value: number): Segment {
    const s = this.segs;
    if (s.length === 1) return s[0];
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid][key] <= value) lo = mid;
      else hi = mid - 1;
    }
    return s[lo];
  }

  /** The index of the bar holding `step` (0-based; steps before 0 are in bar 0). */
  barAt(step: number): number {
    if (!this.usable) return 0;
    const seg = this.seg('step', step);
    return seg.firstBar + Math.floor(Math.max(0, step - seg.step) / seg.length);
  }

  /** The first step of bar `bar`. */
  start(bar: number): number {
    if (!this.usable) return 0;
    const seg = this.seg('firstBar', bar);
    return seg.step + (bar - seg.firstBar) * seg.length;
  }

  /** Steps in bar `bar` (shorter than its meter's bar when a meter change interrupts it). */
  length(bar: number): number {
    if (!this.usable) return 0;
    const seg = this.seg('firstBar', bar);
    const start = seg.step + (bar - seg.firstBar) * seg.length;
    return Math.min(seg.length, seg.end - start);
  }

  /** True when `step` is the first step of a bar. */
  isBarStart(step: number): boolean {
    return this.usable && this.start(this.barAt(step)) === step;
  }
}
