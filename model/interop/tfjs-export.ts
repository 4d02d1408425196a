/**
 * Any Ostinato model as a TensorFlow.js Layers model: the folder `tf.loadLayersModel` reads
 * (model.json with the Keras topology and weights manifest, and one weight shard), which
 * TensorFlow's converter (`tensorflowjs_converter --input_format tfjs_layers_model --output_format
 * keras`) turns into a Keras model. The network is built with tfjs itself, so the topology is the
 * one tfjs writes: Embedding(V, E) → LSTM(H, return_sequences, sigmoid gates, tanh) × layers, each
 * followed by Dropout(p) (training only, as ours) → Dense(V, softmax) on every time step. Keras'
 * layout is ours (kernel [in, 4H], recurrent kernel [H, 4H], one bias, gates i, f, c, o), so the
 * weights are copied unchanged. Input: token ids [batch, time]; output: next-token probabilities
 * [batch, time, V]. `userDefinedMetadata.ostinato` carries the vocabulary and encoding settings.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeFileAtomic, writeJsonAtomic } from '../core/atomic-write.js';
import type { LstmConfig, NamedTensorData } from '../lstm/types.js';
import { checkWeights } from '../lstm/weights.js';

export const TFJS_MODEL_FILE = 'model.json';
export const TFJS_WEIGHTS_FILE = 'group1-shard1of1.bin';

export interface TfjsExportInput {
  name: string;
  config: LstmConfig;
  weights: NamedTensorData[];
  vocabulary: string[];
  encoding: Record<string, unknown>;
}

/** Builds the tfjs Layers model holding `model`'s weights (the caller disposes it). */
export function buildLayersModel(model: Pick<TfjsExportInput, 'config' | 'weights'>): tf.Sequential {
  const { vocabSize: V, embeddingDim: E, hiddenSize: H, numLayers: L, dropout } = model.config;
  const w = checkWeights(model.config, model.weights);
  const net = tf.sequential({ name: 'ostinato_lstm' });
  net.add(
    tf.layers.embedding({ inputDim: V, outputDim: E, batchInputShape: [null, null], name: 'embedding' }),
  );
  for (let l = 0; l < L; l++) {
    net.add(
      tf.layers.lstm({
        units: H,
        returnSequences: true,
        activation: 'tanh',
        recurrentActivation: 'sigmoid', // tfjs' default is hardSigmoid; ours is the logistic sigmoid
        name: `lstm_${l}`,
      }),
    );
    net.add(tf.layers.dropout({ rate: dropout, name: `dropout_${l}` }));
  }
  net.add(tf.layers.dense({ units: V, activation: 'softmax', name: 'output' }));
  tf.tidy(() => {
    net.getLayer('embedding').setWeights([tf.tensor2d(w.get('embedding')!, [V, E])]);
    for (let l = 0; l < L; l++) {
      net
        .getLayer(`lstm_${l}`)
        .setWeights([
          tf.tensor2d(w.get(`lstm_${l}/kernel`)!, [l === 0 ? E : H, 4 * H]),
          tf.tensor2d(w.get(`lstm_${l}/recurrent_kernel`)!, [H, 4 * H]),
          tf.tensor1d(w.get(`lstm_${l}/bias`)!),
        ]);
    }
    net
      .getLayer('output')
      .setWeights([tf.tensor2d(w.get('output/kernel')!, [H, V]), tf.tensor1d(w.get('output/bias')!)]);
  });
  return net;
}

function joinBuffers(data: ArrayBuffer | ArrayBuffer[]): Uint8Array {
  const parts = Array.isArray(data) ? data : [data];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let o = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), o);
    o += p.byteLength;
  }
  return out;
}

/** Writes the tfjs Layers folder (weights first, model.json last, each atomically). */
export async function exportTfjsLayers(model: TfjsExportInput, outDir: string): Promise<string[]> {
  await tf.ready();
  const net = buildLayersModel(model);
  try {
    let saved: tf.io.ModelArtifacts | null = null;
    await net.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const a = saved as tf.io.ModelArtifacts | null;
    if (!a?.modelTopology || !a.weightSpecs || !a.weightData) throw new Error('tfjs saved no weights');
    await fs.mkdir(outDir, { recursive: true });
    await writeFileAtomic(
      join(outDir, TFJS_WEIGHTS_FILE),
      joinBuffers(a.weightData as ArrayBuffer | ArrayBuffer[]),
    );
    await writeJsonAtomic(join(outDir, TFJS_MODEL_FILE), {
      format: 'layers-model',
      generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
      convertedBy: 'Ostinato export-tfjs',
      modelTopology: a.modelTopology,
      weightsManifest: [{ paths: [TFJS_WEIGHTS_FILE], weights: a.weightSpecs }],
      userDefinedMetadata: {
        ostinato: {
          name: model.name,
          vocabulary: model.vocabulary,
          encoding: model.encoding,
          input: 'token ids [batch, time] (int32); the vocabulary gives each id its token',
          output: 'next-token probabilities [batch, time, vocabulary]',
        },
      },
    });
    return [TFJS_MODEL_FILE, TFJS_WEIGHTS_FILE];
  } finally {
    net.dispose();
  }
}
