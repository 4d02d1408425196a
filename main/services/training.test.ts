import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainingEvent, TrainingOptions } from '../shared/api.js';
import { OstinatoHost } from './host.js';
import { TrainingService } from './training.js';
import { nottingham, tempDir } from './host.fixture.js';

const small: TrainingOptions = {
  name: 'Tiny',
  epochs: 2,
  maxSeconds: 0,
  hiddenSize: 16,
  numLayers: 1,
  embeddingDim: 8,
  dropout: 0,
  seqLen: 16,
  batchSize: 8,
  learningRate: 0.01,
  transpose: 0,
  grid: '16th',
};

function collect(host: OstinatoHost) {
  const events: TrainingEvent[] = [];
  let resolveEnd!: (e: TrainingEvent) => void;
  const end = new Promise<TrainingEvent>((r) => (resolveEnd = r));
  host.onTraining((e) => {
    events.push(e);
    if (e.type === 'done' || e.type === 'error') resolveEnd(e);
  });
  return { events, end };
}

async function hostWithCorpus(t: Parameters<typeof tempDir>[0], files: string[]) {
  const host = await OstinatoHost.create({
    userDataDir: tempDir(t),
    bundledModelDir: null,
    host: 'browser',
    version: 'test',
  });
  t.after(() => host.dispose());
  const res = await host.corpusImport(files.map(nottingham));
  assert.equal(res.imported.length, files.length);
  return host;
}

test('training in a worker: progress events arrive, the main thread stays responsive, a checkpoint is saved', async (t) => {
  const host = await hostWithCorpus(t, ['ashover1.mid', 'ashover2.mid', 'ashover3.mid']);
  const { events, end } = collect(host);
  const { modelId } = await host.trainStart(small);
  assert.match(modelId, /^m-[0-9a-f]{16}$/);
  await assert.rejects(host.trainStart(small), /already running/);
  await assert.rejects(host.modelDelete(modelId), /There is no model|being trained/);
  // The main thread keeps answering while the worker trains.
  let ticks = 0;
  const timer = setInterval(() => ticks++, 20);
  const last = await end;
  clearInterval(timer);
  assert.deepEqual(
    last,
    { type: 'done', modelId, reason: 'completed' },
    JSON.stringify(events.filter((e) => e.type === 'error')),
  );
  assert.ok(ticks > 5, `the main thread ran ${ticks} timer ticks during training`);
  const started = events.find((e) => e.type === 'started');
  assert.ok(started && started.type === 'started' && started.totalEpochs === 2 && started.parameters > 0);
  assert.ok(events.some((e) => e.type === 'batch'));
  const epochs = events.filter((e) => e.type === 'epoch');
  assert.equal(epochs.length, 2);
  assert.ok(epochs.every((e) => e.type === 'epoch' && e.checkpointSaved && Number.isFinite(e.valLoss)));
  const info = (await host.modelsList()).find((m) => m.id === modelId);
  assert.ok(info, 'the trained model is in the library');
  assert.equal(info.epochs, 2);
  assert.equal(info.name, 'Tiny');
  assert.equal((await host.info()).backend, (started as { backend: string }).backend);
  assert.equal((await host.trainDefaults()).hiddenSize, 16, 'the last options become the next defaults');
  await host.training.whenIdle();
});

test('cancel stops the training; an early cancel leaves no half-made model behind', async (t) => {
  const host = await hostWithCorpus(t, ['ashover1.mid', 'ashover2.mid']);
  const { end } = collect(host);
  const { modelId } = await host.trainStart({ ...small, epochs: 1000 });
  await host.trainCancel();
  assert.deepEqual(await end, { type: 'done', modelId, reason: 'cancelled' });
  await host.training.whenIdle();
  assert.ok(!existsSync(join(host.models.dir, modelId)), 'no empty model folder left');
  await host.trainCancel(); // nothing running: a no-op
});

