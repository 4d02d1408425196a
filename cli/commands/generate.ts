import { promises as fs } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import {
  DEFAULT_SAMPLING,
  PITCH_CLASS_NAMES,
  SCALES,
  generatePieces,
  initBackend,
  parseMidi,
  pieceToMidi,
  pitchClassOf,
  quantizePiece,
  writeFileAtomic,
  type GenerateRequest,
  type ScaleName,
} from '../../model/index.js';
import { backendFlag, parseArgs, UsageError, type BackendFlag, type FlagSpecs } from '../args.js';
import type { CliIO } from '../io.js';
import { loadModelArg } from '../model-arg.js';

export const DEFAULT_MODEL_DIR = resolve(__dirname, '..', '..', 'assets', 'models', 'default');

export const generateFlags: FlagSpecs = {
  model: { type: 'string', help: 'model folder or .ostinato bundle (default: the bundled model)' },
  out: { type: 'string', help: 'MIDI file to write (required); several variations: name-1.mid, name-2.mid…' },
  bars: { type: 'int', min: 1, max: 512, help: 'bars to generate after the primer (default 8)' },
  temperature: {
    type: 'number',
    min: 0,
    max: 10,
    help: `0 = greedy, 1 = as learned, higher = wilder (default ${DEFAULT_SAMPLING.temperature})`,
  },
  'top-k': {
    type: 'int',
    min: 0,
    max: 100000,
    help: `sample from the k most likely tokens, 0 = off (default ${DEFAULT_SAMPLING.topK})`,
  },
  'top-p': {
    type: 'number',
    min: 0.001,
    max: 1,
    help: `nucleus sampling mass, 1 = off (default ${DEFAULT_SAMPLING.topP})`,
  },
  seed: { type: 'int', help: 'random seed: same seed, same music (default 1)' },
  primer: { type: 'string', help: 'MIDI file whose first bars start the piece' },
  'primer-bars': { type: 'int', min: 1, max: 512, help: 'bars of the primer to use (default 2)' },
  variations: { type: 'int', min: 1, max: 32, help: 'number of pieces (default 1)' },
  backend: backendFlag,
  tempo: { type: 'number', min: 20, max: 400, help: 'bpm (default: the primer’s, else 120)' },
  key: { type: 'string', help: 'key root for --scale: C, C#, Db … B' },
  scale: { type: 'string', choices: Object.keys(SCALES), help: 'only notes of this scale (default none)' },
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
  const scale = (flags.scale as ScaleName | undefined) ?? 'none';
  const key = flags.key as string | undefined;
  if (key !== undefined && pitchClassOf(key) < 0)
    throw new UsageError(`--key must be a note name: ${PITCH_CLASS_NAMES.join(', ')} (got "${key}")`);
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
    primer = { piece: q.piece, bars: (flags['primer-bars'] as number | undefined) ?? 2 };
  }
  const out = resolve(flags.out);
  const request: GenerateRequest = {
    bars: (flags.bars as number | undefined) ?? 8,
    temperature: (flags.temperature as number | undefined) ?? DEFAULT_SAMPLING.temperature,
    topK: (flags['top-k'] as number | undefined) ?? DEFAULT_SAMPLING.topK,
    topP: (flags['top-p'] as number | undefined) ?? DEFAULT_SAMPLING.topP,
    seed: (flags.seed as number | undefined) ?? 1,
    variations: (flags.variations as number | undefined) ?? 1,
    tempo: flags.tempo as number | undefined,
    key,
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
    await writeFileAtomic(path, pieceToMidi(p));
    io.stdout(
      `${path}: ${p.bars} bars, ${p.notes.length} notes (${p.primerNotes} from the primer), ${p.bpm} bpm, seed ${p.seed}\n`,
    );
  }
  return 0;
}
