/**
 * npm run eval:music -- [--minutes M] [--model DIR] [--pieces N] [--max-bars B] [--json] [training flags]
 *
 * Musical statistics of generated music against held-out real music (Nottingham folk tunes, a fixed
 * split, see music-split.ts): an LSTM trained with the app's own training code (trainModel) on the
 * training split, and a token bigram fitted on the same training tokens, each generate N pieces
 * through the same generator (grammar, sampler, decoding); per-piece features (music-features.ts)
 * are compared with the held-out pieces by overlapping area (music-overlap.ts). See
 * docs/benchmarks.md, "Music quality".
 */
import { parseArgs } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { GridPiece } from '../model/common/types.js';
import {
  DEFAULT_SAMPLING,
  encodePiece,
  generatePieces,
  loadModel,
  loadPiecesFromPaths,
  stepsPerBar,
  trainModel,
  type LoadedModel,
  type SamplingSettings,
  type TrainOptions,
} from '../model/index.js';
import { BigramKneserNey, countNgrams } from '../model/eval/baselines.js';
import { bigramAsLstm } from './music-bigram.js';
import { extractFeatures, FEATURE_NAMES, type FeatureName, type MusicFeatures } from './music-features.js';
import { intraInterOverlap, overlapArea } from './music-overlap.js';
import { nottinghamSplit } from './music-split.js';

const repoRoot = resolve(__dirname, '..');

/** The first `bars` bars of a piece (notes starting there; a note held over the cut is shortened). */
export function firstBars(piece: GridPiece, bars: number): GridPiece {
  const steps = bars * stepsPerBar(piece.stepsPerQuarter, piece.timeSignature);
  const notes = piece.notes
    .filter((n) => n.start < steps)
    .map((n) => ({ ...n, duration: Math.min(n.duration, steps - n.start) }));
  return { ...piece, notes, lengthSteps: Math.min(piece.lengthSteps, steps) };
}

export function barsOf(piece: GridPiece): number {
  return Math.max(1, Math.ceil(piece.lengthSteps / stepsPerBar(piece.stepsPerQuarter, piece.timeSignature)));
}

/**
 * N pieces from a model: piece i takes the time signature and the length (capped at maxBars) of
 * held-out piece i mod H, so both sets have the same meters and lengths. No primer. Sampling: the
 * app's defaults unless given.
 */
export function generateLike(
  model: LoadedModel,
  references: readonly GridPiece[],
  n: number,
  maxBars: number,
  seed: number,
  onProgress?: (done: number) => void,
  sampling: SamplingSettings = DEFAULT_SAMPLING,
): GridPiece[] {
  const out: GridPiece[] = [];
  for (let i = 0; i < n; i++) {
    const ref = references[i % references.length];
    const [piece] = generatePieces(model, {
      bars: Math.min(maxBars, barsOf(ref)),
      temperature: sampling.temperature,
      topK: sampling.topK,
      topP: sampling.topP,
      seed: seed + i,
      timeSignature: [...ref.timeSignature] as [number, number],
      tempo: ref.bpm,
      name: `generated ${i + 1}`,
    });
    out.push(piece);
    onProgress?.(i + 1);
  }
  return out;
}

export interface FeatureComparison {
  feature: FeatureName;
  /** Yang & Lerch: overlap of intra-set (held-out) and inter-set (held-out vs generated) distances. */
  overlap: number;
  /** Scalar features only: overlap of the per-piece values' densities. */
  directOverlap: number | null;
  /** Mean of the feature (scalars) over the set. */
  mean: number | null;
}

export function compareSets(
  real: readonly MusicFeatures[],
  generated: readonly MusicFeatures[],
): FeatureComparison[] {
  return FEATURE_NAMES.map((feature) => {
    const r = real.map((f) => f[feature]);
    const g = generated.map((f) => f[feature]);
    const scalar = typeof r[0] === 'number';
    return {
      feature,
      overlap: intraInterOverlap(r, g),
      directOverlap: scalar ? overlapArea(r as number[], g as number[]) : null,
      mean: scalar ? (g as number[]).reduce((a, b) => a + b, 0) / g.length : null,
    };
  });
}

function featuresOf(pieces: readonly GridPiece[]): { features: MusicFeatures[]; empty: number } {
  const features: MusicFeatures[] = [];
  let empty = 0;
  for (const p of pieces) {
    const f = extractFeatures(p);
    if (f) features.push(f);
    else empty++;
  }
  return { features, empty };
}

