/**
 * The generation worker (a worker_threads Worker owned by main/services/generation.ts): loads models
 * with the core's loadModel (kept while their model.json is unchanged) and runs generatePieces, so
 * that sampling hundreds of tokens never blocks the host's main thread. One request at a time, in
 * the order received.
 */
import { parentPort } from 'node:worker_threads';
import { generatePieces, initBackend, loadModel, type LoadedModel } from '../../model/index.js';
import type { GenerationReply, GenerationRequest } from '../services/generation.js';

const port = parentPort;
if (!port) throw new Error('generation-worker must run in a worker thread');

const cache = new Map<string, { stamp: string; model: LoadedModel }>();

async function handle(msg: GenerationRequest): Promise<GenerationReply> {
  try {
    // The stepper runs its matrix products through tfjs (wasm) once a backend is up: 4-8x faster.
    await initBackend();
    let hit = cache.get(msg.dir);
    if (!hit || hit.stamp !== msg.stamp) {
      hit = { stamp: msg.stamp, model: await loadModel(msg.dir) };
      cache.set(msg.dir, hit);
    }
    return { id: msg.id, pieces: generatePieces(hit.model, msg.request) };
  } catch (err) {
    return { id: msg.id, error: err instanceof Error ? err.message : String(err) };
  }
}

let queue: Promise<void> = Promise.resolve();
port.on('message', (msg: GenerationRequest) => {
  queue = queue.then(async () => port.postMessage(await handle(msg)));
});
