/**
 * A corpus of awkward but valid MIDI files, written here event by event (smf-builder.ts), for the
 * import tests, the round trip and the independent reader check: the shapes of real users' files
 * that the benchmark corpora lack. Each file comes with what a faithful import must give.
 */
import { ev, smf, track, type RawEvent } from './smf-builder.js';

/** The SMF builder, for tests outside model/ (lint lets them import the core's *.fixture.ts files, not its internals). */
export { ev, smf, track };

export interface CorpusCase {
  name: string;
  bytes: Uint8Array;
}

const cc = (delta: number, ch: number, n: number, v: number): RawEvent => [delta, 0xb0 | ch, n, v];
const bend = (delta: number, ch: number, v14: number): RawEvent => [delta, 0xe0 | ch, v14 & 0x7f, v14 >> 7];
const pedal = (delta: number, ch: number, down: boolean) => cc(delta, ch, 64, down ? 127 : 0);

/** A note: on at `delta`, off `length` ticks later (two events). */
const note = (delta: number, ch: number, pitch: number, length: number, vel = 80): RawEvent[] => [
  ev.on(delta, ch, pitch, vel),
  ev.off(length, ch, pitch),
];

/** Format 1, 480 PPQ: 8 quarter notes at 100 bpm, then a final ritardando 60, 30, 15, 8, 5 bpm. */
export function ritardando(): CorpusCase {
  const conductor = track([
    ev.tempo(0, 100),
    ev.timeSig(0, 4, 4),
    ev.tempo(4 * 480, 60),
    ev.tempo(480, 30),
    ev.tempo(480, 15),
    ev.tempo(480, 8),
    ev.tempo(480, 5),
  ]);
  const melody: RawEvent[] = [ev.name(0, 'Piano')];
  for (let i = 0; i < 8; i++) melody.push(...note(0, 0, 60 + i, 480));
  return { name: 'ritardando.mid', bytes: smf(1, 480, [conductor, track(melody)]) };
}

/** Format 0, 96 PPQ: an accelerando of 240 tempo changes, one per eighth note, 60 → 179.5 bpm. */
export const MANY_TEMPOS = 240;
export function manyTempos(): CorpusCase {
  const events: RawEvent[] = [ev.timeSig(0, 4, 4)];
  for (let i = 0; i < MANY_TEMPOS; i++) {
    events.push(ev.tempo(0, 60 + i / 2));
    events.push(...note(0, 0, 60 + (i % 12), 48));
  }
  return { name: 'many-tempos.mid', bytes: smf(0, 96, [track(events)]) };
}

/**
 * Format 1, 480 PPQ, piano on channel 1; the pedal is in its own track, as notation programs write it.
 * Pedal: down at 0, down again at 240 (no lift between: one region), up at 960, up again at 1200; down
 * at 1440, up at 2400; down at 2880 and never lifted (the file ends at 3840).
 * Notes: C4 0-120 (held to 960); E4 120-1200 (released after the lift: unchanged); G4 1500-1600 and
 * G4 again 1800-1900 (the re-strike ends the first at 1800; the second is held to 2400); A4 1200-1300
 * (released with the pedal up: unchanged); C5 2900-3000 (held to the file's end, 3840); B3 3000-3840.
 */
export function pedalPiano(): CorpusCase {
  const pedalTrack = track([
    ev.name(0, 'Pedal'),
    pedal(0, 0, true),
    pedal(240, 0, true),
    pedal(720, 0, false),
    pedal(240, 0, false),
    pedal(240, 0, true),
    pedal(960, 0, false),
    pedal(480, 0, true),
  ]);
  const piano = track([
    ev.name(0, 'Piano'),
    ev.on(0, 0, 60),
    ev.on(120, 0, 64),
    ev.off(0, 0, 60), // C4 0-120
    ev.off(1080, 0, 64), // E4 120-1200
    ev.on(0, 0, 69),
    ev.off(100, 0, 69), // A4 1200-1300
    ev.on(200, 0, 67),
    ev.off(100, 0, 67), // G4 1500-1600
    ev.on(200, 0, 67),
    ev.off(100, 0, 67), // G4 1800-1900
    ev.on(1000, 0, 72),
    ev.off(100, 0, 72), // C5 2900-3000
    ev.on(0, 0, 59),
    ev.off(840, 0, 59), // B3 3000-3840
  ]);
  return { name: 'pedal-piano.mid', bytes: smf(1, 480, [track([ev.tempo(0, 72)]), pedalTrack, piano]) };
}

/**
 * Format 0, 96 PPQ: 3/4 for two bars, 5/8 for two bars, then 4/4 for two bars, all changes after the
 * first note. Each bar holds one note per beat (a quarter, an eighth, a quarter), the same bar twice
 * in each meter, so bar-based tokens only line up when bars follow the meter map.
 */
export function meterChanges(): CorpusCase {
  const events: RawEvent[] = [ev.tempo(0, 90), ev.timeSig(0, 3, 4)];
  const bar = (beats: number, beatTicks: number, base: number) => {
    for (let b = 0; b < beats; b++) events.push(...note(0, 0, base + b, beatTicks));
  };
  bar(3, 96, 60);
  bar(3, 96, 60);
  events.push(ev.timeSig(0, 5, 8));
  bar(5, 48, 67);
  bar(5, 48, 67);
  events.push(ev.timeSig(0, 4, 4));
  bar(4, 96, 72);
  bar(4, 96, 72);
  return { name: 'meters.mid', bytes: smf(0, 96, [track(events)]) };
}

/**
 * Format 1, 480 PPQ: a melody with 102 pitch bends (a vibrato), 20 modulation and 3 volume
 * controller events, 4 channel pressure events, a second program change and a lyric.
 */
export function pitchBends(): CorpusCase {
  const events: RawEvent[] = [ev.name(0, 'Lead'), ev.program(0, 0, 80), cc(0, 0, 7, 100)];
  events.push(ev.on(0, 0, 64, 90));
  for (let i = 0; i < 102; i++) events.push(bend(i === 0 ? 0 : 10, 0, 8192 + Math.round(1000 * Math.sin(i))));
  events.push(ev.off(0, 0, 64)); // 64: 0-1010
  for (let i = 0; i < 20; i++) events.push(cc(i === 0 ? 0 : 5, 0, 1, i * 6));
  events.push(cc(0, 0, 7, 90), cc(0, 0, 7, 80));
  for (let i = 0; i < 4; i++) events.push([0, 0xd0, 40 + i]);
  events.push(ev.program(0, 0, 81));
  events.push([0, 0xff, 0x05, 2, 0x6c, 0x61]); // lyric "la"
  events.push(...note(0, 0, 67, 480)); // 67: 1105-1585
  return { name: 'bends.mid', bytes: smf(1, 480, [track([ev.tempo(0, 120)]), track(events)]) };
}

/** Format 0, 480 PPQ: a drum groove on channel 10 only (kick, snare, hi-hat). */
export function drumsOnly(): CorpusCase {
  const events: RawEvent[] = [ev.tempo(0, 110)];
  for (let beat = 0; beat < 8; beat++) {
    const drum = beat % 2 ? 38 : 36;
    events.push(ev.on(beat ? 360 : 0, 9, drum, 100), ev.on(0, 9, 42, 70));
    events.push(ev.off(120, 9, drum), ev.off(0, 9, 42));
  }
  return { name: 'drums.mid', bytes: smf(0, 480, [track(events)]) };
}

/** Every case, in a fixed order. */
export function testCorpus(): CorpusCase[] {
  return [ritardando(), manyTempos(), pedalPiano(), meterChanges(), pitchBends(), drumsOnly()];
}
