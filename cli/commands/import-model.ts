import { resolve } from 'node:path';
import { importTorchResult, readModelInfo, readTorchResultFolder } from '../../model/index.js';
import { parseArgs, UsageError, type FlagSpecs } from '../args.js';
import type { CliIO } from '../io.js';

export const importModelFlags: FlagSpecs = {
  out: { type: 'string', help: 'model folder to create (required; must not exist)' },
  name: { type: 'string', help: "model name (default: the result's name)" },
  json: { type: 'boolean', help: 'print the result as JSON' },
};

export const importModelUsage = 'ostinato import-model <resultDir> --out <modelDir> [--name NAME] [--json]';

/** A result folder of scale/train.py (PyTorch) → an Ostinato model folder. */
export async function importModelCommand(argv: string[], io: CliIO): Promise<number> {
  const { positionals, flags } = parseArgs(argv, importModelFlags);
  if (positionals.length !== 1)
    throw new UsageError('import-model needs one result folder (written by scale/train.py)');
  if (typeof flags.out !== 'string') throw new UsageError('import-model needs --out <modelDir>');
  const outDir = resolve(flags.out);
  const files = await readTorchResultFolder(resolve(positionals[0]));
  const { result } = await importTorchResult(files, outDir, {
    name: typeof flags.name === 'string' ? flags.name : undefined,
  });
  const info = await readModelInfo(outDir);
  const h = result.heldOutNll;
  if (flags.json)
    io.stdout(
      JSON.stringify({ dir: outDir, model: info, heldOutNll: h, training: result.training }, null, 2) + '\n',
    );
  else
    io.stderr(
      `imported "${info.name}" into ${outDir}: ${info.parameters.toLocaleString('en')} parameters, vocabulary ${info.vocabSize}, ` +
        `trained by ${result.training.engine} on ${result.training.worldSize} × ${result.training.device} (${result.training.backend}); ` +
        `held-out NLL reported by PyTorch ${h.nll.toFixed(4)} nats/token over ${h.tokens} predictions\n`,
    );
  return 0;
}
