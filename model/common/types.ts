/**
 * Data types shared by every part of the core (MIDI io, encoding, training, generation).
 * Pure data: no tfjs, no Node, no DOM. Times are in ticks (MIDI) or grid steps (quantized).
 */

/** The tfjs backends the core can run on, best first: tfjs-node, WebAssembly, plain JavaScript. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_ORDER: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

/** A note as read from a MIDI file, in ticks of the file's PPQ. */
export interface MidiNote {
  pitch: number; // 0-127
  startTick: number;
  durationTicks: number;
  velocity: number; // 1-127
}

export interface TempoEvent {
  tick: number;
  bpm: number;
}

export interface TimeSignatureEvent {
  tick: number;
  numerator: number;
  denominator: number;
}

export interface KeySignatureEvent {
  tick: number;
  key: string; // e.g. "C", "F#"
  scale: 'major' | 'minor';
}

export interface MidiTrack {
  index: number;
  name: string;
  channel: number;
  program: number; // GM program 0-127
  instrument: string; // GM instrument name
  isDrum: boolean; // channel 10 (index 9)
  notes: MidiNote[];
}

/** Everything the importer keeps of one MIDI file. */
export interface MidiPiece {
  name: string; // file name, used in every message about this piece
  format: 0 | 1 | 2;
  ppq: number;
  durationTicks: number;
  tempos: TempoEvent[]; // at least one (120 bpm at tick 0 when the file has none)
  timeSignatures: TimeSignatureEvent[]; // at least one (4/4 at tick 0 when the file has none)
  keySignatures: KeySignatureEvent[];
  tracks: MidiTrack[];
}

/** Quantization grids: steps per quarter note. */
export type GridName = '8th' | '16th' | '32nd' | '8th-triplet' | '16th-triplet';
export const STEPS_PER_QUARTER: Record<GridName, number> = {
  '8th': 2,
  '16th': 4,
  '32nd': 8,
  '8th-triplet': 3,
  '16th-triplet': 6,
};
export const GRID_NAMES = Object.keys(STEPS_PER_QUARTER) as readonly GridName[];

/** Grid steps in one bar of a time signature (rounded for meters the grid cannot divide). */
export function stepsPerBar(stepsPerQuarter: number, timeSignature: readonly [number, number]): number {
  return Math.round((stepsPerQuarter * 4 * timeSignature[0]) / timeSignature[1]);
}

/** A note on the quantization grid. `track` is the MidiTrack index it came from. */
export interface GridNote {
  pitch: number;
  start: number; // step
  duration: number; // steps, >= 1
  velocity: number;
  track: number;
}

/** What was changed or could not be represented while turning a piece into grid notes. */
export interface QuantizeReport {
  notes: number; // notes considered
  moved: number; // notes whose start or end moved
  meanShiftSteps: number; // mean |shift| of starts, in steps
  maxShiftSteps: number;
  droppedOutOfRange: number; // pitch outside the encoder's range
  droppedOverPolyphony: number; // more simultaneous onsets than the limit
  mergedDuplicates: number; // same pitch, same start (kept once, the longer)
  clampedDurations: number; // longer than the longest duration token
}

/** A meter on the grid: from `step` on, bars of `timeSignature` (a new bar starts at `step`). */
export interface GridMeter {
  step: number;
  timeSignature: [number, number];
}

/** A tempo on the grid, from `step` on. */
export interface GridTempo {
  step: number;
  bpm: number;
}

/** A piece on the grid: what the encoder and the generator work with. */
export interface GridPiece {
  name: string;
  stepsPerQuarter: number;
  bpm: number; // the tempo at the first note
  timeSignature: [number, number]; // the meter at the first note
  lengthSteps: number;
  notes: GridNote[]; // sorted by start, then pitch
  /**
   * The meter map, sorted by step, the first at step 0: present only when the meter changes. Bars
   * follow it (encoding/bars.ts); without it every bar is of `timeSignature`, from step 0.
   */
  meters?: GridMeter[];
  /** The tempo map, sorted by step, the first at step 0: present only when the tempo changes. */
  tempos?: GridTempo[];
}
