import { resolve } from 'node:path';
import {
  TRAIN_OPTIONS,
  defaultTrainOptions,
  exportDataset,
  loadPiecesFromPaths,
  type GridName,
  type TrainOptions,
} from '../../model/index.js';
import { optionFlags, optionValues, parseArgs, UsageError, type FlagSpecs } from '../args.js';
import type { CliIO } from '../io.js';

/** The training options that shape the data (and the network defaults recorded for the trainer). */
const SHARED = [
  'grid',
  'seqLen',
  'valFraction',
  'seed',
  'repeatBars',
  'epochs',
  'hiddenSize',
  'numLayers',
  'embeddingDim',
  'dropout',
  'batchSize',
  'learningRate',
] as const satisfies readonly (keyof typeof TRAIN_OPTIONS)[];

export const exportDatasetFlags: FlagSpecs = {
  out: { type: 'string', help: 'folder to write the dataset to (required)' },
  ...optionFlags(TRAIN_OPTIONS, SHARED),
  json: { type: 'boolean', help: 'print the dataset manifest as JSON' },
};

export const exportDatasetUsage =
  'ostinato export-dataset <files|folders…> --out <dir> [--grid G] [--seq-len T] [--val-fraction F] [--seed S]';

export async function exportDatasetCommand(argv: string[], io: CliIO): Promise<number> {
  const { positionals, flags } = parseArgs(argv, exportDatasetFlags);
  if (positionals.length === 0) throw new UsageError('export-dataset needs MIDI files or folders');
  if (typeof flags.out !== 'string') throw new UsageError('export-dataset needs --out <dir>');
  const options: Partial<TrainOptions> = optionValues(TRAIN_OPTIONS, flags);
  const loaded = await loadPiecesFromPaths(positionals, {
    grid: (options.grid ?? defaultTrainOptions().grid) as GridName,
  });
  for (const s of loaded.skipped) io.stderr(`skipped ${s.file}: ${s.reason}\n`);
  if (loaded.pieces.length === 0) {
    io.stderr('error: none of the given files could be read\n');
    return 1;
  }
  const outDir = resolve(flags.out);
  const m = await exportDataset({
    pieces: loaded.pieces,
    sources: loaded.reports.map((r) => r.path),
    outDir,
    options,
  });
  if (flags.json) io.stdout(JSON.stringify(m, null, 2) + '\n');
  else
    io.stderr(
      `wrote ${outDir}: vocabulary ${m.vocabulary.length}, ${m.encoding.grid} grid, windows of ${m.seqLen}; ` +
        `train ${m.splits.train.pieces} pieces (${m.splits.train.windows} windows, ${m.splits.train.tokens} tokens), ` +
        `valid ${m.splits.valid.pieces} pieces (${m.splits.valid.windows} windows, ${m.splits.valid.tokens} tokens)\n`,
    );
  return 0;
}