test('cancel after the first epoch keeps its checkpoint', async (t) => {
  const host = await hostWithCorpus(t, ['ashover1.mid', 'ashover2.mid']);
  let epochSeen!: () => void;
  const firstEpoch = new Promise<void>((r) => (epochSeen = r));
  host.onTraining((e) => e.type === 'epoch' && epochSeen());
  const { end } = collect(host);
  const { modelId } = await host.trainStart({ ...small, epochs: 1000 });
  await firstEpoch;
  await host.trainCancel();
  assert.deepEqual(await end, { type: 'done', modelId, reason: 'cancelled' });
  await host.training.whenIdle();
  const info = (await host.modelsList()).find((m) => m.id === modelId);
  assert.ok(info && info.epochs >= 1);
});

test('training errors and worker crashes become one clear error event', async (t) => {
  const host = await hostWithCorpus(t, ['ashover1.mid']);
  const { end } = collect(host);
  await host.trainStart(small);
  const e = await end;
  assert.equal(e.type, 'error');
  assert.match((e as { message: string }).message, /at least 2 usable pieces/);
  await host.training.whenIdle();

  const dir = tempDir(t);
  const crash = join(dir, 'crash.cjs');
  writeFileSync(crash, "setTimeout(() => { throw new Error('boom in the worker'); }, 10);");
  const exit = join(dir, 'exit.cjs');
  writeFileSync(exit, 'setTimeout(() => process.exit(3), 10);');
  const hang = join(dir, 'hang.cjs');
  writeFileSync(
    hang,
    "require('node:worker_threads').parentPort.on('message', () => {}); setInterval(() => {}, 1000);",
  );
  const job = {
    modelId: 'm-x',
    modelDir: join(dir, 'm-x'),
    resume: false,
    grid: '16th' as const,
    options: small,
    corpus: [],
  };
  for (const [entry, expected] of [
    [crash, { type: 'error', message: 'The training stopped unexpectedly: boom in the worker' }],
    [exit, { type: 'error', message: 'The training worker stopped unexpectedly (exit code 3)' }],
  ] as const) {
    const got: TrainingEvent[] = [];
    const svc = new TrainingService({ emit: (ev) => got.push(ev), worker: { entry } });
    svc.start(job);
    await svc.whenIdle();
    assert.deepEqual(got, [expected]);
    assert.equal(svc.isRunning(), false);
  }
  // A worker that ignores cancel is terminated after the grace period.
  const got: TrainingEvent[] = [];
  const svc = new TrainingService({
    emit: (ev) => got.push(ev),
    worker: { entry: hang, cancelGraceMs: 200 },
  });
  svc.start(job);
  await svc.cancel();
  await svc.whenIdle();
  assert.deepEqual(got, [{ type: 'done', modelId: 'm-x', reason: 'cancelled' }]);
  assert.deepEqual(readdirSync(dir).sort(), ['crash.cjs', 'exit.cjs', 'hang.cjs']);
});

test('resume: a model continues training in its own folder; the bundled model and unknown ids are refused', async (t) => {
  const host = await hostWithCorpus(t, ['ashover1.mid', 'ashover2.mid']);
  const first = collect(host);
  const { modelId } = await host.trainStart({ ...small, epochs: 1 });
  assert.equal((await first.end).type, 'done');
  await host.training.whenIdle();
  const second = collect(host);
  const resumed = await host.trainStart({ ...small, epochs: 2, resumeModelId: modelId });
  assert.equal(resumed.modelId, modelId);
  assert.deepEqual(await second.end, { type: 'done', modelId, reason: 'completed' });
  await host.training.whenIdle();
  const epochs = second.events.filter((e) => e.type === 'epoch');
  assert.deepEqual(
    epochs.map((e) => (e as { epoch: number }).epoch),
    [2],
    'only the second epoch ran',
  );
  assert.equal((await host.models.get(modelId)).epochs, 2);
  await assert.rejects(
    host.trainStart({ ...small, resumeModelId: 'default' }),
    /bundled default model is read-only/,
  );
  await assert.rejects(
    host.trainStart({ ...small, resumeModelId: 'm-ffffffffffffffff' }),
    /There is no model with id/,
  );
});
