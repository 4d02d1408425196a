import { resolve } from 'node:path';
import { exportTfjsLayers, initBackend } from '../../model/index.js';
import { parseArgs, UsageError, type FlagSpecs } from '../args.js';
import type { CliIO } from '../io.js';
import { loadModelArg } from '../model-arg.js';

export const exportTfjsFlags: FlagSpecs = {
  model: { type: 'string', help: 'model folder or .ostinato bundle (required)' },
  out: { type: 'string', help: 'folder for model.json and its weight shard (required)' },
};

export const exportTfjsUsage = 'ostinato export-tfjs --model <dir> --out <dir>';

/** Any model → a tfjs Layers model (tf.loadLayersModel; TensorFlow's converter makes Keras of it). */
export async function exportTfjsCommand(argv: string[], io: CliIO): Promise<number> {
  const { positionals, flags } = parseArgs(argv, exportTfjsFlags);
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
  if (typeof flags.model !== 'string') throw new UsageError('export-tfjs needs --model <dir>');
  if (typeof flags.out !== 'string') throw new UsageError('export-tfjs needs --out <dir>');
  const model = await loadModelArg(flags.model);
  await initBackend();
  const outDir = resolve(flags.out);
  const files = await exportTfjsLayers(
    {
      name: model.info.name,
      config: model.config,
      weights: model.weights,
      vocabulary: model.vocab.toJSON(),
      encoding: { ...model.encoding },
    },
    outDir,
  );
  io.stderr(`wrote ${files.join(' and ')} to ${outDir} (load with tf.loadLayersModel)\n`);
  return 0;
}
