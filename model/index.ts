/**
 * The public facade of Ostinato's core: what the app host (main/, training worker), the CLI (cli/)
 * and the benchmarks (bench/) use. Pure TypeScript + tfjs; no Electron, no DOM. Code in cli/, bench/,
 * scripts/ and main/ reaches the core only through this file (eslint enforces it); the benchmarks and
 * the stress harness also use the numeric core (model/lstm), the batching and the checkpoint store.
 *
 * Typical flows
 * - Import: `importMidiFiles(paths)` (files/folders from disk) or `parseMidi(bytes, name)` (one file
 *   from memory), then `summarizePiece(piece)` for the corpus panel and `quantizePiece(piece, {grid,
 *   tracks})` → GridPiece. `loadPiecesFromPaths(paths, {grid})` does import + quantize in one call
 *   (a path may come with its name, tracks and pedal setting: the app's training worker).
 * - Train (in a worker): `trainModel({ pieces, outDir, options, signal, onEvent, resume })`.
 *   `options` is a Partial<TrainOptions>: TrainingOptions (which main/shared/api.ts re-exports) fit
 *   as they are; `defaultTrainingOptions()` gives the app's defaults. `onEvent` receives the
 *   TrainingEvent objects of train/events.ts ('started', 'batch', 'epoch', 'done', 'error'); the 'started'/'done' modelId is `args.modelId` (default: the folder name). Cancel with
 *   an AbortController: the folder keeps the last completed epoch. Resume with `resume: true` on the
 *   same folder (options other than epochs/maxSeconds come from the checkpoint). Training into a
 *   folder that already holds a model throws unless `overwrite: true`.
 * - Models: `loadModel(dir)` → LoadedModel (throws ModelFormatError with `.code` and a readable
 *   message for every broken folder); `readModelInfo(dir)` reads only model.json (model lists).
 *   `exportModelBundle(dir)` → one-file bytes (".ostinato"); `importModelBundle(bytes, destDir)`
 *   unpacks atomically into a new folder.
 * - Generate: `generatePieces(model, request)` → GeneratedGridPiece[] (GridPiece + seed, bars,
 *   primerNotes); `gridPieceToMidi(piece)` → MIDI bytes; `gridPieceToSeconds(piece)` → notes in seconds
 *   for playback. Same model + request + seed = same notes.
 * - Evaluate: `evaluateModel(model, pieces)` → EvalReport (LSTM NLL/perplexity/accuracy next to the
 *   unigram and bigram baselines).
 * - Other engines (model/interop, docs/scale.md): `exportDataset({pieces, outDir, options})` writes the
 *   training windows and sequences as .npy + dataset.json; `importTorchResult(files, destDir)` turns
 *   a result of scale/train.py (PyTorch, torchrun) into a model folder; `exportTfjsLayers(model, dir)`
 *   writes a model as a tfjs Layers model (tf.loadLayersModel, Keras).
 */

// Data types
export type {
  GridName,
  GridNote,
  GridPiece,
  MidiNote,
  MidiPiece,
  MidiTrack,
  QuantizeReport,
  TempoEvent,
  TimeSignatureEvent,
  KeySignatureEvent,
} from './common/types.js';
export { STEPS_PER_QUARTER, GRID_NAMES, BACKEND_ORDER } from './common/types.js';

// Option tables and their one checker (model/common/options.ts); InputError = bad input from the caller
export {
  InputError,
  checkOption,
  checkOptions,
  optionDefaults,
  optionStep,
  rangeText,
} from './common/options.js';
export type {
  OptionTable,
  OptionSpec,
  OptionValues,
  NumberSpec,
  ChoiceSpec,
  TextSpec,
} from './common/options.js';
export { writeFileAtomic, writeJsonAtomic, atomicTempTarget } from './core/atomic-write.js';
export { initBackend } from './core/backend.js';
export type { BackendName } from './core/backend.js';

// MIDI in and out (model/midi)
export {
  parseMidi,
  quantizePiece,
  defaultTrackSelection,
  importMidiFiles,
  isMidiFileName,
  exportFileName,
  summarizePiece,
  untrainableReason,
  trackListing,
  gridPieceToMidi,
  midiPieceToBytes,
  MidiImportError,
  ticksToSeconds,
} from './midi/index.js';
export type {
  PieceSummary,
  TrackInfo,
  TrackListing,
  QuantizeOptions,
  BatchImportResult,
  ParsedMidiPiece,
  ParseOptions,
  IgnoredEvents,
  SustainReport,
} from './midi/index.js';

