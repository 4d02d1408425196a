/**
 * parseMidi: bytes of a Standard MIDI File (format 0, 1 or 2, any PPQ) to a MidiPiece: every track
 * with notes (one MidiTrack per channel of each track chunk: name, channel, GM program and instrument
 * name, drum flag), the tempo map, time signatures and key signatures. smf-reader.ts does the reading
 * and gives the precise reasons for bad files; anything unexpected still becomes a MidiImportError
 * naming the file, never a raw error.
 */
import { Midi } from '@tonejs/midi';
import type {
  KeySignatureEvent,
  MidiPiece,
  MidiTrack,
  TempoEvent,
  TimeSignatureEvent,
} from '../core/types.js';
import { MidiImportError, describeThrown } from './errors.js';
import { readSmf } from './smf-reader.js';
import type { RawSmf } from './smf-reader.js';
import { keyFromSharps } from './keys.js';

/** A parsed piece plus the repairs made while reading it (empty when the file was clean). */
export interface ParsedMidiPiece extends MidiPiece {
  warnings: string[];
}

/** General MIDI program names, as @tonejs/midi spells them ("acoustic grand piano", "violin"...). */
export const GM_INSTRUMENTS: readonly string[] = (() => {
  const probe = new Midi().addTrack();
  return Array.from({ length: 128 }, (_, i) => {
    probe.instrument.number = i;
    return probe.instrument.name;
  });
})();

export function parseMidi(bytes: Uint8Array, name: string): ParsedMidiPiece {
  const raw = readSmf(bytes, name);
  try {
    return toPiece(raw, name);
  } catch (err) {
    if (err instanceof MidiImportError) throw err;
    throw new MidiImportError(name, `could not be read as MIDI (${describeThrown(err)})`, { cause: err });
  }
}

/** Sorted by tick; of several events at one tick the last one wins. */
function byTick<T extends { tick: number }>(events: T[]): T[] {
  const sorted = events.map((e, i) => ({ e, i })).sort((a, b) => a.e.tick - b.e.tick || a.i - b.i);
  const out: T[] = [];
  for (const { e } of sorted) {
    if (out.length && out[out.length - 1].tick === e.tick) out[out.length - 1] = e;
    else out.push(e);
  }
  return out;
}

function toPiece(raw: RawSmf, name: string): ParsedMidiPiece {
  const tracks: MidiTrack[] = [];
  let durationTicks = 0;
  for (const part of raw.parts) {
    const notes = part.notes.slice().sort((a, b) => a.startTick - b.startTick || a.pitch - b.pitch);
    for (const n of notes) durationTicks = Math.max(durationTicks, n.startTick + n.durationTicks);
    const isDrum = part.channel === 9;
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
  if (tracks.length === 0) throw new MidiImportError(name, 'no notes (the file has no note events)');

  // Tempo map: 120 bpm until the first change.
  const tempos: TempoEvent[] = byTick(raw.tempos).map((t) => ({
    tick: t.tick,
    bpm: Math.round(t.bpm * 1000) / 1000,
  }));
  if (!tempos.length || tempos[0].tick > 0) tempos.unshift({ tick: 0, bpm: 120 });
  const timeSignatures: TimeSignatureEvent[] = byTick(raw.timeSignatures);
  if (!timeSignatures.length || timeSignatures[0].tick > 0)
    timeSignatures.unshift({ tick: 0, numerator: 4, denominator: 4 });
  const keySignatures: KeySignatureEvent[] = byTick(raw.keySignatures).map((k) => ({
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
    warnings: raw.warnings,
  };
}
