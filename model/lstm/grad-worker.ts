/**
 * Worker-thread side of data-parallel training (parallel.ts): holds its own tfjs instance, receives
 * the current weights and a slice of the batch, returns that slice's loss gradients.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from '../core/backend';
import { computeSliceGradients, type SliceJob, type SliceResult, type WorkerInit } from './slice';
import { weightSpecs } from './weights';

const init = workerData as WorkerInit;
const port = parentPort!;

async function main(): Promise<void> {
  const backend = await initBackend(init.backend as BackendName);
  port.postMessage({ type: 'ready', backend });
  port.on('message', (job: SliceJob) => {
    try {
      const specs = weightSpecs(init.config);
      const params = new Map(specs.map((s, k) => [s.name, tf.tensor(job.weights[k]!, s.shape)]));
      const result: SliceResult = computeSliceGradients(init.config, params, job);
      for (const t of params.values()) t.dispose();
      port.postMessage(
        { type: 'result', result },
        result.grads.map((g) => g.buffer as ArrayBuffer),
      );
    } catch (err) {
      port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  });
}

main().catch((err) =>
  port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
);
