/**
 * The settings of the token encoding (see codec.ts for the token language). Saved with every model:
 * a model's vocabulary only makes sense with the config it was built with.
 */
import type { GridName } from '../common/types.js';
import { STEPS_PER_QUARTER } from '../common/types.js';
import { TRAIN_OPTIONS } from '../common/training-options.js';
import { InputError } from '../common/options.js';

export interface EncodingConfig {
  grid: GridName;
  pitchRange: [number, number]; // inclusive MIDI pitches; notes outside move by octaves into it
  maxShift: number; // longest SHIFT token in steps; longer gaps are several SHIFTs
  maxDuration: number; // longest DUR token in steps; longer notes are clamped
  maxPolyphony: number; // most notes starting at one step
  transpose: number; // augmentation: every piece also transposed by -transpose..+transpose semitones
  normaliseKey: boolean; // move every piece to C major / A minor before training
  /**
   * REPEAT_k tokens for k = 1..repeatBars: "this bar is the same as the bar k bars back" (0 = none).
   * Models saved before the token existed have no such field: checkpoint's upgradeManifest makes it 0.
   */
  repeatBars: number;
}

/** Bars a REPEAT token may look back in new models. */
export const DEFAULT_REPEAT_BARS = TRAIN_OPTIONS.repeatBars.default;

/** Defaults for a grid: SHIFT up to one bar of 4/4, DUR up to four bars of 4/4. */
export function defaultEncodingConfig(grid: GridName = '16th'): EncodingConfig {
  const spq = STEPS_PER_QUARTER[grid];
  if (!spq) throw new RangeError(`unknown grid '${grid}'`);
  return {
    grid,
    pitchRange: [21, 108],
    maxShift: 4 * spq,
    maxDuration: 16 * spq,
    maxPolyphony: 16,
    transpose: 0,
    normaliseKey: false,
    repeatBars: DEFAULT_REPEAT_BARS,
  };
}

/** Checks a config read from a model file; throws a readable InputError naming the bad field. */
export function validateEncodingConfig(value: unknown): EncodingConfig {
  const c = value as Partial<EncodingConfig> | null;
  const bad = (what: string): never => {
    throw new InputError(`invalid encoding config: ${what}`);
  };
  if (!c || typeof c !== 'object') bad('not an object');
  const cfg: Partial<EncodingConfig> = { ...(c as Partial<EncodingConfig>) };
  if (typeof cfg.grid !== 'string' || !(cfg.grid in STEPS_PER_QUARTER))
    bad(`unknown grid ${JSON.stringify(cfg.grid)}`);
  const r = cfg.pitchRange;
  if (
    !Array.isArray(r) ||
    r.length !== 2 ||
    !r.every((x) => Number.isInteger(x) && x >= 0 && x <= 127) ||
    r[0] > r[1] ||
    r[1] - r[0] < 11
  ) {
    bad('pitchRange must be [low, high] MIDI pitches at least an octave apart');
  }
  const int = (name: keyof EncodingConfig, min: number, max: number) => {
    const v = cfg[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      bad(`${name} must be an integer in ${min}..${max}`);
  };
  int('maxShift', 1, 4096);
  int('maxDuration', 1, 4096);
  int('maxPolyphony', 1, 128);
  int('transpose', 0, 11);
  if (typeof cfg.normaliseKey !== 'boolean') bad('normaliseKey must be true or false');
  int('repeatBars', 0, 64);
  return { ...(cfg as EncodingConfig), pitchRange: [r![0], r![1]] };
}
