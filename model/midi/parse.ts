/**
 * parseMidi: bytes of a Standard MIDI File (format 0, 1 or 2, any PPQ) to a MidiPiece: every track
 * with notes (one MidiTrack per channel of each track chunk: name, channel, GM program and instrument
 * name, drum flag), the tempo map, time signatures and key signatures. Notes released under the
 * sustain pedal sound on until it is lifted (sustain.ts; `sustain: false` keeps key-up lengths).
 * smf-reader.ts does the reading and gives the precise reasons for bad files; anything unexpected
 * still becomes a MidiImportError naming the file, never a raw error. Everything read but left out
 * is counted in `ignored` and in `warnings` (import-warnings.ts).
 */
import { Midi } from '@tonejs/midi';
import type {
  KeySignatureEvent,
  MidiPiece,
  MidiTrack,
  TempoEvent,
  TimeSignatureEvent,
} from '../common/types.js';
import { MidiImportError, describeThrown } from './errors.js';
import { readSmf } from './smf-reader.js';
import type { IgnoredEvents, RawSmf } from './smf-reader.js';
import { keyFromSharps } from './keys.js';
import { applySustain, pedalRegions } from './sustain.js';
import { importWarnings, type SustainReport } from './import-warnings.js';

/** A parsed piece plus what the import repaired, changed or left out. */
export interface ParsedMidiPiece extends MidiPiece {
  /** One readable line per kind of repair or omission (empty when nothing was left out). */
  warnings: string[];
  ignored: IgnoredEvents;
  sustain: SustainReport;
  /**
   * Every tempo and time signature event as the file has it (in tick order), before the maps above
   * keep the last of several events at one tick and add the defaults (120 bpm, 4/4) at tick 0.
   */
  fileEvents: { tempos: TempoEvent[]; timeSignatures: TimeSignatureEvent[] };
}

export interface ParseOptions {
  /** Hold notes through the sustain pedal (CC64) where the file uses it. Default true. */
  sustain?: boolean;
}

/** General MIDI program names, as @tonejs/midi spells them ("acoustic grand piano", "violin"...). */
export const GM_INSTRUMENTS: readonly string[] = (() => {
  const probe = new Midi().addTrack();
  return Array.from({ length: 128 }, (_, i) => {
    probe.instrument.number = i;
    return probe.instrument.name;
  });
})();

export function parseMidi(bytes: Uint8Array, name: string, opts: ParseOptions = {}): ParsedMidiPiece {
  const raw = readSmf(bytes, name);
  try {
    return toPiece(raw, name, opts.sustain ?? true);
  } catch (err) {
    if (err instanceof MidiImportError) throw err;
    throw new MidiImportError(name, `could not be read as MIDI (${describeThrown(err)})`, { cause: err });
  }
}

/** Sorted by tick, file order at one tick (stable). */
function sortedByTick<T extends { tick: number }>(events: readonly T[]): T[] {
  let sorted = true;
  for (let i = 1; i < events.length && sorted; i++) sorted = events[i - 1].tick <= events[i].tick;
  if (sorted) return events.slice(); // the usual case: one track's events, or none
  return events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.tick - b.e.tick || a.i - b.i)
    .map(({ e }) => e);
}

/** Sorted by tick; of several events at one tick the last one wins (`replaced` counts the others). */
function byTick<T extends { tick: number }>(events: readonly T[], same: (a: T, b: T) => boolean) {
  const out: T[] = [];
  let replaced = 0;
  for (const e of sortedByTick(events)) {
    const last = out[out.length - 1];
    if (last && last.tick === e.tick) {
      if (!same(last, e)) replaced++;
      out[out.length - 1] = e;
    } else out.push(e);
  }
  return { events: out, replaced };
}

/** The reason a file without a single note gives nothing to import. */
function noNotesReason(raw: RawSmf): string {
  const i = raw.ignored;
  const ccs = Object.values(i.controllers).reduce((a, b) => a + b, 0) + raw.pedals.length;
  const had = [
    [ccs, 'controller'],
    [i.pitchBends, 'pitch bend'],
    [i.programChanges, 'program change'],
    [i.sysex, 'system exclusive'],
    [i.textEvents, 'text'],
    [raw.tempos.length, 'tempo'],
    [raw.timeSignatures.length, 'time signature'],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, what]) => `${n} ${what}`);
  return had.length
    ? `no notes: the file has no note events (only ${had.join(', ')} event(s))`
    : 'no notes (the file has no note events)';
}

