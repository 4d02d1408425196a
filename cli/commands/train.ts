import { resolve } from 'node:path';
import {
  STEPS_PER_QUARTER,
  defaultTrainOptions,
  loadPiecesFromPaths,
  readModelInfo,
  trainModel,
  type GridName,
  type TrainOptions,
} from '../../model/index.js';
import { backendFlag, noSustainFlag, parseArgs, UsageError, type FlagSpecs } from '../args.js';
import { formatDuration, progressBar, type CliIO } from '../io.js';

const d = defaultTrainOptions();

export const trainFlags: FlagSpecs = {
  out: { type: 'string', help: 'model folder to write (required)' },
  epochs: { type: 'int', min: 1, max: 10000, help: `epochs (default ${d.epochs})` },
  'max-seconds': {
    type: 'number',
    min: 0,
    help: 'stop after this much training time, 0 = no limit (default 0)',
  },
  hidden: { type: 'int', min: 8, max: 2048, help: `LSTM hidden size (default ${d.hiddenSize})` },
  layers: { type: 'int', min: 1, max: 3, help: `LSTM layers (default ${d.numLayers})` },
  embedding: { type: 'int', min: 4, max: 1024, help: `token embedding size (default ${d.embeddingDim})` },
  dropout: { type: 'number', min: 0, max: 0.9, help: `dropout (default ${d.dropout})` },
  'seq-len': { type: 'int', min: 8, max: 1024, help: `tokens per training window (default ${d.seqLen})` },
  batch: { type: 'int', min: 1, max: 1024, help: `windows per batch (default ${d.batchSize})` },
  lr: { type: 'number', min: 1e-6, max: 1, help: `peak learning rate (default ${d.learningRate})` },
  transpose: {
    type: 'int',
    min: 0,
    max: 11,
    help: `transposition augmentation ± semitones (default ${d.transpose})`,
  },
  'repeat-bars': {
    type: 'int',
    min: 0,
    max: 64,
    help: `REPEAT tokens for bars repeating one up to N bars back, 0 = none (default ${d.repeatBars})`,
  },
  grid: {
    type: 'string',
    choices: Object.keys(STEPS_PER_QUARTER),
    help: `quantization grid (default ${d.grid})`,
  },
  patience: {
    type: 'int',
    min: 0,
    max: 10000,
    help: `early stopping after N epochs without improvement, 0 = off (default ${d.patience})`,
  },
  'val-fraction': {
    type: 'number',
    min: 0.01,
    max: 0.5,
    help: `share of pieces held out (default ${d.valFraction})`,
  },
  seed: { type: 'int', help: `random seed (default ${d.seed})` },
  name: { type: 'string', help: 'model name (default: the folder name)' },
  backend: backendFlag,
  'no-sustain': noSustainFlag,
  resume: { type: 'boolean', help: 'continue training the model in --out' },
  overwrite: { type: 'boolean', help: 'replace a model already in --out' },
  json: { type: 'boolean', help: 'one JSON line per epoch on stdout, and a last one with the result' },
};

export const trainUsage =
  'ostinato train <files|folders…> --out <modelDir> [--epochs N] [--max-seconds S] [--hidden H] [--layers L] [--seq-len T] [--batch B] [--backend tensorflow|wasm|cpu] [--no-sustain] [--resume]';

