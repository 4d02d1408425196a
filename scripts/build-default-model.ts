/**
 * `npm run default-model`: trains the model shipped with Ostinato (assets/models/default) on the
 * bundled Bach chorales (assets/corpus, made by `npm run build-corpus`) with the project's own code,
 * evaluates it on the chorales' test split, and replaces the folder atomically. The weights are
 * written without the optimizer state (the bundled model is read-only in the app) to keep them small.
 *
 *   npm run default-model                        # the settings below, ~9 minutes of training
 *   npm run default-model -- --max-seconds 60    # a quick run (e.g. to try the script)
 *
 * Settings and reasoning: docs/model-defaults.md ("The bundled default model").
 */
import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs, formatFlagHelp, type FlagSpecs } from '../cli/args.js';
import {
  evaluateModel,
  exportModelBundle,
  importModelBundle,
  loadModel,
  loadPiecesFromPaths,
  trainModel,
  writeFileAtomic,
  type TrainOptions,
  type EvalReport,
} from '../model/index.js';

const ROOT = resolve(__dirname, '..');
const CORPUS = join(ROOT, 'assets', 'corpus');

/** The default model's settings (see docs/model-defaults.md). */
export const DEFAULT_MODEL_OPTIONS: Partial<TrainOptions> = {
  name: 'Bach chorales (default)',
  grid: '16th',
  hiddenSize: 256,
  numLayers: 1,
  embeddingDim: 32,
  dropout: 0.1,
  seqLen: 64,
  batchSize: 32,
  learningRate: 0.005,
  transpose: 5,
  epochs: 24,
  maxSeconds: 570,
  patience: 4,
  valFraction: 0.1,
  seed: 1,
  threads: 1, // one core, as documented: the budget means the same on a busy build machine
};

const flags: FlagSpecs = {
  out: { type: 'string', help: 'model folder (default assets/models/default)' },
  'max-seconds': {
    type: 'number',
    min: 1,
    help: `training time budget (default ${DEFAULT_MODEL_OPTIONS.maxSeconds})`,
  },
  epochs: { type: 'int', min: 1, help: `epochs (default ${DEFAULT_MODEL_OPTIONS.epochs})` },
  backend: { type: 'string', choices: ['tensorflow', 'wasm', 'cpu'], help: 'tfjs backend' },
  help: { type: 'boolean', help: 'this text' },
};

function metricsLine(name: string, m: EvalReport['model'] | null): string {
  return m
    ? `| ${name} | ${m.nll.toFixed(3)} | ${m.perplexity.toFixed(2)} | ${(100 * m.accuracy).toFixed(1)}% |`
    : `| ${name} | – | – | – |`;
}