function toPiece(raw: RawSmf, name: string, sustain: boolean): ParsedMidiPiece {
  const tracks: MidiTrack[] = [];
  const pedalsOf = new Map<number, RawSmf['pedals']>();
  for (const e of sortedByTick(raw.pedals)) {
    if (e.channel === 9) continue; // GM drums ignore the pedal
    if (!pedalsOf.has(e.channel)) pedalsOf.set(e.channel, []);
    pedalsOf.get(e.channel)!.push(e);
  }
  // The file's end, where a pedal never lifted stops holding (only needed when there is a pedal).
  let lastTick = 0;
  if (pedalsOf.size) {
    for (const part of raw.parts)
      for (const n of part.notes) lastTick = Math.max(lastTick, n.startTick + n.durationTicks);
    for (const p of raw.pedals) lastTick = Math.max(lastTick, p.tick);
  }
  const regions = new Map<number, [number, number][]>();
  const sustainReport: SustainReport = { applied: sustain, pedalEvents: 0, notesHeld: 0, channels: [] };
  for (const [ch, evs] of pedalsOf) {
    regions.set(ch, pedalRegions(evs, lastTick));
    sustainReport.pedalEvents += evs.length;
    sustainReport.channels.push(ch);
  }
  sustainReport.channels.sort((a, b) => a - b);
  let durationTicks = 0;
  let drumNotes = 0;
  for (const part of raw.parts) {
    const notes = part.notes.sort((a, b) => a.startTick - b.startTick || a.pitch - b.pitch); // raw is ours: in place
    if (sustain && regions.has(part.channel))
      sustainReport.notesHeld += applySustain(notes, regions.get(part.channel)!);
    for (const n of notes) durationTicks = Math.max(durationTicks, n.startTick + n.durationTicks);
    const isDrum = part.channel === 9;
    if (isDrum) drumNotes += notes.length;
    tracks.push({
      index: tracks.length,
      name: part.name,
      channel: part.channel,
      program: part.program,
      instrument: isDrum ? 'drums' : GM_INSTRUMENTS[part.program],
      isDrum,
      notes,
    });
  }
  if (tracks.length === 0) throw new MidiImportError(name, noNotesReason(raw));

  // Tempo map: 120 bpm until the first change.
  const fileTempos: TempoEvent[] = sortedByTick(raw.tempos).map((t) => ({
    tick: t.tick,
    bpm: Math.round(t.bpm * 1000) / 1000,
  }));
  const fileMeters: TimeSignatureEvent[] = sortedByTick(raw.timeSignatures);
  const tempoMap = byTick(fileTempos, (a, b) => a.bpm === b.bpm);
  const tempos = tempoMap.events.slice();
  if (!tempos.length || tempos[0].tick > 0) tempos.unshift({ tick: 0, bpm: 120 });
  const meterMap = byTick(
    fileMeters,
    (a, b) => a.numerator === b.numerator && a.denominator === b.denominator,
  );
  const timeSignatures = meterMap.events.slice();
  if (!timeSignatures.length || timeSignatures[0].tick > 0)
    timeSignatures.unshift({ tick: 0, numerator: 4, denominator: 4 });
  const mapWarnings: string[] = [];
  if (tempoMap.replaced)
    mapWarnings.push(
      `${tempoMap.replaced} tempo event(s) followed by a different tempo at the same tick: the last one at each tick is used`,
    );
  if (meterMap.replaced)
    mapWarnings.push(
      `${meterMap.replaced} time signature(s) followed by a different one at the same tick: the last one at each tick is used`,
    );
  const keySignatures: KeySignatureEvent[] = byTick(raw.keySignatures, () => true).events.map((k) => ({
    tick: k.tick,
    key: keyFromSharps(k.sharps, k.minor ? 'minor' : 'major')!,
    scale: k.minor ? 'minor' : 'major',
  }));

  return {
    name,
    format: raw.format,
    ppq: raw.ppq,
    durationTicks,
    tempos,
    timeSignatures,
    keySignatures,
    tracks,
    warnings: [...raw.warnings, ...mapWarnings, ...importWarnings(raw.ignored, sustainReport, drumNotes)],
    ignored: raw.ignored,
    sustain: sustainReport,
    fileEvents: { tempos: fileTempos, timeSignatures: fileMeters },
  };
}
