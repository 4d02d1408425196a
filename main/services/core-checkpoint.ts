// Temporary until model/index.ts (the facade) exports these.
export { readManifest } from '../../model/checkpoint/store.js';
export { exportModelBundle, importModelBundle, BUNDLE_EXTENSION } from '../../model/checkpoint/bundle.js';
export { ModelFormatError, MANIFEST_FILE } from '../../model/checkpoint/format.js';
export type { ModelManifest } from '../../model/checkpoint/format.js';
export { summarizeManifest, loadModel } from '../../model/checkpoint/load.js';
export type { LoadedModel } from '../../model/checkpoint/load.js';
export { generatePieces } from '../../model/generate/generate.js';
export type { GeneratedGridPiece } from '../../model/generate/generate.js';
export { trainModel } from '../../model/train/train.js';
export { defaultTrainingOptions } from '../../model/train/options.js';
