/** MIDI import and export: the public API of model/midi. */
export { MidiImportError } from './errors.js';
export { readSmf, MAX_FILE_BYTES, MIN_BPM, MAX_BPM, MAX_NOTES, MAX_QUARTERS } from './smf-reader.js';
export type { RawSmf, RawPart, RawNote, IgnoredEvents, PedalEvent } from './smf-reader.js';
export { parseMidi, GM_INSTRUMENTS } from './parse.js';
export type { ParsedMidiPiece, ParseOptions } from './parse.js';
export type { SustainReport } from './import-warnings.js';
export {
  quantizePiece,
  defaultTrackSelection,
  DEFAULT_PITCH_RANGE,
  DEFAULT_MAX_POLYPHONY,
} from './quantize.js';
export type { QuantizeOptions } from './quantize.js';
export { importMidiFiles } from './import-files.js';
export { isMidiFileName, exportFileName, MIDI_EXTENSIONS } from '../common/file-names.js';
export type { BatchImportOptions, BatchImportResult } from './import-files.js';
export { summarizePiece, trackListing, untrainableReason } from './summarize.js';
export type { PieceSummary, TrackInfo, TrackListing } from './summarize.js';
export { gridPieceToMidi, midiPieceToBytes, WRITE_PPQ } from './write.js';
export type { GridToMidiOptions } from './write.js';
export { ticksToSeconds, tempoAt, timeSignatureAt } from './timing.js';
