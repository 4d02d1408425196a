import type { GridPiece } from '../common/types.js';

/**
 * For the encoding tests (only *.test.ts files import this): a one-track piece on the 16th grid at
 * 120 bpm in 4/4 from [pitch, start step, duration in steps] triples, velocity 80.
 */
export function gridPiece(notes: [number, number, number][]): GridPiece {
  return {
    name: 'p',
    stepsPerQuarter: 4,
    bpm: 120,
    timeSignature: [4, 4],
    lengthSteps: 0,
    notes: notes.map(([pitch, start, duration]) => ({ pitch, start, duration, velocity: 80, track: 0 })),
  };
}
