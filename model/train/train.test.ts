import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs, cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LstmConfig, LstmTrainer, NamedTensorData, TrainerOptions } from '../lstm/types.js';
import { initWeights } from '../lstm/weights.js';
import { loadModel } from '../checkpoint/load.js';
import { readBlob, readManifest } from '../checkpoint/store.js';
import { patternCorpus, patternPiece } from './train.fixture.js';
import { trainModel, type TrainingEvent } from './train.js';
import {
  TRAINING_OPTIONS,
  defaultTrainOptions,
  defaultTrainingOptions,
  validateTrainOptions,
} from '../common/training-options.js';
import { learningRateAt } from './schedule.js';

function tempDir(t: { after(fn: () => Promise<void>): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'ostinato-train-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

const tiny = {
  hiddenSize: 24,
  numLayers: 1,
  embeddingDim: 8,
  seqLen: 32,
  batchSize: 8,
  learningRate: 0.01,
  transpose: 2,
  dropout: 0,
};

test('defaults match the app contract and validate; bad options are named', () => {
  const d = defaultTrainingOptions();
  for (const k of Object.keys(TRAINING_OPTIONS)) assert.ok(k in d, k);
  validateTrainOptions(defaultTrainOptions());
  assert.throws(() => validateTrainOptions({ ...defaultTrainOptions(), hiddenSize: 0 }), /hiddenSize/);
  assert.throws(() => validateTrainOptions({ ...defaultTrainOptions(), learningRate: 0 }), /learningRate/);
  assert.throws(() => validateTrainOptions({ ...defaultTrainOptions(), grid: 'quarter' as never }), /grid/);
});

test('learning-rate schedule: warmup, cosine, floor', () => {
  const s = { learningRate: 1, minLearningRate: 0.1, warmupSteps: 10, totalSteps: 110 };
  assert.equal(learningRateAt(0, s), 0.1);
  assert.equal(learningRateAt(9, s), 1);
  assert.equal(learningRateAt(10, s), 1);
  assert.ok(Math.abs(learningRateAt(60, s) - 0.55) < 1e-12);
  assert.ok(Math.abs(learningRateAt(110, s) - 0.1) < 1e-12);
  assert.ok(Math.abs(learningRateAt(500, s) - 0.1) < 1e-12);
});

test('trains, reports events in order, saves a loadable checkpoint every epoch', async (t) => {
  const dir = join(tempDir(t), 'model');
  const events: TrainingEvent[] = [];
  const r = await trainModel({
    pieces: patternCorpus(10),
    outDir: dir,
    options: { ...tiny, epochs: 3 },
    onEvent: (e) => events.push(e),
  });
  assert.equal(r.reason, 'completed');
  assert.equal(r.epochs, 3);
  assert.equal(events[0].type, 'started');
  assert.deepEqual(events.at(-1), { type: 'done', modelId: 'model', reason: 'completed' });
  const epochs = events.filter((e) => e.type === 'epoch');
  assert.equal(epochs.length, 3);
  const batches = events.filter((e) => e.type === 'batch');
  assert.ok(batches.length >= 3);
  let last = 0;
  for (const b of batches) {
    assert.ok(b.progress >= last - 1e-9 && b.progress <= 1, `progress ${b.progress}`);
    assert.ok(Number.isFinite(b.loss) && b.tokensPerSecond > 0 && b.etaSeconds >= 0);
    last = b.progress;
  }
  assert.ok(Math.abs(last - 1) < 1e-9);
  const ep = epochs as Extract<TrainingEvent, { type: 'epoch' }>[];
  assert.ok(ep[2].valLoss < ep[0].valLoss, `val loss ${ep[0].valLoss} -> ${ep[2].valLoss}`);
  const m = await loadModel(dir);
  assert.equal(m.info.epochs, 3);
  assert.equal(m.manifest.history.length, 3);
  assert.equal(m.info.bestValLoss, Math.min(...ep.map((e) => e.valLoss)));
  assert.equal(m.manifest.corpus.valPieces, 1);
  assert.equal(m.manifest.state.stopReason, 'completed');
  assert.ok(m.manifest.baselines);
  // the bigram baseline's validation loss is recorded beside the model's, in the same units
  const bigram = m.manifest.corpus.bigramValLoss!;
  assert.ok(bigram > 0 && bigram < 10, `bigram val loss ${bigram}`);
  assert.equal(m.info.bigramValLoss, bigram);
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.endsWith('.tmp')),
    [],
  );
  await assert.rejects(
    trainModel({ pieces: patternCorpus(10), outDir: dir, options: tiny }),
    /already holds a model/,
  );
});

