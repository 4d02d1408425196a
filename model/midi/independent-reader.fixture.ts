/**
 * Finds a python3 with mido (Debian's python3-mido: /usr/bin/python3 first, as the python3 first on
 * PATH may be another one) and reads MIDI files with it through mido_read.py: an independent reader
 * for the tests. Node-only, test support.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export interface MidoFile {
  ppq: number;
  format: number;
  notes: [channel: number, pitch: number, startTick: number, durationTicks: number, velocity: number][];
  tempos: [tick: number, bpm: number][];
  meters: [tick: number, numerator: number, denominator: number][];
}

/** The first python3 that imports mido, or null. */
export function findMidoPython(): string | null {
  for (const py of ['/usr/bin/python3', 'python3']) {
    try {
      execFileSync(py, ['-c', 'import mido'], { stdio: 'ignore', timeout: 20_000 });
      return py;
    } catch {
      /* not this one */
    }
  }
  return null;
}

export function readWithMido(python: string, files: string[]): Record<string, MidoFile> {
  const script = resolve(__dirname, 'mido_read.py');
  const out = execFileSync(python, [script, ...files], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  });
  return JSON.parse(out) as Record<string, MidoFile>;
}
