/**
 * Helper side of data-parallel training (parallel.ts), run as a worker thread or as a forked
 * process: holds its own tfjs instance, receives the current weights and a slice of the batch,
 * returns that slice's loss gradients.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from '../core/backend';
import { computeSliceGradients, type SliceJob, type SliceResult, type WorkerInit } from './slice';
import { weightSpecs } from './weights';
import { sharedAdamPart } from './adam';
import type { HelperUsage } from './parallel';

type Message = { type: 'init'; init: WorkerInit } | SliceJob;

/** The channel to the trainer: the worker port, or the IPC channel of a forked process. */
const channel = parentPort
  ? {
      send: (m: unknown, transfer?: ArrayBuffer[]) => parentPort!.postMessage(m, transfer),
      onMessage: (f: (m: Message) => void) => parentPort!.on('message', f),
    }
  : {
      send: (m: unknown) => process.send!(m),
      onMessage: (f: (m: Message) => void) => process.on('message', f as (m: unknown) => void),
    };

/** This process' CPU time and peak memory so far (a forked helper's are not the trainer's). */
function usage(): HelperUsage {
  const u = process.resourceUsage();
  return { cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, peakRssMB: u.maxRSS / 1024 };
}

function fail(err: unknown): void {
  channel.send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
}

async function start(init: WorkerInit): Promise<void> {
  const backend = await initBackend(init.backend as BackendName);
  const specs = weightSpecs(init.config);
  channel.send({ type: 'ready', backend });
  channel.onMessage((job) => {
    if ('type' in job) return;
    try {
      const params = new Map(specs.map((s, k) => [s.name, tf.tensor(job.weights[k]!, s.shape)]));
      const result: SliceResult = computeSliceGradients(init.config, params, job);
      for (const t of params.values()) t.dispose();
      if (job.adam) {
        if (!sharedAdamPart(job.adam, job.tail!.me, result.grads))
          throw new Error('the trainer did not share the Adam step in time');
        result.grads = []; // the step is taken: nothing to send
      }
      channel.send(
        { type: 'result', result, usage: parentPort ? undefined : usage() },
        result.grads.map((g) => g.buffer as ArrayBuffer),
      );
    } catch (err) {
      fail(err);
    }
  });
}

if (parentPort) {
  start(workerData as WorkerInit).catch(fail);
} else {
  process.once('disconnect', () => process.exit(0)); // the trainer is gone
  process.once('message', (m: Message) => {
    if ('type' in m && m.type === 'init') start(m.init).catch(fail);
    else fail(new Error('the first message must be init'));
  });
}
