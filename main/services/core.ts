/**
 * The host's one door into the core: everything the host services and the training worker use
 * comes from the facade model/index.ts (no deep imports). Electron-free and DOM-free.
 */
export {
  parseMidi,
  quantizePiece,
  summarizePiece,
  trackListing,
  untrainableReason,
  defaultTrackSelection,
  isMidiFileName,
  exportFileName,
  MidiImportError,
  trainModel,
  defaultTrainingOptions,
  loadModel,
  readModelInfo,
  exportModelBundle,
  importModelBundle,
  importTorchResult,
  weightFileName,
  TORCH_RESULT_FILE,
  ModelFormatError,
  MANIFEST_FILE,
  BUNDLE_EXTENSION,
  generatePieces,
  estimateKey,
  gridPieceToMidi,
  gridPieceToSeconds,
  initBackend,
  writeFileAtomic,
  writeJsonAtomic,
  atomicTempTarget,
} from '../../model/index.js';
export type {
  GridPiece,
  MidiPiece,
  ParsedMidiPiece,
  LoadedModel,
  ModelSummary,
  GeneratedGridPiece,
  GenerateRequest,
} from '../../model/index.js';
