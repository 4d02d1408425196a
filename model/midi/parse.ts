/**
 * parseMidi: bytes of a Standard MIDI File (format 0, 1 or 2, any PPQ) to a MidiPiece: every track
 * with notes (name, channel, GM program and instrument name, drum flag), the tempo map, time
 * signatures and key signatures. The file is first checked by validateMidi (precise reasons for
 * truncated or corrupt files), then parsed by @tonejs/midi; anything either throws becomes a
 * MidiImportError naming the file.
 */
import { Midi } from '@tonejs/midi';
import type { KeySignatureEvent, MidiPiece, MidiTrack, TempoEvent, TimeSignatureEvent } from '../core/types.js';
import { MidiImportError, describeThrown } from './errors.js';
import { MAX_BPM, MIN_BPM, validateMidi } from './validate.js';
import { keyFromSharps, sharpsOfKey } from './keys.js';

/** A parsed piece plus the repairs made while reading it (empty when the file was clean). */
export interface ParsedMidiPiece extends MidiPiece {
  warnings: string[];
}


export function parseMidi(bytes: Uint8Array, name: string): ParsedMidiPiece {
  const checked = validateMidi(bytes, name);
  let midi: Midi;
  try {
    midi = new Midi(checked.clean);
  } catch (err) {
    throw new MidiImportError(name, `could not be read as MIDI (${describeThrown(err)})`, { cause: err });
  }
  try {
    return toPiece(midi, name, checked.format, checked.ppq, checked.warnings);
  } catch (err) {
    if (err instanceof MidiImportError) throw err;
    throw new MidiImportError(name, `could not be read as MIDI (${describeThrown(err)})`, { cause: err });
  }
}

function toPiece(midi: Midi, name: string, format: 0 | 1 | 2, ppq: number, warnings: string[]): ParsedMidiPiece {
  const tracks: MidiTrack[] = [];
  let durationTicks = 0;
  for (const t of midi.tracks) {
    if (t.notes.length === 0) continue;
    const notes = t.notes
      .map((n) => ({
        pitch: n.midi,
        startTick: n.ticks,
        durationTicks: n.durationTicks,
        velocity: Math.min(127, Math.max(1, Math.round(n.velocity * 127))),
      }))
      .sort((a, b) => a.startTick - b.startTick || a.pitch - b.pitch);
    for (const n of notes) durationTicks = Math.max(durationTicks, n.startTick + n.durationTicks);
    const channel = t.channel;
    tracks.push({
      index: tracks.length,
      name: t.name.trim(),
      channel,
      program: t.instrument.number,
      instrument: channel === 9 ? 'drums' : t.instrument.name,
      isDrum: channel === 9,
      notes,
    });
  }
  if (tracks.length === 0) throw new MidiImportError(name, 'no notes (the file has no note events)');

  // Tempo map: sorted, one event per tick (the last one wins), 120 bpm until the first change.
  const tempos: TempoEvent[] = [];
  for (const e of [...midi.header.tempos].sort((a, b) => a.ticks - b.ticks)) {
    const bpm = Math.round(e.bpm * 1000) / 1000;
    if (!(bpm >= MIN_BPM && bpm <= MAX_BPM)) throw new MidiImportError(name, `absurd tempo ${bpm} bpm at tick ${e.ticks}`);
    if (tempos.length && tempos[tempos.length - 1].tick === e.ticks) tempos[tempos.length - 1].bpm = bpm;
    else tempos.push({ tick: e.ticks, bpm });
  }
  if (!tempos.length || tempos[0].tick > 0) tempos.unshift({ tick: 0, bpm: 120 });

  const timeSignatures: TimeSignatureEvent[] = [];
  for (const e of [...midi.header.timeSignatures].sort((a, b) => a.ticks - b.ticks)) {
    const [numerator, denominator] = e.timeSignature;
    if (!(numerator >= 1 && numerator <= 64 && denominator >= 1 && denominator <= 64)) {
      warnings.push(`ignored a time signature ${numerator}/${denominator} at tick ${e.ticks}`);
      continue;
    }
    if (timeSignatures.length && timeSignatures[timeSignatures.length - 1].tick === e.ticks) timeSignatures.pop();
    timeSignatures.push({ tick: e.ticks, numerator, denominator });
  }
  if (!timeSignatures.length || timeSignatures[0].tick > 0) timeSignatures.unshift({ tick: 0, numerator: 4, denominator: 4 });

  const keySignatures: KeySignatureEvent[] = [];
  for (const e of [...midi.header.keySignatures].sort((a, b) => a.ticks - b.ticks)) {
    // @tonejs/midi names the major key of the signature whatever the mode: name the real tonic.
    const scale = e.scale === 'minor' ? 'minor' : 'major';
    const sharps = typeof e.key === 'string' ? sharpsOfKey(e.key, 'major') : null;
    const key = sharps === null ? null : keyFromSharps(sharps, scale);
    if (key === null) {
      warnings.push(`ignored an invalid key signature at tick ${e.ticks}`);
      continue;
    }
    if (keySignatures.length && keySignatures[keySignatures.length - 1].tick === e.ticks) keySignatures.pop();
    keySignatures.push({ tick: e.ticks, key, scale });
  }

  return { name, format, ppq, durationTicks, tempos, timeSignatures, keySignatures, tracks, warnings };
}
