/**
 * Option tables: every option a user can set (training, generation) is one row of a table that says
 * its kind, bounds, default, label and help. The core's validators, the host's argument checks
 * (main/shared/validate.ts), the renderer's forms and the CLI's flags all read the same rows, so a
 * bound or a default is written once. `checkOptions` is the one checker; it throws `InputError`.
 *
 * Pure: no Node, no DOM (the renderer imports it).
 */

/**
 * Bad input from the caller (an option out of range, a malformed request): as opposed to a failure
 * of the program. Hosts show its message as is; the CLI reports it as bad input (exit status 1;
 * a bad flag is a usage error, 2).
 */
export class InputError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InputError';
  }
}

interface SpecBase {
  /** The form's label. */
  label: string;
  /** One sentence for the form and `--help`. */
  help: string;
  /** May be left out (then the code using it decides). */
  optional?: true;
}

export interface NumberSpec extends SpecBase {
  kind: 'number';
  min: number;
  max: number;
  /** Whole numbers only. */
  integer?: true;
  /** The lower bound itself is not allowed (min < v <= max). */
  above?: true;
  /** The form's step (default 1 for integers, else 0.01). */
  step?: number;
  default?: number;
}

export interface ChoiceSpec<C extends string = string> extends SpecBase {
  kind: 'choice';
  choices: readonly C[];
  /** Display names of the choices (default: the choices themselves). */
  labels?: Readonly<Record<C, string>>;
  default?: C;
}

export interface TextSpec extends SpecBase {
  kind: 'text';
  maxLength: number;
  default?: string;
}

export type OptionSpec = NumberSpec | ChoiceSpec | TextSpec;
export type OptionTable = Readonly<Record<string, OptionSpec>>;

type ValueOf<S> = S extends { kind: 'number' }
  ? number
  : S extends { kind: 'choice'; choices: readonly (infer C)[] }
    ? C
    : string;

/** The object a table describes: one field per row, `optional` rows may be left out. */
export type OptionValues<T extends OptionTable> = {
  -readonly [K in keyof T as T[K] extends { optional: true } ? never : K]: ValueOf<T[K]>;
} & {
  -readonly [K in keyof T as T[K] extends { optional: true } ? K : never]?: ValueOf<T[K]>;
};

/** A wrong value as a message names it: `"abc"`, `12`, `an array`, `binary data`, `null`… */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Uint8Array) return 'binary data';
  if (typeof v === 'string') return v.length > 40 ? `a string of ${v.length} characters` : `"${v}"`;
  if (typeof v === 'number') return String(v);
  return typeof v === 'object' ? 'an object' : typeof v;
}

/** The bounds of a seed row: every 32-bit state of the core's Rng (model/common/rng.ts), default 1. */
export const SEED_BOUNDS = { kind: 'number', min: 0, max: 0xffffffff, integer: true, default: 1 } as const;

/** What a number row allows, as the end of a sentence: "must be between 8 and 2048". */
export function rangeText(spec: Pick<NumberSpec, 'min' | 'max' | 'above'>): string {
  return spec.above
    ? `must be greater than ${spec.min} and at most ${spec.max}`
    : `must be between ${spec.min} and ${spec.max}`;
}

/** A number within bounds (`above`: min itself excluded); `name` starts the InputError's message. */
export function checkNumberIn(
  bounds: Pick<NumberSpec, 'min' | 'max' | 'integer' | 'above'>,
  v: unknown,
  name: string,
): number {
  const fail = (why: string): never => {
    throw new InputError(`${name} ${why}`);
  };
  if (typeof v !== 'number' || Number.isNaN(v)) fail(`must be a number (got ${describeValue(v)})`);
  const n = v as number;
  if (!Number.isFinite(n)) fail(`must be a finite number (got ${n})`);
  if (bounds.integer && !Number.isInteger(n)) fail(`must be a whole number (got ${n})`);
  if (n < bounds.min || n > bounds.max || (bounds.above && n === bounds.min))
    fail(`${rangeText(bounds)} (got ${n})`);
  return n;
}

/**
 * One value against its row; `name` starts the message ("trainStart: options.epochs", "--epochs").
 * Returns the value; throws InputError saying what is wrong and what was given.
 */
export function checkOption(spec: OptionSpec, v: unknown, name: string): number | string {
  const fail = (why: string): never => {
    throw new InputError(`${name} ${why}`);
  };
  if (spec.kind === 'number') return checkNumberIn(spec, v, name);
  if (spec.kind === 'choice') {
    if (typeof v !== 'string' || !spec.choices.includes(v))
      fail(`must be one of ${spec.choices.join(', ')} (got ${describeValue(v)})`);
    return v as string;
  }
  if (typeof v !== 'string') fail(`must be a string (got ${describeValue(v)})`);
  const s = v as string;
  if (s.length > spec.maxLength) fail(`is too long (${s.length} characters, at most ${spec.maxLength})`);
  return s;
}

/**
 * Checks every row of `table` in `value` (an object) and returns a copy holding only the table's
 * fields. `where` names the object in messages ("options" gives "options.epochs must be …").
 * Rows marked optional may be missing; with `partial`, any row may be. Fields the table does not
 * know are left to the caller (the host refuses them; the core's requests carry more).
 */
export function checkOptions<T extends OptionTable>(
  table: T,
  value: unknown,
  where: string,
  partial = false,
): OptionValues<T> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InputError(`${where} must be an object (got ${describeValue(value)})`);
  const o = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, spec] of Object.entries(table)) {
    if (o[k] === undefined && (partial || spec.optional)) continue;
    out[k] = checkOption(spec, o[k], `${where}.${k}`);
  }
  return out as OptionValues<T>;
}

/** The defaults of a table's rows (rows without one are left out). */
export function optionDefaults<T extends OptionTable>(table: T): Partial<OptionValues<T>> {
  const out: Record<string, unknown> = {};
  for (const [k, spec] of Object.entries(table)) if (spec.default !== undefined) out[k] = spec.default;
  return out as Partial<OptionValues<T>>;
}

/** The form's step of a number row. */
export function optionStep(spec: NumberSpec): number {
  return spec.step ?? (spec.integer ? 1 : 0.01);
}
