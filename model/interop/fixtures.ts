/**
 * For the interop tests (only *.test.ts files and scripts/test-scale.ts import this): running the
 * Python side of scale/ with the Python that has torch, and reading a tfjs Layers folder in Node
 * (tfjs without tfjs-node has no file:// loader: an IOHandler over the same files stands in for it).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { findTorchPython } from './torch-python.js';

export const SCALE_DIR = resolve(__dirname, '..', '..', 'scale');

/** Runs scale/<script> with torch's Python; throws with its stderr when it fails. */
export function runScaleScript(script: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  const py = findTorchPython();
  if (!py) throw new Error('no Python with torch found (install python3-torch)');
  const r = spawnSync(py, [join(SCALE_DIR, script), ...args], {
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1', ...env },
    timeout: 300_000,
  });
  if (r.status !== 0) throw new Error(`${script} failed (${r.status ?? r.signal}):\n${r.stderr}`);
  return r.stdout;
}

/** tf.loadLayersModel's view of a folder written by exportTfjsLayers: model.json and its shards. */
export function layersFolderHandler(dir: string): tf.io.IOHandler {
  return {
    async load() {
      const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
        modelTopology: tf.io.ModelArtifacts['modelTopology'];
        weightsManifest: tf.io.WeightsManifestConfig;
        format?: string;
        generatedBy?: string;
        convertedBy?: string | null;
        userDefinedMetadata?: tf.io.ModelArtifacts['userDefinedMetadata'];
      };
      const shards = json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dir, p))));
      const bytes = Buffer.concat(shards);
      return {
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
        weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        userDefinedMetadata: json.userDefinedMetadata,
      };
    },
  };
}
