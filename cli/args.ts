/**
 * Command-line argument parsing for the `ostinato` CLI: `--flag value`, `--flag=value`, boolean
 * `--flag`, and positionals (a lone `--` ends the flags). Every mistake becomes a UsageError with a
 * one-line message: unknown option, missing value, not a number, out of range, not one of the
 * choices.
 */
import { BACKEND_ORDER, type BackendName } from '../model/index.js';

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

export interface ParsedArgs {
  positionals: string[];
  flags: FlagValues;
}

function parseValue(name: string, spec: FlagSpec, raw: string): string | number {
  if (spec.type === 'string') {
    if (spec.choices && !spec.choices.includes(raw))
      throw new UsageError(`--${name} must be one of ${spec.choices.join(', ')} (got "${raw}")`);
    return raw;
  }
  const v = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(v)) throw new UsageError(`--${name} must be a number (got "${raw}")`);
  if (spec.type === 'int' && !Number.isInteger(v))
    throw new UsageError(`--${name} must be a whole number (got "${raw}")`);
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
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    const spec = specs[name];
    if (!spec) throw new UsageError(`unknown option --${name}`);
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
    return [`  --${name}${arg}`, s.help];
  });
  const w = Math.max(...rows.map((r) => r[0].length)) + 2;
  return rows.map(([a, h]) => a.padEnd(w) + h).join('\n');
}
