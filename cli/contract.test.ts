import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as Api from '../main/shared/api.js';
import {
  defaultTrainingOptions,
  type TrainingEvent,
  type TrainingOptions,
  type ScaleName,
} from '../model/index.js';

/**
 * The core's shapes must stay assignable to the app contract (main/shared/api.ts) in both directions:
 * `npm run typecheck` fails here when one side changes without the other. (model/ itself may not
 * import main/, so the check lives in cli/.)
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const checks: [
  Same<TrainingEvent, Api.TrainingEvent>,
  Same<TrainingOptions, Api.TrainingOptions>,
  Same<ScaleName, Api.ScaleName>,
] = [true, true, true];

test('defaultTrainingOptions() is a valid api.ts TrainingOptions with every field', () => {
  const d: Api.TrainingOptions = defaultTrainingOptions();
  const keys: (keyof Api.TrainingOptions)[] = [
    'name',
    'epochs',
    'maxSeconds',
    'hiddenSize',
    'numLayers',
    'embeddingDim',
    'dropout',
    'seqLen',
    'batchSize',
    'learningRate',
    'transpose',
    'grid',
  ];
  for (const k of keys) assert.notEqual(d[k], undefined, k);
  assert.deepEqual(checks, [true, true, true]);
});
