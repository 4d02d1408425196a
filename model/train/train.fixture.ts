import type { GridPiece } from '../common/types.js';

/**
 * Small synthetic pieces for tests: a repeating melodic pattern over a bass note per bar, in a given
 * key, on the 16th grid. Structured enough that an LSTM beats count baselines within seconds.
 */
export function patternPiece(name: string, root: number, bars = 8, variant = 0): GridPiece {
  const steps = [0, 2, 4, 5, 7, 9, 11, 12];
  const notes = [];
  for (let bar = 0; bar < bars; bar++) {
    notes.push({
      pitch: root - 12 + (bar % 2 === 0 ? 0 : 7),
      start: bar * 16,
      duration: 16,
      velocity: 70,
      track: 1,
    });
    for (let k = 0; k < 8; k++) {
      const idx = (k + bar + variant) % 8;
      notes.push({ pitch: root + steps[idx], start: bar * 16 + k * 2, duration: 2, velocity: 90, track: 0 });
    }
  }
  notes.sort((a, b) => a.start - b.start || a.pitch - b.pitch);
  return { name, stepsPerQuarter: 4, bpm: 110, timeSignature: [4, 4], lengthSteps: bars * 16, notes };
}

export function patternCorpus(count: number): GridPiece[] {
  const roots = [60, 62, 64, 65, 67, 57, 59];
  return Array.from({ length: count }, (_, i) =>
    patternPiece(`piece-${i + 1}`, roots[i % roots.length], 6 + (i % 3), i % 4),
  );
}
