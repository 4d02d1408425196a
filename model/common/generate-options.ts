import { SEED_BOUNDS, type OptionTable, type OptionValues } from './options.js';
import { SCALE_LABELS, SCALE_NAMES } from './scales.js';
import { KEY_NAMES } from './transpose.js';

/**
 * Generation options: one table (model/common/options.ts) that the core's check
 * (validateGenerateRequest), the host's argument check (main/shared/validate.ts), the app's Generate
 * panel and the CLI's `generate` flags all read. Pure data: the renderer imports it too.
 *
 * The sampling defaults (temperature, top-k, top-p) are those of the Generate panel, the CLI and
 * `npm run eval:music`: one place, so the benchmark measures what users get. Measured with `npm run
 * eval:music` (LSTM on the Nottingham training split, REPEAT encoding; sum of the 7 overlaps with
 * the held-out tunes, docs/benchmarks.md "Musical statistics"): temperature 0.8 / 0.9 / 1.0 at top-p
 * 0.95 gave 5.91 / 6.01 / 5.85 (0.9 again 6.05 with another seed); top-p 0.9 / 1.0 at temperature 1
 * gave 5.92 / 5.81.
 */
export const GENERATE_OPTIONS = {
  bars: {
    kind: 'number',
    min: 1,
    max: 512,
    integer: true,
    default: 8,
    label: 'Bars',
    help: 'Bars to generate (after the primer, if any).',
  },
  variations: {
    kind: 'number',
    min: 1,
    max: 16,
    integer: true,
    default: 3,
    label: 'Variations',
    help: 'How many pieces, from consecutive seeds.',
  },
  temperature: {
    kind: 'number',
    min: 0,
    max: 2,
    step: 0.05,
    default: 0.9,
    label: 'Temperature',
    help: 'Low = safe and repetitive, high = adventurous.',
  },
  topK: {
    kind: 'number',
    min: 0,
    max: 1000,
    integer: true,
    default: 0,
    label: 'Top-k',
    help: 'Sample only from the k likeliest events (0 = off).',
  },
  topP: {
    kind: 'number',
    min: 0,
    max: 1,
    above: true,
    default: 0.95,
    label: 'Top-p',
    help: 'Sample from the smallest set of events with this much probability (1 = off).',
  },
  seed: {
    ...SEED_BOUNDS,
    label: 'Seed',
    help: 'Same seed and settings = same music.',
  },
  tempo: {
    kind: 'number',
    min: 20,
    max: 400,
    step: 1,
    default: 120,
    label: 'Tempo (bpm)',
    help: 'Beats per minute of the result (default: the primer’s, else 120).',
  },
  key: {
    kind: 'choice',
    choices: KEY_NAMES,
    default: 'C',
    label: 'Key',
    help: 'Tonic of the scale below.',
  },
  scale: {
    kind: 'choice',
    choices: SCALE_NAMES,
    labels: SCALE_LABELS,
    default: 'none',
    label: 'Scale',
    help: 'Keeps notes in the scale of the key (Any = no constraint).',
  },
} as const satisfies OptionTable;

/** The settable part of a generation request (the host's GenerateOptions adds the model and primer). */
export type GenerateSettings = OptionValues<typeof GENERATE_OPTIONS>;

/** The sampling settings (the part `npm run eval:music` varies). */
export type SamplingSettings = Pick<GenerateSettings, 'temperature' | 'topK' | 'topP'>;

export const DEFAULT_SAMPLING: Readonly<SamplingSettings> = Object.freeze({
  temperature: GENERATE_OPTIONS.temperature.default,
  topK: GENERATE_OPTIONS.topK.default,
  topP: GENERATE_OPTIONS.topP.default,
});

/** The primer's row: how many of its bars start the piece (the host's primers and `--primer-bars`). */
export const PRIMER_OPTIONS = {
  bars: {
    kind: 'number',
    min: 1,
    max: GENERATE_OPTIONS.bars.max,
    integer: true,
    default: 2,
    label: 'Primer bars',
    help: 'Bars of the primer the model continues from.',
  },
} as const satisfies OptionTable;
