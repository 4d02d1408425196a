/** Tempo-map arithmetic on a MidiPiece: ticks to seconds, the tempo or meter in effect at a tick. */
import type { TempoEvent, TimeSignatureEvent } from '../common/types.js';

/** Seconds from tick 0 to `tick`, following every tempo change. `tempos` sorted by tick. */
export function ticksToSeconds(tempos: readonly TempoEvent[], ppq: number, tick: number): number {
  let seconds = 0;
  let lastTick = 0;
  let bpm = 120;
  for (const t of tempos) {
    if (t.tick >= tick) break;
    seconds += ((t.tick - lastTick) / ppq) * (60 / bpm);
    lastTick = t.tick;
    bpm = t.bpm;
  }
  return seconds + ((tick - lastTick) / ppq) * (60 / bpm);
}

/** The event in effect at `tick` (the last one at or before it, else the first). */
export function eventAt<T extends { tick: number }>(events: readonly T[], tick: number): T | undefined {
  let found = events[0];
  for (const e of events) {
    if (e.tick <= tick) found = e;
    else break;
  }
  return found;
}

export function tempoAt(tempos: readonly TempoEvent[], tick: number): number {
  return eventAt(tempos, tick)?.bpm ?? 120;
}

export function timeSignatureAt(sigs: readonly TimeSignatureEvent[], tick: number): [number, number] {
  const e = eventAt(sigs, tick);
  return e ? [e.numerator, e.denominator] : [4, 4];
}
