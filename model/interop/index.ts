/** Interop with other engines: the dataset export (.npy + JSON for PyTorch/TensorFlow), the import
 * of a PyTorch training result (scale/train.py) as a model folder, and the tfjs Layers export. */
export { exportDataset, DATASET_MANIFEST, DATASET_FORMAT } from './dataset-export.js';
export type { DatasetManifest, ExportDatasetArgs, SplitInfo } from './dataset-export.js';
export { encodeNpy, decodeNpy } from './npy.js';
export type { NpyArray } from './npy.js';
export { importTorchResult, readTorchResultFolder, weightFileName } from './import-torch.js';
export type { TorchResultFiles } from './import-torch.js';
export {
  parseTorchResult,
  torchToOstinatoWeights,
  TorchResultError,
  TORCH_RESULT_FILE,
} from './torch-result.js';
export type { TorchResult } from './torch-result.js';
export { exportTfjsLayers, buildLayersModel, TFJS_MODEL_FILE, TFJS_WEIGHTS_FILE } from './tfjs-export.js';
