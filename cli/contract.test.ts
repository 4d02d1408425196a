import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTrainingOptions } from '../main/shared/validate.js';
import {
  defaultTrainingOptions,
  defaultTrainOptions,
  validateTrainOptions,
  TRAINING_OPTION_RANGES,
} from '../model/index.js';

/**
 * main/shared/api.ts re-exports the core's TrainingOptions / TrainingEvent / ScaleName, and both the
 * app's argument checks and the core's validateTrainOptions read one range table: what is left to
 * check is that the two validators agree on it, at run time.
 */
test("the core's defaults pass the app's argument checks unchanged", () => {
  const d = defaultTrainingOptions();
  assert.deepEqual(checkTrainingOptions(d, 'options'), d);
});

test('the app and the core accept and refuse the same values at each end of every range', () => {
  for (const [k, r] of Object.entries(TRAINING_OPTION_RANGES)) {
    const step = r.integer ? 1 : 1e-9;
    const cases: [number, boolean][] = [
      [r.min, !('above' in r && r.above)],
      [r.max, true],
      [r.min - step, false],
      [r.max + step, false],
    ];
    if (r.integer) cases.push([r.min + 0.5, false]);
    for (const [value, ok] of cases) {
      const app = () => checkTrainingOptions({ ...defaultTrainingOptions(), [k]: value }, 'options');
      const core = () => validateTrainOptions({ ...defaultTrainOptions(), [k]: value });
      if (ok) {
        assert.doesNotThrow(app, `${k}=${value}`);
        assert.doesNotThrow(core, `${k}=${value}`);
      } else {
        assert.throws(app, new RegExp(`options\\.${k}`), `${k}=${value}`);
        assert.throws(core, new RegExp(k), `${k}=${value}`);
      }
    }
  }
});
