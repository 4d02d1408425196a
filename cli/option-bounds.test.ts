import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GenerateOptions } from '../main/shared/api.js';
import { validateCall } from '../main/shared/validate.js';
import { readNumberField } from '../renderer/ui/option-field.js';
import {
  GENERATE_OPTIONS,
  PRIMER_OPTIONS,
  TRAINING_OPTIONS,
  TRAIN_OPTIONS,
  InputError,
  checkOptions,
  defaultTrainOptions,
  defaultTrainingOptions,
  optionDefaults,
  rangeText,
  validateGenerateRequest,
  validateTrainOptions,
  type GenerateRequest,
  type NumberSpec,
  type OptionTable,
} from '../model/index.js';
import { flagName, formatFlagHelp, parseArgs, UsageError, type FlagSpecs } from './args.js';
import { generateFlags } from './commands/generate.js';
import { trainFlags } from './commands/train.js';

/**
 * One option table per kind of option, read by every layer: here each layer (the renderer's form
 * fields, the host's argument checks, the CLI's flags, the core's validators) is given max + 1 of
 * every bounded option and must refuse it with the same words, and accept max itself.
 */
function numberRows(table: OptionTable): [string, NumberSpec][] {
  return Object.entries(table).filter((e): e is [string, NumberSpec] => e[1].kind === 'number');
}

/** `run` must throw `type` with a message that ends with the table's rule for `v`. */
function refuses(
  what: string,
  run: () => unknown,
  type: new (m: string) => Error,
  spec: NumberSpec,
  v: number,
) {
  const rule = `${rangeText(spec)} (got ${v})`;
  assert.throws(run, (err: unknown) => {
    assert.ok(err instanceof type, `${what}: expected ${type.name}, got ${String(err)}`);
    assert.ok(
      (err as Error).message.endsWith(rule),
      `${what}: "${(err as Error).message}" should end with "${rule}"`,
    );
    return true;
  });
}

const hostGenerate = (o: Partial<GenerateOptions>) => () =>
  validateCall('generate', [
    { modelId: 'default', primer: { kind: 'none' }, ...optionDefaults(GENERATE_OPTIONS), ...o },
  ]);
const coreGenerate = (o: Partial<GenerateRequest>) => () =>
  validateGenerateRequest({ bars: 4, temperature: 1, topK: 0, topP: 1, seed: 1, ...o });
const cli = (flags: FlagSpecs, name: string, v: number) => () => parseArgs([`--${name}`, String(v)], flags);

test('every bounded option has a finite range and a default inside it', () => {
  for (const table of [TRAIN_OPTIONS, GENERATE_OPTIONS, PRIMER_OPTIONS])
    for (const [k, spec] of numberRows(table)) {
      assert.ok(Number.isFinite(spec.min) && Number.isFinite(spec.max) && spec.min < spec.max, k);
      if (spec.default !== undefined) checkOptions({ [k]: spec }, { [k]: spec.default }, 'default');
    }
});

test('training options: renderer, host, CLI and core refuse max + 1 with the same message', () => {
  for (const [k, spec] of numberRows(TRAIN_OPTIONS)) {
    const over = spec.max + 1;
    const inForm = k in TRAINING_OPTIONS; // the app's form and the host take TrainingOptions
    const flag = flagName(k);
    if (inForm) {
      assert.equal(readNumberField(spec, String(spec.max), spec.label), spec.max);
      refuses(`form ${k}`, () => readNumberField(spec, String(over), spec.label), InputError, spec, over);
      const host = (v: number) => () => validateCall('trainStart', [{ ...defaultTrainingOptions(), [k]: v }]);
      assert.doesNotThrow(host(spec.max), k);
      refuses(`host ${k}`, host(over), InputError, spec, over);
    }
    assert.equal(parseArgs([`--${flag}`, String(spec.max)], trainFlags).flags[flag], spec.max);
    refuses(`--${flag}`, cli(trainFlags, flag, over), UsageError, spec, over);
    const core = (v: number) => () => validateTrainOptions({ ...defaultTrainOptions(), [k]: v });
    assert.doesNotThrow(core(spec.max), k);
    refuses(`core ${k}`, core(over), InputError, spec, over);
  }
});

test('generate options: renderer, host, CLI and core refuse max + 1 with the same message', () => {
  for (const [k, spec] of numberRows(GENERATE_OPTIONS)) {
    const over = spec.max + 1;
    const flag = flagName(k);
    assert.equal(readNumberField(spec, String(spec.max), spec.label), spec.max);
    refuses(`form ${k}`, () => readNumberField(spec, String(over), spec.label), InputError, spec, over);
    assert.doesNotThrow(hostGenerate({ [k]: spec.max }), k);
    refuses(`host ${k}`, hostGenerate({ [k]: over }), InputError, spec, over);
    assert.equal(parseArgs([`--${flag}`, String(spec.max)], generateFlags).flags[flag], spec.max);
    refuses(`--${flag}`, cli(generateFlags, flag, over), UsageError, spec, over);
    assert.doesNotThrow(coreGenerate({ [k]: spec.max }), k);
    refuses(`core ${k}`, coreGenerate({ [k]: over }), InputError, spec, over);
  }
});

test("the primer's bars: renderer, host, CLI and core refuse max + 1 with the same message", () => {
  const spec = PRIMER_OPTIONS.bars;
  const over = spec.max + 1;
  refuses('form primer bars', () => readNumberField(spec, String(over), spec.label), InputError, spec, over);
  refuses(
    'host primer bars',
    hostGenerate({ primer: { kind: 'corpus', fileId: 'a', bars: over } }),
    InputError,
    spec,
    over,
  );
  assert.doesNotThrow(hostGenerate({ primer: { kind: 'corpus', fileId: 'a', bars: spec.max } }));
  refuses('--primer-bars', cli(generateFlags, 'primer-bars', over), UsageError, spec, over);
  const piece = {
    name: 'p',
    stepsPerQuarter: 4,
    bpm: 120,
    timeSignature: [4, 4] as [number, number],
    lengthSteps: 16,
    notes: [],
  };
  refuses('core primer bars', coreGenerate({ primer: { piece, bars: over } }), InputError, spec, over);
});

test('old flag names still work and are spelled out in --help', () => {
  const { flags } = parseArgs(['--hidden', '128', '--lr', '0.01', '--batch', '8'], trainFlags);
  assert.deepEqual(flags, { 'hidden-size': 128, 'learning-rate': 0.01, 'batch-size': 8 });
  const help = formatFlagHelp(trainFlags);
  assert.match(help, /--hidden-size, --hidden <n> +Units per LSTM layer.*\(default 256\)/);
  assert.match(help, /--learning-rate, --lr <n> /);
  assert.match(help, /--grid <8th\|16th\|32nd\|8th-triplet\|16th-triplet> /);
});
