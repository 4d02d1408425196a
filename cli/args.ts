/**
 * Command-line argument parsing for the `ostinato` CLI: `--flag value`, `--flag=value`, boolean
 * `--flag`, and positionals (a lone `--` ends the flags). Every mistake becomes a UsageError with a
 * one-line message: unknown option, missing value, not a number, out of range, not one of the
 * choices. The flags of the core's options come from their tables (`optionFlags`): the flag is the
 * field's name in kebab-case, checked by the core's own `checkOption` (the same message as the app).
 */
import {
  BACKEND_ORDER,
  checkOption,
  InputError,
  type BackendName,
  type OptionTable,
  type OptionSpec,
  type OptionValues,
} from '../model/index.js';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type FlagType = 'string' | 'int' | 'number' | 'boolean';

export interface FlagSpec {
  type: FlagType;
  min?: number;
  max?: number;
  choices?: readonly string[];
  help: string;
  /** The row of an option table this flag sets (its bounds and choices are checked by it). */
  option?: OptionSpec;
}

export type FlagSpecs = Record<string, FlagSpec>;

/** `--backend`: the tfjs backend, shared by the commands that run the model. */
export const backendFlag: FlagSpec = {
  type: 'string',
  choices: [...BACKEND_ORDER],
  help: 'tfjs backend (default: best available)',
};

export type BackendFlag = BackendName | undefined;

/** `--no-sustain`: key-up note lengths instead of holding notes through the sustain pedal. */
export const noSustainFlag: FlagSpec = {
  type: 'boolean',
  help: 'ignore the sustain pedal (CC64): notes keep their key-up lengths (default: held through the pedal)',
};
export type FlagValues = Record<string, string | number | boolean | undefined>;

/** An option's flag: `hiddenSize` → `hidden-size`, `topK` → `top-k`. */
export function flagName(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Flag names from before the flags were named after the fields: old name → flag. */
export const FLAG_ALIASES: Readonly<Record<string, string>> = {
  hidden: 'hidden-size',
  layers: 'num-layers',
  embedding: 'embedding-dim',
  batch: 'batch-size',
  lr: 'learning-rate',
};

/** The flags of the rows `fields` (default: all) of an option table; help text and bounds from the table. */
export function optionFlags<T extends OptionTable>(
  table: T,
  fields: readonly (keyof T & string)[] = Object.keys(table),
): FlagSpecs {
  const out: FlagSpecs = {};
  for (const field of fields) {
    const o = table[field];
    const type: FlagType = o.kind === 'number' ? (o.integer ? 'int' : 'number') : 'string';
    const fallback = o.default === undefined ? '' : ` (default ${o.default})`;
    out[flagName(field)] = {
      type,
      ...(o.kind === 'choice' ? { choices: o.choices } : {}),
      help: `${o.help}${fallback}`,
      option: o,
    };
  }
  return out;
}

/** The values of the option flags given on the command line, as fields of the table (others left out). */
export function optionValues<T extends OptionTable>(table: T, flags: FlagValues): Partial<OptionValues<T>> {
  const out: Record<string, unknown> = {};
  for (const field of Object.keys(table)) {
    const v = flags[flagName(field)];
    if (v !== undefined) out[field] = v;
  }
  return out as Partial<OptionValues<T>>;
}

export interface ParsedArgs {
  positionals: string[];
  flags: FlagValues;
}

function checkRow(name: string, option: OptionSpec, v: string | number): string | number {
  try {
    return checkOption(option, v, `--${name}`);
  } catch (err) {
    if (err instanceof InputError) throw new UsageError(err.message);
    throw err;
  }
}

function parseValue(name: string, spec: FlagSpec, raw: string): string | number {
  if (spec.option && spec.type === 'string') return checkRow(name, spec.option, raw);
  if (spec.type === 'string') {
    if (spec.choices && !spec.choices.includes(raw))
      throw new UsageError(`--${name} must be one of ${spec.choices.join(', ')} (got "${raw}")`);
    return raw;
  }
  const v = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(v)) throw new UsageError(`--${name} must be a number (got "${raw}")`);
  if (spec.type === 'int' && !Number.isInteger(v))
    throw new UsageError(`--${name} must be a whole number (got "${raw}")`);
  if (spec.option) return checkRow(name, spec.option, v);
  if (spec.min !== undefined && v < spec.min)
    throw new UsageError(`--${name} must be at least ${spec.min} (got ${raw})`);
  if (spec.max !== undefined && v > spec.max)
    throw new UsageError(`--${name} must be at most ${spec.max} (got ${raw})`);
  return v;
}

export function parseArgs(argv: readonly string[], specs: FlagSpecs): ParsedArgs {
  const positionals: string[] = [];
  const flags: FlagValues = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      positionals.push(a);
      continue;
    }
    if (!a.startsWith('--')) throw new UsageError(`unknown option ${a} (options are written --name)`);
    const eq = a.indexOf('=');
    const given = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    const name = specs[given] === undefined && FLAG_ALIASES[given] ? FLAG_ALIASES[given] : given;
    const spec = specs[name];
    if (!spec) throw new UsageError(`unknown option --${given}`);
    if (spec.type === 'boolean') {
      if (eq >= 0) {
        const raw = a.slice(eq + 1);
        if (raw !== 'true' && raw !== 'false')
          throw new UsageError(`--${name} takes no value (or =true / =false)`);
        flags[name] = raw === 'true';
      } else flags[name] = true;
      continue;
    }
    let raw: string;
    if (eq >= 0) raw = a.slice(eq + 1);
    else {
      const next = argv[i + 1];
      // A following "--x" is the next option, not a value; negative numbers are values.
      if (
        next === undefined ||
        (next.startsWith('--') && next.length > 2) ||
        (next.startsWith('-') && spec.type === 'string' && next.length > 1)
      )
        throw new UsageError(`--${name} needs a value`);
      raw = next;
      i++;
    }
    flags[name] = parseValue(name, spec, raw);
  }
  return { positionals, flags };
}

export function formatFlagHelp(specs: FlagSpecs): string {
  const rows = Object.entries(specs).map(([name, s]) => {
    const arg =
      s.type === 'boolean'
        ? ''
        : s.choices
          ? ` <${s.choices.join('|')}>`
          : s.type === 'string'
            ? ' <value>'
            : ' <n>';
    const also = Object.keys(FLAG_ALIASES).filter((old) => FLAG_ALIASES[old] === name && !(old in specs));
    return [`  --${name}${also.map((old) => `, --${old}`).join('')}${arg}`, s.help];
  });
  const w = Math.max(...rows.map((r) => r[0].length)) + 2;
  return rows.map(([a, h]) => a.padEnd(w) + h).join('\n');
}