test('cancel keeps the last completed epoch; resume continues exactly like an uninterrupted run', async (t) => {
  const root = tempDir(t);
  const opts = { ...tiny, epochs: 4 };
  const straight = await trainModel({ pieces: patternCorpus(8), outDir: join(root, 'a'), options: opts });
  assert.equal(straight.epochs, 4);

  const ac = new AbortController();
  let seenEpoch2Batch = false;
  const cut = await trainModel({
    pieces: patternCorpus(8),
    outDir: join(root, 'b'),
    options: opts,
    signal: ac.signal,
    onEvent: (e) => {
      if (e.type === 'batch' && e.epoch === 3 && !seenEpoch2Batch) {
        seenEpoch2Batch = true;
        ac.abort();
      }
    },
  });
  assert.equal(cut.reason, 'cancelled');
  const mid = await readManifest(join(root, 'b'));
  assert.equal(mid.state.epoch, 2);
  await loadModel(join(root, 'b'));

  const events: TrainingEvent[] = [];
  const resumed = await trainModel({
    pieces: patternCorpus(8),
    outDir: join(root, 'b'),
    resume: true,
    onEvent: (e) => events.push(e),
  });
  assert.equal(resumed.reason, 'completed');
  assert.equal(resumed.epochs, 4);
  assert.deepEqual(
    events.filter((e) => e.type === 'epoch').map((e) => (e as { epoch: number }).epoch),
    [3, 4],
  );
  const a = await readManifest(join(root, 'a'));
  const b = await readManifest(join(root, 'b'));
  assert.equal(b.state.step, a.state.step);
  assert.equal(b.history.length, 4);
  // Same shuffles, same optimizer state, same schedule: the same numbers.
  for (let i = 0; i < 4; i++)
    assert.ok(Math.abs(a.history[i].valLoss - b.history[i].valLoss) < 1e-5, `epoch ${i + 1}`);
  const wa = await readBlob(join(root, 'a'), a.resume!.weights);
  const wb = await readBlob(join(root, 'b'), b.resume!.weights);
  let maxDiff = 0;
  wa.forEach((w, i) => w.data.forEach((x, j) => (maxDiff = Math.max(maxDiff, Math.abs(x - wb[i].data[j])))));
  assert.ok(maxDiff < 1e-4, `max weight difference ${maxDiff}`);
  // Resuming a finished run does nothing; asking for more epochs continues.
  const again = await trainModel({ pieces: patternCorpus(8), outDir: join(root, 'b'), resume: true });
  assert.equal(again.epochs, 4);
  const more = await trainModel({
    pieces: patternCorpus(8),
    outDir: join(root, 'b'),
    resume: true,
    options: { epochs: 5 },
  });
  assert.equal(more.epochs, 5);
});

test('time limit cuts the epoch short and saves it', async (t) => {
  const dir = join(tempDir(t), 'm');
  // A clock that advances 50 ms per reading: the limit falls inside the first epoch, whatever the machine.
  let now = 0;
  const r = await trainModel({
    pieces: patternCorpus(40),
    outDir: dir,
    options: { ...tiny, batchSize: 1, epochs: 500, maxSeconds: 1 },
    clock: () => (now += 50),
  });
  assert.equal(r.reason, 'time-limit');
  const m = await readManifest(dir);
  assert.equal(m.state.stopReason, 'time-limit');
  assert.equal(m.history.length, 1);
  assert.equal(m.history[0].partial, true);
});

/** A stand-in trainer that returns scripted validation losses (for early stopping and divergence). */
function scriptedTrainer(valLosses: number[], trainLoss = 1) {
  let epochEvals = 0;
  let evalsThisEpoch = 0;
  return async (config: LstmConfig, _o: TrainerOptions): Promise<LstmTrainer> => {
    let weights: NamedTensorData[] = initWeights(config, 1);
    return {
      config,
      backend: 'cpu',
      async trainBatch(b) {
        if (evalsThisEpoch > 0) {
          epochEvals++;
          evalsThisEpoch = 0;
        }
        let n = 0;
        for (const x of b.targets) if (x >= 0) n++;
        return { loss: trainLoss, accuracy: 0.5, tokens: n };
      },
      async evaluateBatch(b) {
        evalsThisEpoch++;
        let n = 0;
        for (const x of b.targets) if (x >= 0) n++;
        return { nllSum: valLosses[Math.min(epochEvals, valLosses.length - 1)] * n, correct: 0, count: n };
      },
      async getWeights() {
        return weights;
      },
      async setWeights(w) {
        weights = w;
      },
      async getOptimizerState() {
        return [{ name: 'm', shape: [1], data: Float32Array.of(epochEvals) }];
      },
      async setOptimizerState() {},
      async dispose() {},
    };
  };
}

