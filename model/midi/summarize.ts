/** summarizePiece: what `ostinato inspect` and the app's corpus panel show about an imported file. */
import type { MidiPiece, QuantizeReport } from '../common/types.js';
import { ticksToSeconds } from './timing.js';

export interface TrackInfo {
  index: number;
  name: string;
  instrument: string;
  channel: number; // 0-15 (9 = drums)
  program: number;
  isDrum: boolean;
  notes: number;
  lowestPitch: number;
  highestPitch: number;
}

/** What lists of tracks show (the app's corpus panel, `ostinato inspect`): the app's TrackSummary less `selected`. */
export type TrackListing = Pick<TrackInfo, 'index' | 'name' | 'instrument' | 'channel' | 'notes' | 'isDrum'>;

export function trackListing(t: TrackInfo): TrackListing {
  return {
    index: t.index,
    name: t.name,
    instrument: t.instrument,
    channel: t.channel,
    notes: t.notes,
    isDrum: t.isDrum,
  };
}

export interface PieceSummary {
  name: string;
  format: 0 | 1 | 2;
  ppq: number;
  tracks: TrackInfo[];
  notes: number;
  durationTicks: number;
  durationSeconds: number; // following the tempo map
  bpm: number; // the first tempo
  tempoChanges: number; // tempo events after the first
  minBpm: number;
  maxBpm: number;
  timeSignature: [number, number]; // the first
  timeSignatureChanges: number;
  key: string | null; // the first key signature, e.g. "F# minor"; null when the file has none
}

export function summarizePiece(piece: MidiPiece): PieceSummary {
  const tracks: TrackInfo[] = piece.tracks.map((t) => {
    let lo = 127;
    let hi = 0;
    for (const n of t.notes) {
      lo = Math.min(lo, n.pitch);
      hi = Math.max(hi, n.pitch);
    }
    return {
      index: t.index,
      name: t.name,
      instrument: t.instrument,
      channel: t.channel,
      program: t.program,
      isDrum: t.isDrum,
      notes: t.notes.length,
      lowestPitch: t.notes.length ? lo : 0,
      highestPitch: t.notes.length ? hi : 0,
    };
  });
  const bpms = piece.tempos.map((t) => t.bpm);
  const ts = piece.timeSignatures[0];
  const key = piece.keySignatures[0];
  return {
    name: piece.name,
    format: piece.format,
    ppq: piece.ppq,
    tracks,
    notes: tracks.reduce((s, t) => s + t.notes, 0),
    durationTicks: piece.durationTicks,
    durationSeconds: ticksToSeconds(piece.tempos, piece.ppq, piece.durationTicks),
    bpm: bpms[0] ?? 120,
    tempoChanges: Math.max(0, piece.tempos.length - 1),
    minBpm: bpms.length ? bpms.reduce((a, b) => Math.min(a, b)) : 120,
    maxBpm: bpms.length ? bpms.reduce((a, b) => Math.max(a, b)) : 120,
    timeSignature: ts ? [ts.numerator, ts.denominator] : [4, 4],
    timeSignatureChanges: Math.max(0, piece.timeSignatures.length - 1),
    key: key ? `${key.key} ${key.scale}` : null,
  };
}

/**
 * Why a piece gives nothing to train on with the `selected` tracks (quantized into `gridNotes` notes,
 * `report` its QuantizeReport), or null when it gives something: the corpus panel, `inspect` and the
 * training loader all say it this way.
 */
export function untrainableReason(
  piece: MidiPiece,
  selected: readonly number[],
  report: QuantizeReport,
  gridNotes: number,
): string | null {
  if (gridNotes > 0) return null;
  const withNotes = piece.tracks.filter((t) => t.notes.length > 0);
  const drumNotes = withNotes.filter((t) => t.isDrum).reduce((s, t) => s + t.notes.length, 0);
  if (selected.length === 0 || report.notes === 0) {
    if (withNotes.length && withNotes.every((t) => t.isDrum))
      return `nothing to train on: all ${drumNotes} note(s) are on the drum channel (10), which is not used for training (drum hits have no pitch)`;
    return 'nothing to train on: no track with notes is selected';
  }
  if (report.droppedOutOfRange === report.notes)
    return `nothing to train on: all ${report.notes} note(s) of the selected tracks are outside the pitch range`;
  return 'nothing to train on: no note of the selected tracks is left after quantization';
}
