/**
 * MIDI writing: a GridPiece (generated or quantized) or a whole MidiPiece to Standard MIDI File bytes
 * (format 1: a conductor track with tempo, time and key signatures, then one track per part with its
 * name and GM program), through @tonejs/midi.
 */
import { Midi } from '@tonejs/midi';
import type { GridPiece, KeySignatureEvent, MidiPiece } from '../common/types.js';
import { sharpsOfKey } from './keys.js';
import { chunk, vlq } from './smf-builder.js';

export const WRITE_PPQ = 480;

export interface GridToMidiOptions {
  trackName?: string;
  program?: number; // GM program 0-127 (default 0, acoustic grand piano)
  velocity?: number; // 1-127: overrides every note's velocity
  /** One MIDI track per GridNote.track instead of a single track. */
  splitByTrack?: boolean;
}

// tonejs writes Math.floor(velocity * 127): aim a little above the integer so it survives.
const vel01 = (v: number) => (Math.min(127, Math.max(1, Math.round(v))) + 0.25) / 127;

export function gridPieceToMidi(piece: GridPiece, opts: GridToMidiOptions = {}): Uint8Array {
  const midi = new Midi();
  const ticksPerStep = WRITE_PPQ / piece.stepsPerQuarter;
  const at = (step: number) => Math.round(step * ticksPerStep);
  midi.header.name = piece.name;
  // The maps when the piece has them, else its one tempo and meter.
  for (const t of piece.tempos ?? [{ step: 0, bpm: piece.bpm }])
    midi.header.tempos.push({ ticks: at(t.step), bpm: t.bpm });
  for (const m of piece.meters ?? [{ step: 0, timeSignature: piece.timeSignature }])
    midi.header.timeSignatures.push({
      ticks: at(m.step),
      timeSignature: [m.timeSignature[0], m.timeSignature[1]],
    });
  midi.header.update();
  const groups = new Map<number, typeof piece.notes>();
  for (const n of piece.notes) {
    const key = opts.splitByTrack ? n.track : 0;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(n);
  }
  if (groups.size === 0) groups.set(0, []);
  const keys = [...groups.keys()].sort((a, b) => a - b);
  for (const key of keys) {
    const track = midi.addTrack();
    // The conductor track carries the piece's name: a note track never repeats it alone (a DAW
    // would show two tracks of the same name).
    track.name = opts.trackName ?? (keys.length > 1 ? `${piece.name} ${key + 1}` : `${piece.name} (notes)`);
    track.channel = keys.length > 1 ? channelFor(keys.indexOf(key)) : 0;
    track.instrument.number = Math.min(127, Math.max(0, Math.round(opts.program ?? 0)));
    for (const n of groups.get(key)!) {
      track.addNote({
        midi: n.pitch,
        ticks: at(n.start),
        durationTicks: Math.max(1, Math.round(n.duration * ticksPerStep)),
        velocity: vel01(opts.velocity ?? n.velocity),
      });
    }
  }
  return midi.toArray();
}

/** Channels 0-15 skipping 9 (drums). */
function channelFor(i: number): number {
  const c = i % 15;
  return c >= 9 ? c + 1 : c;
}

/** A MidiPiece back to bytes (format 1, the piece's own PPQ, tempo map, meters, keys, every track). */
export function midiPieceToBytes(piece: MidiPiece): Uint8Array {
  const midi = new Midi();
  midi.header.fromJSON({
    name: piece.name,
    ppq: piece.ppq,
    meta: [],
    tempos: piece.tempos.map((t) => ({ ticks: t.tick, bpm: t.bpm })),
    timeSignatures: piece.timeSignatures.map((t) => ({
      ticks: t.tick,
      timeSignature: [t.numerator, t.denominator],
    })),
    keySignatures: [], // written below: @tonejs/midi 2.0.28 writes wrong key signature numbers
  });
  midi.header.update();
  for (const t of piece.tracks) {
    const track = midi.addTrack();
    track.name = t.name;
    track.channel = t.isDrum ? 9 : t.channel;
    track.instrument.number = t.program;
    for (const n of t.notes) {
      track.addNote({
        midi: n.pitch,
        ticks: n.startTick,
        durationTicks: Math.max(1, n.durationTicks),
        velocity: vel01(n.velocity),
      });
    }
  }
  return appendKeySignatures(midi.toArray(), piece.keySignatures);
}

/** Adds a track holding only the key signature events (format 1 allows meta events in any track). */
function appendKeySignatures(bytes: Uint8Array, keys: readonly KeySignatureEvent[]): Uint8Array {
  const events: number[] = [];
  let last = 0;
  for (const k of [...keys].sort((a, b) => a.tick - b.tick)) {
    const sharps = sharpsOfKey(k.key, k.scale);
    if (sharps === null) continue;
    events.push(...vlq(k.tick - last), 0xff, 0x59, 2, sharps & 0xff, k.scale === 'minor' ? 1 : 0);
    last = k.tick;
  }
  if (!events.length) return bytes;
  events.push(0, 0xff, 0x2f, 0);
  const extra = chunk('MTrk', events);
  const out = new Uint8Array(bytes.length + extra.length);
  out.set(bytes, 0);
  out.set(extra, bytes.length);
  const tracks = ((out[10] << 8) | out[11]) + 1;
  out[10] = (tracks >> 8) & 0xff;
  out[11] = tracks & 0xff;
  return out;
}