test('early stopping after `patience` epochs without improvement; best epoch kept', async (t) => {
  const dir = join(tempDir(t), 'm');
  const factory = scriptedTrainer([3, 2, 2.5, 2.4, 1]);
  const r = await trainModel({
    pieces: patternCorpus(6),
    outDir: dir,
    options: { ...tiny, epochs: 20, patience: 2 },
    createTrainer: factory,
  });
  assert.equal(r.reason, 'early-stopped');
  assert.equal(r.epochs, 4);
  const m = await readManifest(dir);
  assert.equal(m.state.bestEpoch, 2);
  assert.equal(m.state.bestValLoss, 2);
  // Resuming an early-stopped run gives it `patience` more epochs (here: one better epoch, then two worse).
  const again = await trainModel({
    pieces: patternCorpus(6),
    outDir: dir,
    resume: true,
    createTrainer: factory,
  });
  assert.equal(again.reason, 'early-stopped');
  assert.equal(again.epochs, 7);
  assert.equal((await readManifest(dir)).state.bestEpoch, 5);
});

test('bad input: divergence, too few pieces, wrong grid, nothing to resume', async (t) => {
  const root = tempDir(t);
  const events: TrainingEvent[] = [];
  await assert.rejects(
    trainModel({
      pieces: patternCorpus(6),
      outDir: join(root, 'nan'),
      options: tiny,
      createTrainer: scriptedTrainer([1], NaN),
      onEvent: (e) => events.push(e),
    }),
    /diverged/,
  );
  assert.equal(events.at(-1)!.type, 'error');
  await assert.rejects(
    trainModel({ pieces: patternCorpus(1), outDir: join(root, 'one'), options: tiny }),
    /at least 2 pieces/,
  );
  await assert.rejects(
    trainModel({ pieces: patternCorpus(4), outDir: join(root, 'grid'), options: { ...tiny, grid: '8th' } }),
    /quantized to 4 steps/,
  );
  await assert.rejects(
    trainModel({ pieces: patternCorpus(4), outDir: join(root, 'none'), resume: true }),
    /Nothing to resume/,
  );
});

test('repeatBars: new models get REPEAT tokens for repeated bars; 0 turns them off; bad values are named', async (t) => {
  const root = tempDir(t);
  // 12 bars of a pattern that comes back after 8: bars 8-11 repeat bars 0-3.
  const pieces = Array.from({ length: 6 }, (_, i) => patternPiece(`p${i}`, 60 + i, 12));
  const withRepeats = await trainModel({
    pieces,
    outDir: join(root, 'a'),
    options: { ...tiny, epochs: 1 },
  });
  const a = await loadModel(join(root, 'a'));
  assert.equal(withRepeats.reason, 'completed');
  assert.equal(a.encoding.repeatBars, defaultTrainOptions().repeatBars);
  assert.ok(
    a.vocab.toJSON().some((tok) => tok.startsWith('REPEAT_')),
    a.vocab.toJSON().join(' '),
  );
  await trainModel({ pieces, outDir: join(root, 'b'), options: { ...tiny, epochs: 1, repeatBars: 0 } });
  const b = await loadModel(join(root, 'b'));
  assert.equal(b.encoding.repeatBars, 0);
  assert.ok(!b.vocab.toJSON().some((tok) => tok.startsWith('REPEAT_')));
  assert.throws(() => validateTrainOptions({ ...defaultTrainOptions(), repeatBars: -1 }), /repeatBars/);
});

test('a v1 model resumes with its stored options and continues as the v1 version did; the new checkpoint is v2', async (t) => {
  const fixture = join(__dirname, '../checkpoint/fixtures/v1-tiny');
  const dir = join(tempDir(t), 'v1');
  cpSync(fixture, dir, { recursive: true });
  const r = await trainModel({
    pieces: patternCorpus(6),
    outDir: dir,
    resume: true,
    options: { epochs: 2, backend: 'cpu', threads: 1 },
  });
  assert.equal(r.reason, 'completed');
  const m = await readManifest(dir);
  assert.equal(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).version, 2);
  // The numbers the v1 version gave for this resume (fixtures/v1-tiny/README.md), to float32
  // rounding (the Adam step now computes in double precision: adam.ts).
  assert.equal(m.state.step, 32);
  assert.equal(m.state.rngState, 552741880);
  assert.ok(Math.abs(m.history[1].trainLoss - 3.162425726586646) < 1e-6, `${m.history[1].trainLoss}`);
  assert.ok(Math.abs(m.history[1].valLoss - 2.9751296829391314) < 1e-6, `${m.history[1].valLoss}`);
  assert.ok(Math.abs(m.history[1].learningRate - 0.0025) < 1e-12);
  // The options as the v1 model stored them (upgraded: the floor as a factor), only `epochs` changed.
  const before = await readManifest(fixture);
  assert.equal(before.hyperparameters.minLearningRateFactor, 0.25);
  assert.deepEqual(m.hyperparameters, { ...before.hyperparameters, epochs: 2 });
  assert.deepEqual(m.encoding, before.encoding);
  assert.deepEqual(m.lstm, before.lstm);
});
