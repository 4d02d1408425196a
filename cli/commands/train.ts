import { resolve } from 'node:path';
import {
  TRAIN_OPTIONS,
  defaultTrainOptions,
  loadPiecesFromPaths,
  readModelInfo,
  trainModel,
  type GridName,
  type TrainOptions,
} from '../../model/index.js';
import { noSustainFlag, optionFlags, optionValues, parseArgs, UsageError, type FlagSpecs } from '../args.js';
import { formatDuration, progressBar, type CliIO } from '../io.js';

const d = defaultTrainOptions();

/** Every training option of the core's table is a flag (`--hidden-size`, `--learning-rate`…). */
export const trainFlags: FlagSpecs = {
  out: { type: 'string', help: 'model folder to write (required)' },
  ...optionFlags(TRAIN_OPTIONS),
  name: { ...optionFlags(TRAIN_OPTIONS, ['name']).name, help: 'model name (default: the folder name)' },
  'no-sustain': noSustainFlag,
  resume: { type: 'boolean', help: 'continue training the model in --out' },
  overwrite: { type: 'boolean', help: 'replace a model already in --out' },
  json: { type: 'boolean', help: 'one JSON line per epoch on stdout, and a last one with the result' },
};

export const trainUsage =
  'ostinato train <files|folders…> --out <modelDir> [--epochs N] [--max-seconds S] [--hidden-size H] [--num-layers L] [--seq-len T] [--batch-size B] [--backend tensorflow|wasm|cpu] [--no-sustain] [--resume]';

export async function trainCommand(argv: string[], io: CliIO): Promise<number> {
  const { positionals, flags } = parseArgs(argv, trainFlags);
  if (positionals.length === 0) throw new UsageError('train needs MIDI files or folders to learn from');
  if (typeof flags.out !== 'string') throw new UsageError('train needs --out <modelDir>');
  if (flags.resume && flags.overwrite)
    throw new UsageError('--resume and --overwrite cannot be used together');
  const outDir = resolve(flags.out);
  const json = Boolean(flags.json);

  const options: Partial<TrainOptions> = optionValues(TRAIN_OPTIONS, flags);
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
