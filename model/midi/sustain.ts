/**
 * The sustain pedal (CC64) as sounding lengths, the way notation programs and DAWs' "apply sustain"
 * do: a note whose key is released while the pedal is down sounds on until the pedal comes up, or
 * until the same pitch is struck again, whichever is first (a re-strike under the pedal ends the
 * ringing note there). The pedal follows a synthesizer's state: down from a value >= 64 to the next
 * value < 64; a second "down" while it is down changes nothing (overlapping pedal regions merge), and
 * events of several tracks on one channel act as one pedal, in time order. A pedal still down at the
 * end of the file holds until `endTick`. Key-up lengths are never shortened.
 */
import type { MidiNote } from '../common/types.js';
import type { PedalEvent } from './smf-reader.js';

/** The pedal-down regions [from, to) of one channel's events (sorted by tick; file order at a tick). */
export function pedalRegions(events: readonly PedalEvent[], endTick: number): [number, number][] {
  const regions: [number, number][] = [];
  let downAt = -1;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    // Of several events at one tick the last one is the pedal's state there.
    if (i + 1 < events.length && events[i + 1].tick === e.tick) continue;
    if (e.down && downAt < 0) downAt = e.tick;
    else if (!e.down && downAt >= 0) {
      if (e.tick > downAt) regions.push([downAt, e.tick]);
      downAt = -1;
    }
  }
  if (downAt >= 0 && endTick > downAt) regions.push([downAt, endTick]);
  return regions;
}

/**
 * Lengthens, in place, the notes (of one part, sorted by start) released under a pedal region; returns
 * how many were lengthened.
 */
export function applySustain(notes: MidiNote[], regions: readonly [number, number][]): number {
  if (!regions.length || !notes.length) return 0;
  // The next start of the same pitch after each note (the re-strike that ends a held note).
  const nextStart = new Array<number>(notes.length).fill(Infinity);
  const seen = new Map<number, number>();
  for (let i = notes.length - 1; i >= 0; i--) {
    const n = notes[i];
    const later = seen.get(n.pitch);
    if (later !== undefined) nextStart[i] = notes[later].startTick;
    seen.set(n.pitch, i);
  }
  // Releases in time order, walked against the regions in one pass.
  const order = notes.map((_, i) => i);
  const release = (i: number) => notes[i].startTick + notes[i].durationTicks;
  order.sort((a, b) => release(a) - release(b));
  let lengthened = 0;
  let r = 0;
  for (const i of order) {
    const up = release(i);
    while (r < regions.length && regions[r][1] <= up) r++;
    if (r >= regions.length) break;
    const [from, to] = regions[r];
    if (from > up) continue;
    const end = Math.max(up, Math.min(to, nextStart[i]));
    if (end > up) {
      notes[i].durationTicks = end - notes[i].startTick;
      lengthened++;
    }
  }
  return lengthened;
}