// Encoding (model/encoding)
export {
  Vocabulary,
  defaultEncodingConfig,
  encodePiece,
  decodeTokens,
  scaleMask,
  SCALES,
  estimateKey,
  pitchClassOf,
  PITCH_CLASS_NAMES,
  SPECIAL_TOKENS,
  tokenName,
} from './encoding/index.js';
export { KEY_NAMES } from './common/transpose.js';
export { SCALE_NAMES } from './common/scales.js';
export type { EncodingConfig, ScaleName } from './encoding/index.js';

// LSTM core (model/lstm)
export { countParameters, initWeights, checkWeights, weightSpecs } from './lstm/weights.js';
export { createLstmTrainer } from './lstm/trainer.js';
export { createLstmStepper } from './lstm/stepper.js';
export { createMixtureStepper } from './lstm/mixture-stepper.js';
export { phaseTimes } from './lstm/graph.js';
export { SPLIT_WARMUP_BATCHES } from './lstm/setup.js';
export type { LstmConfig, LstmStepper, LstmTrainer, NamedTensorData, TokenBatch } from './lstm/types.js';

// Training
export { trainModel } from './train/train.js';
export type { TrainModelArgs, TrainResult, TrainingEvent, EncodedCorpus } from './train/train.js';
export {
  TRAINING_OPTIONS,
  TRAIN_OPTIONS,
  defaultTrainingOptions,
  defaultTrainOptions,
  validateTrainOptions,
} from './common/training-options.js';
export type { TrainingOptions, TrainOptions } from './common/training-options.js';
export { loadPiecesFromPaths } from './train/corpus.js';
export type { CorpusFileChoice, LoadedPieces } from './train/corpus.js';
export { makeBatch, planEpoch, sequenceWindows } from './train/dataset.js';
export { learningRateAt } from './train/schedule.js';

// Model folders and bundles
export { loadModel, readModelInfo } from './checkpoint/load.js';
export { renameModel } from './checkpoint/store.js';
export type { LoadedModel, ModelSummary } from './checkpoint/load.js';
export { ModelFormatError, MODEL_FORMAT_VERSION, MANIFEST_FILE } from './checkpoint/format.js';
export type { ModelManifest, EpochRecord, StopReason } from './checkpoint/format.js';
export { exportModelBundle, importModelBundle, BUNDLE_EXTENSION } from './checkpoint/bundle.js';
export {
  saveCheckpoint,
  readManifest,
  readBlob,
  referencedFiles,
  serializeTensors,
  sha256,
} from './checkpoint/store.js';
export type { CheckpointTensors, ManifestContent } from './checkpoint/store.js';

// Generation
export { generatePieces, stepsPerBar, validateGenerateRequest } from './generate/generate.js';
export type { GenerateRequest, GeneratedGridPiece } from './generate/generate.js';
export { gridPieceToSeconds } from './generate/output.js';
export type { NoteInSeconds } from './generate/output.js';
export { Rng } from './common/rng.js';
export { GENERATE_OPTIONS, PRIMER_OPTIONS, DEFAULT_SAMPLING } from './common/generate-options.js';
export type { GenerateSettings, SamplingSettings } from './common/generate-options.js';
export { sampleToken, filteredDistribution } from './generate/sampler.js';
export type { SamplingOptions } from './generate/sampler.js';

// Evaluation
export { evaluateModel } from './eval/evaluate.js';
export type { EvalReport, Metrics } from './eval/evaluate.js';
export { UnigramModel, BigramKneserNey, countNgrams, scoreSequences } from './eval/baselines.js';
export type { NgramCounts, TokenModel } from './eval/baselines.js';

// Other engines: dataset export, PyTorch import, tfjs Layers export
export {
  exportDataset,
  DATASET_MANIFEST,
  importTorchResult,
  readTorchResultFolder,
  weightFileName,
  TORCH_RESULT_FILE,
  TorchResultError,
  exportTfjsLayers,
} from './interop/index.js';
export type { DatasetManifest, TorchResult, TorchResultFiles } from './interop/index.js';
