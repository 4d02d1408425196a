/**
 * The headless `ostinato` CLI: inspect, train, generate, evaluate, and the bridges to other engines
 * (export-dataset, import-model, export-tfjs), on top of model/index.ts.
 * `runCli(argv, io)` returns the exit code (0 ok; 1 bad input or a failure, with a one-line reason;
 * 2 bad arguments; 130 cancelled with Ctrl-C), so tests can call it in-process.
 */
import { UsageError, formatFlagHelp } from './args.js';
import { processIO, type CliIO } from './io.js';
import { inspectCommand, inspectFlags, inspectUsage } from './commands/inspect.js';
import { trainCommand, trainFlags, trainUsage } from './commands/train.js';
import { generateCommand, generateFlags, generateUsage } from './commands/generate.js';
import { evalCommand, evalFlags, evalUsage } from './commands/eval.js';
import { exportDatasetCommand, exportDatasetFlags, exportDatasetUsage } from './commands/export-dataset.js';
import { importModelCommand, importModelFlags, importModelUsage } from './commands/import-model.js';
import { exportTfjsCommand, exportTfjsFlags, exportTfjsUsage } from './commands/export-tfjs.js';

const commands = {
  inspect: {
    run: inspectCommand,
    flags: inspectFlags,
    usage: inspectUsage,
    about: 'what the importer reads from MIDI files',
  },
  train: { run: trainCommand, flags: trainFlags, usage: trainUsage, about: 'train an LSTM on MIDI files' },
  generate: {
    run: generateCommand,
    flags: generateFlags,
    usage: generateUsage,
    about: 'generate MIDI with a trained model',
  },
  eval: {
    run: evalCommand,
    flags: evalFlags,
    usage: evalUsage,
    about: 'score a model on held-out MIDI files',
  },
  'export-dataset': {
    run: exportDatasetCommand,
    flags: exportDatasetFlags,
    usage: exportDatasetUsage,
    about: 'write the training data as .npy + JSON for PyTorch or TensorFlow',
  },
  'import-model': {
    run: importModelCommand,
    flags: importModelFlags,
    usage: importModelUsage,
    about: 'turn a PyTorch result (scale/train.py) into a model folder',
  },
  'export-tfjs': {
    run: exportTfjsCommand,
    flags: exportTfjsFlags,
    usage: exportTfjsUsage,
    about: 'write a model as a tfjs Layers model (tf.loadLayersModel, Keras)',
  },
} as const;

function overview(): string {
  return (
    'Ostinato: learn from your MIDI files, generate new ones.\n\nusage: ostinato <command> [options]\n\n' +
    Object.entries(commands)
      .map(([n, c]) => `  ${n.padEnd(16)}${c.about}`)
      .join('\n') +
    "\n\n`ostinato <command> --help` lists a command's options.\n"
  );
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const sub = name === 'help' ? rest[0] : undefined;
    if (sub && sub in commands) {
      const c = commands[sub as keyof typeof commands];
      io.stdout(`usage: ${c.usage}\n\n${formatFlagHelp(c.flags)}\n`);
      return 0;
    }
    io.stdout(overview());
    return name ? 0 : 2;
  }
  if (!(name in commands)) {
    io.stderr(`ostinato: unknown command "${name}" (use ${Object.keys(commands).join(', ')})\n`);
    return 2;
  }
  const cmd = commands[name as keyof typeof commands];
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`usage: ${cmd.usage}\n\n${formatFlagHelp(cmd.flags)}\n`);
    return 0;
  }
  try {
    return await cmd.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`ostinato ${name}: ${err.message}\nusage: ${cmd.usage}\n`);
      return 2;
    }
    const msg = (err as Error)?.message ?? String(err);
    io.stderr(`ostinato ${name}: ${msg.split('\n')[0]}\n`);
    if (process.env.OSTINATO_DEBUG) io.stderr(`${(err as Error)?.stack}\n`);
    return 1;
  }
}

/** Entry point of bin/ostinato.js: Ctrl-C cancels training cleanly (a second Ctrl-C exits at once). */
export async function main(argv = process.argv.slice(2)): Promise<void> {
  const ac = new AbortController();
  process.on('SIGINT', () => {
    if (ac.signal.aborted) process.exit(130);
    process.stderr.write('\nstopping after the current batch (Ctrl-C again to quit now)…\n');
    ac.abort();
  });
  const code = await runCli(argv, processIO(ac.signal));
  process.exitCode = code;
}

if (require.main === module) void main();
