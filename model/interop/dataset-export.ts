/**
 * `export-dataset`: the corpus as Ostinato's training sees it, written for other engines (PyTorch,
 * TensorFlow) in files they read without our code: NumPy .npy arrays (int32, little-endian) and a
 * JSON manifest. The pieces go through the training code itself (train.ts prepareData: vocabulary,
 * encoding, split by piece) and are cut into windows by dataset.ts (planEpoch), so the arrays hold
 * exactly the tokens and windows trainModel uses. Per split (`train`, `valid`):
 * - `<split>.inputs.npy`, `<split>.targets.npy`: int32 [windows, seqLen]; every window starts from a
 *   fresh LSTM state; padding is input 0, target -1 (ignore it in the loss);
 * - `<split>.tokens.npy`: int32 [tokens], every piece's sequence (<bos> … <eos>) one after the other,
 *   and `<split>.offsets.npy`: int32 [pieces + 1], where piece i is tokens[offsets[i]:offsets[i+1]];
 *   the held-out NLL is measured on these whole pieces (as Ostinato's evaluator does).
 * The app also moves the window boundaries by a random offset each epoch (the arrays hold the
 * unshifted windows; re-cut them from the sequences for that) and transposes pieces when asked
 * (exports are never transposed: `encoding.transpose` is 0).
 * `dataset.json` is written last (atomically): a folder without it is not a finished export.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { GridPiece } from '../common/types.js';
import { writeFileAtomic, writeJsonAtomic } from '../core/atomic-write.js';
import { prepareData } from '../train/prepare.js';
import { planEpoch } from '../train/dataset.js';
import { defaultTrainOptions, validateTrainOptions, type TrainOptions } from '../common/training-options.js';
import { countNgrams, type NgramCounts } from '../eval/baselines.js';
import { encodeNpy } from './npy.js';
import { InputError } from '../common/options.js';

export const DATASET_FORMAT = 'ostinato-dataset';
export const DATASET_VERSION = 1;
export const DATASET_MANIFEST = 'dataset.json';
export const SPLITS = ['train', 'valid'] as const;
export type SplitName = (typeof SPLITS)[number];

export interface SplitInfo {
  pieces: number;
  tokens: number; // length of <split>.tokens.npy
  predictions: number; // non-padding targets (tokens - pieces)
  windows: number; // rows of <split>.inputs.npy
  files: Record<'inputs' | 'targets' | 'tokens' | 'offsets', string>;
  /** Where each piece came from (file path or piece name), in the order of the offsets. */
  sources: string[];
}

export interface DatasetManifest {
  format: typeof DATASET_FORMAT;
  version: number;
  createdAt: string;
  /** Token strings in id order (ids are 0..vocabulary.length-1). */
  vocabulary: string[];
  /** The encoder settings (model/encoding EncodingConfig); an imported model keeps them. */
  encoding: Record<string, unknown>;
  seqLen: number;
  padding: { input: 0; target: -1 };
  split: { valFraction: number; seed: number };
  /** The app's defaults for a network on this data (a trainer may use them as its defaults). */
  training: Pick<
    TrainOptions,
    | 'embeddingDim'
    | 'hiddenSize'
    | 'numLayers'
    | 'dropout'
    | 'batchSize'
    | 'learningRate'
    | 'clipNorm'
    | 'epochs'
    | 'seed'
  >;
  /** Unigram/bigram counts of the training tokens (Ostinato's evaluation baselines). */
  baselines: NgramCounts;
  splits: Record<SplitName, SplitInfo>;
}

export interface ExportDatasetArgs {
  pieces: readonly GridPiece[];
  /** Where each piece came from (same order as `pieces`); default: the piece names. */
  sources?: readonly string[];
  outDir: string;
  /** Grid, seqLen, valFraction, seed, repeatBars and the network defaults; as for trainModel. */
  options?: Partial<TrainOptions>;
}

