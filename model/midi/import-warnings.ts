/**
 * The readable lines that tell what an import left out or changed: events read but not used (pitch
 * bends, controllers, aftertouch, later program changes, sysex, text), the sustain pedal, drum notes.
 * One line per kind, with counts: the file's warnings in `ostinato inspect` and the corpus panel.
 */
import type { IgnoredEvents } from './smf-reader.js';

/** What the sustain pedal did to a piece (see sustain.ts). */
export interface SustainReport {
  /** True when the import held notes through the pedal (the default); false when asked not to. */
  applied: boolean;
  /** CC64 events in the file (on every channel but the drums). */
  pedalEvents: number;
  /** Notes made longer (their key-up was under the pedal). */
  notesHeld: number;
  /** 0-based channels with pedal events. */
  channels: number[];
}

const CONTROLLER_NAMES: Record<number, string> = {
  0: 'bank select',
  1: 'modulation',
  2: 'breath',
  6: 'data entry',
  7: 'volume',
  10: 'pan',
  11: 'expression',
  32: 'bank select LSB',
  66: 'sostenuto pedal',
  67: 'soft pedal',
  91: 'reverb',
  93: 'chorus',
  100: 'RPN',
  101: 'RPN',
  121: 'reset controllers',
  123: 'all notes off',
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function importWarnings(ignored: IgnoredEvents, sustain: SustainReport, drumNotes: number): string[] {
  const out: string[] = [];
  if (sustain.pedalEvents > 0) {
    const chs = sustain.channels.map((c) => c + 1).join(', ');
    out.push(
      sustain.applied
        ? `sustain pedal: ${plural(sustain.notesHeld, 'note')} held through the pedal (${plural(sustain.pedalEvents, 'pedal event')}, channel ${chs}); import without sustain for key-up lengths`
        : `sustain pedal not applied: ${plural(sustain.pedalEvents, 'pedal event')} (channel ${chs}) ignored, notes keep their key-up lengths`,
    );
  }
  if (drumNotes > 0)
    out.push(`${plural(drumNotes, 'note')} on the drum channel (10): not used for training unless selected`);
  if (ignored.pitchBends > 0)
    out.push(`${plural(ignored.pitchBends, 'pitch bend')} ignored (notes keep their written pitch)`);
  const ccs = Object.entries(ignored.controllers)
    .map(([cc, n]) => ({ cc: Number(cc), n }))
    .sort((a, b) => b.n - a.n || a.cc - b.cc);
  if (ccs.length) {
    const total = ccs.reduce((s, c) => s + c.n, 0);
    const list = ccs
      .map((c) => `CC${c.cc}${CONTROLLER_NAMES[c.cc] ? ` ${CONTROLLER_NAMES[c.cc]}` : ''} ×${c.n}`)
      .join(', ');
    out.push(`${plural(total, 'controller event')} ignored (${list})`);
  }
  if (ignored.channelPressure + ignored.polyPressure > 0)
    out.push(`${plural(ignored.channelPressure + ignored.polyPressure, 'aftertouch event')} ignored`);
  if (ignored.programChanges > 0)
    out.push(
      `${plural(ignored.programChanges, 'program change')} after a part's first note ignored (each part keeps its first instrument)`,
    );
  if (ignored.sysex > 0) out.push(`${plural(ignored.sysex, 'system exclusive message')} ignored`);
  if (ignored.textEvents > 0)
    out.push(`${plural(ignored.textEvents, 'text event')} (lyrics, markers, comments) ignored`);
  if (ignored.strayNoteOffs > 0)
    out.push(`${plural(ignored.strayNoteOffs, 'note-off')} without a sounding note ignored`);
  return out;
}
