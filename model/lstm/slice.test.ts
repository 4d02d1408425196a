import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../core/backend';
import { Rng } from '../common/rng.js';
import { sliceMasks, type SliceJob } from './slice';
import type { LstmConfig } from './types';

test('each slice draws its own dropout masks, bit for bit those of the whole batch drawn in order', async () => {
  await initBackend('cpu');
  const config: LstmConfig = { vocabSize: 5, embeddingDim: 3, hiddenSize: 6, numLayers: 2, dropout: 0.3 };
  const [B, T, H, p] = [9, 4, 6, 0.3];
  const state = Rng.forWeights(17).state;
  // The order the masks were always drawn in: per layer, batch-major [B, T, H], one draw each.
  const seq = Rng.fromState(state);
  const whole = [0, 1].map(() =>
    Float32Array.from({ length: B * T * H }, () => (seq.next() >= p ? 1 / (1 - p) : 0)),
  );
  for (const [rowStart, rows] of [
    [0, 5],
    [5, 4],
    [0, 9],
  ] as const) {
    const job = { rows, T, dropout: { state, p, batchRows: B, rowStart } } as SliceJob;
    const masks = sliceMasks(config, job).map((m) => m.dataSync());
    masks.forEach((m, l) => {
      for (let r = 0; r < rows; r++)
        for (let t = 0; t < T; t++)
          for (let j = 0; j < H; j++)
            assert.equal(
              m[(t * rows + r) * H + j],
              whole[l]![((rowStart + r) * T + t) * H + j],
              `layer ${l} row ${rowStart + r}`,
            );
    });
  }
  const zeros = whole.flatMap((m) => [...m]).filter((x) => x === 0).length;
  assert.ok(zeros > 0.15 * 2 * B * T * H && zeros < 0.45 * 2 * B * T * H, `${zeros} dropped`);
  assert.deepEqual(sliceMasks(config, { rows: 2, T } as SliceJob), [], 'no dropout: no masks');
});
