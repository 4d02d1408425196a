import { promises as fs } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import {
  GENERATE_OPTIONS,
  PRIMER_OPTIONS,
  generatePieces,
  gridPieceToMidi,
  initBackend,
  parseMidi,
  quantizePiece,
  writeFileAtomic,
  type GenerateRequest,
} from '../../model/index.js';
import {
  backendFlag,
  optionFlags,
  optionValues,
  parseArgs,
  UsageError,
  type BackendFlag,
  type FlagSpecs,
} from '../args.js';
import type { CliIO } from '../io.js';
import { loadModelArg } from '../model-arg.js';

export const DEFAULT_MODEL_DIR = resolve(__dirname, '..', '..', 'assets', 'models', 'default');

/** The generation options of the core's table are flags (`--top-k`, `--variations`…). */
export const generateFlags: FlagSpecs = {
  model: { type: 'string', help: 'model folder or .ostinato bundle (default: the bundled model)' },
  out: { type: 'string', help: 'MIDI file to write (required); several variations: name-1.mid, name-2.mid…' },
  ...optionFlags(GENERATE_OPTIONS),
  // The CLI writes one file per --out unless asked for more; a key only with a scale.
  variations: {
    ...optionFlags(GENERATE_OPTIONS, ['variations']).variations,
    help: 'number of pieces (default 1)',
  },
  tempo: { ...optionFlags(GENERATE_OPTIONS, ['tempo']).tempo, help: 'bpm (default: the primer’s, else 120)' },
  key: { ...optionFlags(GENERATE_OPTIONS, ['key']).key, help: 'key root for --scale' },
  primer: { type: 'string', help: 'MIDI file whose first bars start the piece' },
  'primer-bars': optionFlags(PRIMER_OPTIONS).bars,
  backend: backendFlag,
  'time-signature': { type: 'string', help: 'e.g. 3/4 (default: the primer’s, else 4/4)' },
};

export const generateUsage =
  'ostinato generate [--model <dir>] --out <file.mid> [--bars N] [--temperature T] [--top-k K] [--top-p P] [--seed S] [--primer file.mid] [--variations N] [--tempo BPM] [--key C --scale major]';

/** out.mid → out-1.mid, out-2.mid… when there are several pieces. */
export function variationPath(out: string, i: number, count: number): string {
  if (count === 1) return out;
  const ext = extname(out);
  return join(dirname(out), `${basename(out, ext)}-${i + 1}${ext || '.mid'}`);
}

export async function generateCommand(argv: string[], io: CliIO): Promise<number> {
  const { positionals, flags } = parseArgs(argv, generateFlags);
  if (positionals.length)
    throw new UsageError(`generate takes no file arguments (got "${positionals[0]}"); use --primer or --out`);
  if (typeof flags.out !== 'string') throw new UsageError('generate needs --out <file.mid>');
  const given = optionValues(GENERATE_OPTIONS, flags);
  const scale = given.scale ?? 'none';
  const key = given.key;
  if (scale !== 'none' && key === undefined) throw new UsageError('--scale needs --key');
  if (key !== undefined && scale === 'none') throw new UsageError('--key needs --scale (e.g. --scale major)');
  let timeSignature: [number, number] | undefined;
  if (typeof flags['time-signature'] === 'string') {
    const m = /^(\d{1,2})\/(1|2|4|8|16|32)$/.exec(flags['time-signature']);
    if (!m || Number(m[1]) < 1)
      throw new UsageError(`--time-signature must look like 4/4 or 6/8 (got "${flags['time-signature']}")`);
    timeSignature = [Number(m[1]), Number(m[2])];
  }
  if (flags['primer-bars'] !== undefined && flags.primer === undefined)
    throw new UsageError('--primer-bars needs --primer');

  const modelDir = typeof flags.model === 'string' ? resolve(flags.model) : DEFAULT_MODEL_DIR;
  await initBackend(flags.backend as BackendFlag);
  const model = await loadModelArg(modelDir);

  let primer: GenerateRequest['primer'] = null;
  if (typeof flags.primer === 'string') {
    const path = resolve(flags.primer);
    const bytes = await fs.readFile(path).catch((e: NodeJS.ErrnoException) => {
      throw new Error(
        `cannot read the primer ${flags.primer}: ${e.code === 'ENOENT' ? 'no such file' : (e.code ?? e.message)}`,
      );
    });
    const q = quantizePiece(parseMidi(new Uint8Array(bytes), flags.primer), { grid: model.encoding.grid });
    primer = {
      piece: q.piece,
      bars: (flags['primer-bars'] as number | undefined) ?? PRIMER_OPTIONS.bars.default,
    };
  }
  const out = resolve(flags.out);
  const d = GENERATE_OPTIONS;
  const request: GenerateRequest = {
    bars: d.bars.default,
    temperature: d.temperature.default,
    topK: d.topK.default,
    topP: d.topP.default,
    seed: d.seed.default,
    ...given,
    variations: given.variations ?? 1,
    scale,
    primer,
    timeSignature,
    name: basename(out, extname(out)),
  };
  const pieces = generatePieces(model, request);
  await fs.mkdir(dirname(out), { recursive: true });
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i];
    const path = variationPath(out, i, pieces.length);
    await writeFileAtomic(path, gridPieceToMidi(p));
    io.stdout(
      `${path}: ${p.bars} bars, ${p.notes.length} notes (${p.primerNotes} from the primer), ${p.bpm} bpm, seed ${p.seed}\n`,
    );
  }
  return 0;
}