function concat(seqs: readonly Int32Array[]): { tokens: Int32Array; offsets: Int32Array } {
  const offsets = new Int32Array(seqs.length + 1);
  let total = 0;
  seqs.forEach((s, i) => {
    total += s.length;
    if (total > 0x7fffffff) throw new InputError('The corpus has more than 2^31 tokens: export it in parts');
    offsets[i + 1] = total;
  });
  const tokens = new Int32Array(total);
  seqs.forEach((s, i) => tokens.set(s, offsets[i]));
  return { tokens, offsets };
}

export async function exportDataset(args: ExportDatasetArgs): Promise<DatasetManifest> {
  const opts = validateTrainOptions({ ...defaultTrainOptions(), ...args.options, transpose: 0 });
  const data = prepareData(args.pieces, opts, null);
  const trainSet = new Set(data.trainPieces);
  const sourceOf = new Map(args.pieces.map((p, i) => [p, args.sources?.[i] ?? p.name]));
  const usable = args.pieces.filter((p) => p.notes.length > 0);
  const valPieces = usable.filter((p) => !trainSet.has(p));
  const bySplit: Record<SplitName, { seqs: Int32Array[]; sources: string[] }> = {
    train: { seqs: data.trainSeqs, sources: data.trainPieces!.map((p) => sourceOf.get(p)!) },
    valid: { seqs: data.valSeqs, sources: valPieces.map((p) => sourceOf.get(p)!) },
  };

  await fs.mkdir(args.outDir, { recursive: true });
  // An earlier export in the folder stops being one before its arrays are replaced.
  await fs.rm(join(args.outDir, DATASET_MANIFEST), { force: true });
  const splits = {} as Record<SplitName, SplitInfo>;
  for (const name of SPLITS) {
    const { seqs, sources } = bySplit[name];
    // One batch holding every window, in corpus order: the rows of a [windows, seqLen] matrix.
    const plan = planEpoch(seqs, {
      seqLen: opts.seqLen,
      batchSize: Number.MAX_SAFE_INTEGER,
      shuffle: false,
      jitter: false,
    });
    const windows = plan.batches.length ? plan.batch(0) : null;
    const W = windows?.batch ?? 0;
    const { tokens, offsets } = concat(seqs);
    const files = {
      inputs: `${name}.inputs.npy`,
      targets: `${name}.targets.npy`,
      tokens: `${name}.tokens.npy`,
      offsets: `${name}.offsets.npy`,
    };
    const shape = [W, opts.seqLen];
    const empty = new Int32Array(0);
    await writeFileAtomic(
      join(args.outDir, files.inputs),
      encodeNpy({ dtype: 'int32', shape, data: windows?.inputs ?? empty }),
    );
    await writeFileAtomic(
      join(args.outDir, files.targets),
      encodeNpy({ dtype: 'int32', shape, data: windows?.targets ?? empty }),
    );
    await writeFileAtomic(
      join(args.outDir, files.tokens),
      encodeNpy({ dtype: 'int32', shape: [tokens.length], data: tokens }),
    );
    await writeFileAtomic(
      join(args.outDir, files.offsets),
      encodeNpy({ dtype: 'int32', shape: [offsets.length], data: offsets }),
    );
    splits[name] = {
      pieces: seqs.length,
      tokens: tokens.length,
      predictions: plan.tokens,
      windows: W,
      files,
      sources,
    };
  }
  const manifest: DatasetManifest = {
    format: DATASET_FORMAT,
    version: DATASET_VERSION,
    createdAt: new Date().toISOString(),
    vocabulary: data.vocab.toJSON(),
    encoding: { ...data.encoding },
    seqLen: opts.seqLen,
    padding: { input: 0, target: -1 },
    split: { valFraction: opts.valFraction, seed: opts.seed },
    training: {
      embeddingDim: opts.embeddingDim,
      hiddenSize: opts.hiddenSize,
      numLayers: opts.numLayers,
      dropout: opts.dropout,
      batchSize: opts.batchSize,
      learningRate: opts.learningRate,
      clipNorm: opts.clipNorm,
      epochs: opts.epochs,
      seed: opts.seed,
    },
    baselines: countNgrams(data.trainSeqs, data.vocab.size),
    splits,
  };
  await writeJsonAtomic(join(args.outDir, DATASET_MANIFEST), manifest);
  return manifest;
}