export async function trainCommand(argv: string[], io: CliIO): Promise<number> {
  const { positionals, flags } = parseArgs(argv, trainFlags);
  if (positionals.length === 0) throw new UsageError('train needs MIDI files or folders to learn from');
  if (typeof flags.out !== 'string') throw new UsageError('train needs --out <modelDir>');
  if (flags.resume && flags.overwrite)
    throw new UsageError('--resume and --overwrite cannot be used together');
  const outDir = resolve(flags.out);
  const json = Boolean(flags.json);

  const options: Partial<TrainOptions> = {};
  const set = <K extends keyof TrainOptions>(k: K, flag: string) => {
    if (flags[flag] !== undefined) options[k] = flags[flag] as TrainOptions[K];
  };
  set('epochs', 'epochs');
  set('maxSeconds', 'max-seconds');
  set('hiddenSize', 'hidden');
  set('numLayers', 'layers');
  set('embeddingDim', 'embedding');
  set('dropout', 'dropout');
  set('seqLen', 'seq-len');
  set('batchSize', 'batch');
  set('learningRate', 'lr');
  set('transpose', 'transpose');
  set('repeatBars', 'repeat-bars');
  set('grid', 'grid');
  set('patience', 'patience');
  set('valFraction', 'val-fraction');
  set('seed', 'seed');
  set('backend', 'backend');
  options.name = typeof flags.name === 'string' ? flags.name : outDir.split(/[\\/]/).pop() || 'model';

  let grid = (options.grid ?? d.grid) as GridName;
  if (flags.resume) {
    const info = await readModelInfo(outDir); // clear error when there is nothing to resume
    grid = info.grid;
  }
  const loaded = await loadPiecesFromPaths(positionals, { grid, sustain: !flags['no-sustain'] });
  for (const s of loaded.skipped) io.stderr(`skipped ${s.file}: ${s.reason}\n`);
  if (loaded.pieces.length === 0) {
    io.stderr('error: none of the given files could be used for training\n');
    return 1;
  }
  if (!json)
    io.stderr(
      `${loaded.pieces.length} piece${loaded.pieces.length === 1 ? '' : 's'} loaded (${grid} grid)\n`,
    );

  let lastDraw = 0;
  const r = await trainModel({
    pieces: loaded.pieces,
    outDir,
    options,
    resume: Boolean(flags.resume),
    overwrite: Boolean(flags.overwrite),
    signal: io.signal,
    onEvent: (e) => {
      if (e.type === 'started') {
        if (!json)
          io.stderr(
            `training ${e.parameters.toLocaleString('en')} parameters on ${e.backend}, ${e.totalEpochs} epochs\n`,
          );
        if (e.setup) io.stderr(`setup: ${e.setup}\n`);
      } else if (e.type === 'batch') {
        if (!io.isTTY || json) return;
        const now = Date.now();
        if (now - lastDraw < 100 && e.batch !== e.batchesPerEpoch) return;
        lastDraw = now;
        io.stderr(
          `\r${progressBar(e.progress)} epoch ${e.epoch} batch ${e.batch}/${e.batchesPerEpoch} loss ${e.loss.toFixed(3)} ` +
            `${Math.round(e.tokensPerSecond)} tok/s ETA ${formatDuration(e.etaSeconds)}   `,
        );
      } else if (e.type === 'epoch') {
        if (json) io.stdout(JSON.stringify(e) + '\n');
        else
          io.stderr(
            `${io.isTTY ? '\r\x1b[K' : ''}epoch ${e.epoch}: train loss ${e.trainLoss.toFixed(4)} acc ${(100 * e.trainAccuracy).toFixed(1)}%, ` +
              `val loss ${e.valLoss.toFixed(4)} acc ${(100 * e.valAccuracy).toFixed(1)}%${e.checkpointSaved ? ', saved' : ''}\n`,
          );
      } else if (e.type === 'done') {
        if (json) io.stdout(JSON.stringify(e) + '\n');
        else if (io.isTTY) io.stderr('\r\x1b[K');
      }
    },
  });
  if (!json) {
    const what = {
      completed: 'finished',
      cancelled: 'cancelled',
      'early-stopped': 'stopped early (validation loss stopped improving)',
      'time-limit': 'stopped at the time limit',
    }[r.reason];
    io.stderr(
      r.manifest
        ? `${what}: ${r.epochs} epoch${r.epochs === 1 ? '' : 's'} saved in ${outDir}, best validation loss ${r.bestValLoss?.toFixed(4)}\n`
        : `${what} before the first epoch ended: nothing was saved\n`,
    );
  }
  return r.reason === 'cancelled' ? 130 : 0;
}