async function main(): Promise<void> {
  const { flags: f } = parseArgs(process.argv.slice(2), flags);
  if (f.help) {
    process.stdout.write(`usage: npm run default-model -- [options]\n\n${formatFlagHelp(flags)}\n`);
    return;
  }
  const outDir = resolve(typeof f.out === 'string' ? f.out : join(ROOT, 'assets', 'models', 'default'));
  const options: Partial<TrainOptions> = {
    ...DEFAULT_MODEL_OPTIONS,
    ...(f['max-seconds'] !== undefined ? { maxSeconds: f['max-seconds'] as number } : {}),
    ...(f.epochs !== undefined ? { epochs: f.epochs as number } : {}),
    ...(f.backend ? { backend: f.backend as TrainOptions['backend'] } : {}),
  };

  const files = (await fs.readdir(CORPUS)).filter((n) => n.endsWith('.mid')).sort();
  if (files.length === 0) throw new Error(`no MIDI files in ${CORPUS}: run npm run build-corpus first`);
  const trainFiles = files.filter((n) => !n.startsWith('jsb-test-')).map((n) => join(CORPUS, n));
  const testFiles = files.filter((n) => n.startsWith('jsb-test-')).map((n) => join(CORPUS, n));
  const train = await loadPiecesFromPaths(trainFiles, { grid: options.grid! });
  const test = await loadPiecesFromPaths(testFiles, { grid: options.grid! });
  for (const s of [...train.skipped, ...test.skipped])
    process.stderr.write(`skipped ${s.file}: ${s.reason}\n`);
  process.stderr.write(
    `training on ${train.pieces.length} chorales (train + valid splits), testing on ${test.pieces.length}\n`,
  );

  const work = join(ROOT, '.tmp', `default-model-${randomBytes(3).toString('hex')}`);
  try {
    const result = await trainModel({
      pieces: train.pieces,
      outDir: join(work, 'trained'),
      options,
      onEvent: (e) => {
        if (e.type === 'started') process.stderr.write(`${e.parameters} parameters, backend ${e.backend}\n`);
        if (e.type === 'epoch')
          process.stderr.write(
            `epoch ${e.epoch}: train ${e.trainLoss.toFixed(4)} (${(100 * e.trainAccuracy).toFixed(1)}%), val ${e.valLoss.toFixed(4)} (${(100 * e.valAccuracy).toFixed(1)}%)\n`,
          );
      },
    });
    if (!result.manifest) throw new Error('training ended before the first epoch: nothing to ship');
    process.stderr.write(`training ended: ${result.reason} after ${result.epochs} epochs\n`);

    // Weights only (no optimizer state), unpacked into a fresh folder beside the target.
    const bundle = await exportModelBundle(join(work, 'trained'), { includeResumeState: false });
    const staged = `${outDir}.new-${randomBytes(3).toString('hex')}`;
    await importModelBundle(bundle, staged);
    const model = await loadModel(staged);
    const report = await evaluateModel(model, test.pieces);
    const m = model.manifest;
    const last = m.history.at(-1)!;
    const readme = [
      '# Default model',
      '',
      `Trained by \`npm run default-model\` (scripts/build-default-model.ts) on ${m.corpus.files} Bach chorales of`,
      'assets/corpus (the train and valid splits; public domain). Settings and reasoning: docs/model-defaults.md.',
      '',
      `- ${model.info.parameters.toLocaleString('en')} parameters: ${m.lstm.numLayers} LSTM layer(s) of ${m.lstm.hiddenSize}, embedding ${m.lstm.embeddingDim}, vocabulary ${m.lstm.vocabSize} tokens (${m.encoding.grid} grid)`,
      `- ${m.state.epoch} epochs (${last.partial ? 'the last one cut short by ' : ''}${m.state.stopReason}), ${Math.round(m.state.elapsedSeconds)} s of training, best validation loss ${m.state.bestValLoss?.toFixed(4)} at epoch ${m.state.bestEpoch}`,
      `- created ${m.updatedAt}`,
      '',
      `Held-out evaluation on the ${report.pieces} chorales of the test split (${report.tokens} tokens; \`ostinato eval --model assets/models/default assets/corpus/jsb-test-*.mid\`):`,
      '',
      '| model | NLL (nats/token) | perplexity | accuracy |',
      '|---|---|---|---|',
      metricsLine('LSTM (this model)', report.model),
      metricsLine('bigram, Kneser-Ney', report.bigram),
      metricsLine('unigram, add-one', report.unigram),
      '',
    ].join('\n');
    await writeFileAtomic(join(staged, 'README.md'), readme);

    // Swap into place: the old folder is moved aside first, then removed.
    const old = `${outDir}.old-${randomBytes(3).toString('hex')}`;
    const hadOld = await fs.rename(outDir, old).then(
      () => true,
      (e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return false;
        throw e;
      },
    );
    await fs.rename(staged, outDir);
    if (hadOld) await fs.rm(old, { recursive: true, force: true });
    process.stdout.write(readme);
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`build-default-model: ${(e as Error).message}\n`);
  process.exit(1);
});
