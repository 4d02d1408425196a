import { evaluateModel, initBackend, loadPiecesFromPaths, type Metrics } from '../../model/index.js';
import {
  backendFlag,
  noSustainFlag,
  parseArgs,
  UsageError,
  type BackendFlag,
  type FlagSpecs,
} from '../args.js';
import type { CliIO } from '../io.js';
import { loadModelArg } from '../model-arg.js';

export const evalFlags: FlagSpecs = {
  model: { type: 'string', help: 'model folder or .ostinato bundle (required)' },
  json: { type: 'boolean', help: 'the report as JSON' },
  backend: backendFlag,
  'no-sustain': noSustainFlag,
};

export const evalUsage = 'ostinato eval --model <dir> <files|folders…> [--json] [--no-sustain]';

export async function evalCommand(argv: string[], io: CliIO): Promise<number> {
  const { positionals, flags } = parseArgs(argv, evalFlags);
  if (typeof flags.model !== 'string') throw new UsageError('eval needs --model <dir>');
  if (positionals.length === 0) throw new UsageError('eval needs MIDI files or folders to evaluate on');
  const model = await loadModelArg(flags.model);
  const loaded = await loadPiecesFromPaths(positionals, {
    grid: model.encoding.grid,
    sustain: !flags['no-sustain'],
  });
  for (const s of loaded.skipped) io.stderr(`skipped ${s.file}: ${s.reason}\n`);
  if (loaded.pieces.length === 0) {
    io.stderr('error: none of the given files could be evaluated\n');
    return 1;
  }
  await initBackend(flags.backend as BackendFlag);
  const report = await evaluateModel(model, loaded.pieces);
  if (flags.json) {
    io.stdout(
      JSON.stringify(
        { modelName: model.info.name, dir: model.dir, skipped: loaded.skipped, ...report },
        null,
        2,
      ) + '\n',
    );
    return 0;
  }
  const row = (name: string, m: Metrics | null) =>
    m
      ? `${name.padEnd(18)}${m.nll.toFixed(4).padStart(10)}${m.perplexity.toFixed(2).padStart(12)}${(100 * m.accuracy).toFixed(1).padStart(9)}%\n`
      : `${name.padEnd(18)}  (not stored with this model)\n`;
  io.stdout(
    `${model.info.name}: ${report.pieces} pieces, ${report.tokens} tokens predicted` +
      (report.mappedEvents || report.unknownEvents
        ? ` (${report.mappedEvents} events mapped to the nearest known token, ${report.unknownEvents} unknown)`
        : '') +
      '\n' +
      `${''.padEnd(18)}${'NLL/token'.padStart(10)}${'perplexity'.padStart(12)}${'accuracy'.padStart(10)}\n` +
      row('LSTM', report.model) +
      row('bigram (KN)', report.bigram) +
      row('unigram (add-1)', report.unigram),
  );
  if (report.bigram) {
    const gain = report.bigram.nll - report.model.nll;
    io.stdout(
      gain > 0
        ? `the LSTM is ${gain.toFixed(3)} nats/token better than the bigram baseline\n`
        : `the LSTM does not beat the bigram baseline (${(-gain).toFixed(3)} nats/token worse): train longer or on more data\n`,
    );
  }
  return 0;
}