/** Command-line flags for numeric training options. */
const TRAINING_FLAGS = [
  ['hidden', 'hiddenSize'],
  ['layers', 'numLayers'],
  ['embedding', 'embeddingDim'],
  ['dropout', 'dropout'],
  ['seq-len', 'seqLen'],
  ['batch', 'batchSize'],
  ['lr', 'learningRate'],
  ['threads', 'threads'],
  ['repeat-bars', 'repeatBars'],
  ['transpose', 'transpose'],
] as const satisfies readonly (readonly [string, keyof TrainOptions])[];

function num(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const x = Number(v);
  if (!Number.isFinite(x)) throw new Error(`--${name} must be a number, got "${v}"`);
  return x;
}

async function main() {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string' },
      epochs: { type: 'string' },
      model: { type: 'string' },
      keep: { type: 'string' },
      pieces: { type: 'string' },
      'max-bars': { type: 'string' },
      'max-train-files': { type: 'string' },
      ...Object.fromEntries(TRAINING_FLAGS.map(([flag]) => [flag, { type: 'string' as const }])),
      temperature: { type: 'string' },
      'top-k': { type: 'string' },
      'top-p': { type: 'string' },
      grid: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(
      'usage: npm run eval:music -- [--minutes M (training budget, default 25)] [--epochs E (schedule length, default 12)]\n' +
        '  [--model DIR (use a trained model, skip training)] [--keep DIR (train into DIR and keep it)]\n' +
        '  [--pieces N (default 100)] [--max-bars B (default 32)] [--max-train-files N]\n' +
        `  ${TRAINING_FLAGS.map(([f]) => `[--${f} N]`).join(' ')} (training options; the app's defaults otherwise)\n` +
        '  [--grid 16th|8th|...] [--seed N] [--json]\n' +
        `  [--temperature T] [--top-k K] [--top-p P] (sampling of both models; default the app's: ${JSON.stringify(DEFAULT_SAMPLING)})`,
    );
    return;
  }
  const log = values.json ? (l: string) => console.error(l) : (l: string) => console.log(l);
  const n = num('pieces', values.pieces, 100);
  const maxBars = num('max-bars', values['max-bars'], 32);
  const seed = num('seed', values.seed, 1);
  const grid = (values.grid ?? '16th') as TrainOptions['grid'];
  const sampling: SamplingSettings = {
    temperature: num('temperature', values.temperature, DEFAULT_SAMPLING.temperature),
    topK: num('top-k', values['top-k'], DEFAULT_SAMPLING.topK),
    topP: num('top-p', values['top-p'], DEFAULT_SAMPLING.topP),
  };
  const t0 = Date.now();
  const secs = () => ((Date.now() - t0) / 1000).toFixed(0);

  const split = nottinghamSplit(repoRoot);
  const maxTrain = num('max-train-files', values['max-train-files'], Infinity);
  const trainFiles = split.train.slice(0, maxTrain);
  const train = await loadPiecesFromPaths(trainFiles, { grid });
  const held = await loadPiecesFromPaths(split.heldOut, { grid });
  for (const s of [...train.skipped, ...held.skipped]) log(`skipped ${s.file}: ${s.reason}`);
  log(
    `${secs()}s: ${train.pieces.length} training pieces, ${held.pieces.length} held-out pieces (${grid} grid)`,
  );

  let dir = values.model ? resolve(values.model) : values.keep ? resolve(values.keep) : '';
  const temp = !dir;
  if (temp) dir = mkdtempSync(join(tmpdir(), 'ostinato-music-'));
  let trainSeconds: number | null = null;
  try {
    if (!values.model) {
      const minutes = num('minutes', values.minutes, 25);
      const options: Partial<TrainOptions> = {
        name: 'eval:music LSTM',
        maxSeconds: minutes * 60,
        epochs: num('epochs', values.epochs, 12),
        patience: 0,
        grid,
        seed,
      };
      // Any other training option given on the command line; the app's defaults otherwise.
      for (const [flag, key] of TRAINING_FLAGS) {
        const v = (values as Record<string, string | boolean | undefined>)[flag];
        if (typeof v === 'string') (options as Record<string, number>)[key] = num(flag, v, 0);
      }
      log(`${secs()}s: training the LSTM (${JSON.stringify(options)}) into ${dir}`);
      const ts = Date.now();
      await trainModel({
        pieces: train.pieces,
        outDir: dir,
        options,
        overwrite: true,
        onEvent: (e) => {
          if (e.type === 'epoch')
            log(
              `${secs()}s: epoch ${e.epoch}: train loss ${e.trainLoss.toFixed(3)}, valid loss ${e.valLoss.toFixed(3)} nats/token`,
            );
          if (e.type === 'started') log(`${secs()}s: ${e.parameters} parameters, backend ${e.backend}`);
        },
      });
      trainSeconds = (Date.now() - ts) / 1000;
    }
    const lstm = await loadModel(dir);
    log(
      `${secs()}s: model ${lstm.info.parameters} parameters, ${lstm.info.epochs} epochs, best valid loss ${lstm.info.bestValLoss}`,
    );

    // The bigram: fitted on the same training tokens (same vocabulary and encoding, no augmentation).
    const seqs = train.pieces.map((p) => encodePiece(p, lstm.vocab, lstm.encoding));
    const bigram = new BigramKneserNey(countNgrams(seqs, lstm.vocab.size));
    const b = bigramAsLstm(bigram, lstm.vocab.size);
    const bigramModel: LoadedModel = { ...lstm, config: b.config, weights: b.weights };

    const real = held.pieces.map((p) => firstBars(p, maxBars));
    const progress = (what: string) => (d: number) => {
      if (d % 10 === 0) log(`${secs()}s: ${what}: ${d}/${n} pieces`);
    };
    const tg = Date.now();
    const genLstm = generateLike(lstm, real, n, maxBars, seed, progress('LSTM'), sampling);
    const lstmGenSeconds = (Date.now() - tg) / 1000;
    const genBigram = generateLike(bigramModel, real, n, maxBars, seed, progress('bigram'), sampling);

    const fr = featuresOf(real);
    const fl = featuresOf(genLstm);
    const fb = featuresOf(genBigram);
    const cl = compareSets(fr.features, fl.features);
    const cb = compareSets(fr.features, fb.features);
    const cm = compareSets(fr.features, fr.features); // the real set's own means
    const result = {
      date: new Date().toISOString(),
      split: { trainFiles: trainFiles.length, heldOutFiles: split.heldOut.length },
      pieces: n,
      maxBars,
      sampling,
      grid,
      model: {
        dir: values.model ? dir : null,
        parameters: lstm.info.parameters,
        epochs: lstm.info.epochs,
        config: lstm.config,
      },
      trainSeconds,
      lstmGenerationSeconds: lstmGenSeconds,
      emptyPieces: { real: fr.empty, lstm: fl.empty, bigram: fb.empty },
      features: FEATURE_NAMES.map((f, i) => ({
        feature: f,
        realMean: cm[i].mean,
        lstm: cl[i],
        bigram: cb[i],
      })),
      totalSeconds: (Date.now() - t0) / 1000,
    };
    if (values.json) {
      console.log(JSON.stringify(result));
      return;
    }
    console.log(
      `\nOverlapping area with the held-out set (1 = same distribution); ${n} pieces of <= ${maxBars} bars each`,
    );
    console.log(
      `${'feature'.padEnd(22)} ${'LSTM OA'.padStart(8)} ${'bigram OA'.padStart(10)}   direct OA LSTM/bigram   mean real/LSTM/bigram`,
    );
    for (const r of result.features) {
      const d =
        r.lstm.directOverlap === null
          ? ''
          : `${r.lstm.directOverlap.toFixed(3)} / ${r.bigram.directOverlap!.toFixed(3)}`;
      const m =
        r.realMean === null
          ? ''
          : `${r.realMean.toFixed(2)} / ${r.lstm.mean!.toFixed(2)} / ${r.bigram.mean!.toFixed(2)}`;
      console.log(
        `${r.feature.padEnd(22)} ${r.lstm.overlap.toFixed(3).padStart(8)} ${r.bigram.overlap.toFixed(3).padStart(10)}   ${d.padEnd(21)}   ${m}`,
      );
    }
    console.log(`empty generated pieces: LSTM ${fl.empty}, bigram ${fb.empty}; total ${secs()}s`);
  } finally {
    if (temp) rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module)
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
