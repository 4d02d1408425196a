/**
 * The training worker (a worker_threads Worker started by main/services/training.ts). It reads the
 * corpus files the host selected, with their tracks and pedal setting, quantized on the model's grid
 * (the core's loadPiecesFromPaths), and runs the core's trainModel, passing every progress event to
 * the host. A {type: 'cancel'} message aborts the run through an AbortSignal (the core stops between
 * batches; the last epoch's checkpoint stays).
 * Nothing here touches Electron; the same code runs in dev (under tsx) and in the packaged app.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FromWorker, ToWorker, TrainingJob } from '../services/training.js';
import { loadPiecesFromPaths, trainModel } from '../../model/index.js';

const port = parentPort;
if (!port) throw new Error('training-worker must run in a worker thread');
const job = workerData as TrainingJob;
const controller = new AbortController();
const post = (msg: FromWorker) => port.postMessage(msg);

port.on('message', (msg: ToWorker) => {
  if (msg?.type === 'cancel') controller.abort();
});

async function main(): Promise<void> {
  const loaded = await loadPiecesFromPaths(job.corpus, { grid: job.grid, signal: controller.signal });
  const { pieces } = loaded;
  const skipped = loaded.skipped.map((s) => `${s.file}: ${s.reason}`);
  for (const s of skipped) post({ type: 'log', message: `skipped ${s}` });
  if (controller.signal.aborted) {
    post({ type: 'event', event: { type: 'done', modelId: job.modelId, reason: 'cancelled' } });
    return;
  }
  if (pieces.length < 2) {
    const why = skipped.length ? ` (${skipped.slice(0, 3).join('; ')})` : '';
    throw new Error(
      `Training needs at least 2 usable pieces (one is held out for validation); the corpus has ${pieces.length}${why}`,
    );
  }
  const { resumeModelId: _resume, ...options } = job.options;
  await trainModel({
    pieces,
    outDir: job.modelDir,
    options: { ...options, grid: job.grid },
    signal: controller.signal,
    resume: job.resume,
    modelId: job.modelId,
    onEvent: (event) => post({ type: 'event', event }),
  });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    // trainModel has already reported its own errors as an 'error' event; this covers the rest.
    post({
      type: 'event',
      event: { type: 'error', message: err instanceof Error ? err.message : String(err) },
    });
    process.exit(1);
  },
);
