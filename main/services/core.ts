/**
 * The host's one door into the core (model/): everything the host services use from it, in one
 * place. Electron-free and DOM-free, like the core itself.
 */
export { parseMidi, quantizePiece, summarizePiece, gridPieceToMidi, defaultTrackSelection, isMidiFileName, MidiImportError } from '../../model/midi/index.js';
export { readManifest, exportModelBundle, importModelBundle, ModelFormatError, MANIFEST_FILE, BUNDLE_EXTENSION, summarizeManifest, loadModel, generatePieces, trainModel, defaultTrainingOptions } from './core-checkpoint.js';
export type { ModelManifest, LoadedModel, GeneratedGridPiece } from './core-checkpoint.js';
