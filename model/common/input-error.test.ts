/**
 * Across the core, bad input from the caller (a value, batch, config, request, file or folder) throws
 * InputError, or one of its subclasses (MidiImportError, ModelFormatError, TorchResultError); a fault
 * of the program itself (an object used after dispose, a broken invariant) throws a plain Error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from './options.js';
import { normalizeSeed } from './rng.js';
import { MidiImportError } from '../midi/errors.js';
import { parseMidi } from '../midi/parse.js';
import { ModelFormatError } from '../checkpoint/format.js';
import { loadModel } from '../checkpoint/load.js';
import { TorchResultError } from '../interop/torch-result.js';
import { decodeNpy } from '../interop/npy.js';
import { Vocabulary } from '../encoding/vocabulary.js';
import { validateConfig, checkWeights, weightSpecs } from '../lstm/weights.js';
import { createLstmTrainer, validateBatch } from '../lstm/trainer.js';
import { createMixtureStepper } from '../lstm/mixture-stepper.js';
import { splitByPiece } from '../train/dataset.js';
import { validateGenerateRequest } from '../generate/generate.js';
import type { LstmConfig, TokenBatch } from '../lstm/types.js';

const config: LstmConfig = { vocabSize: 6, embeddingDim: 4, hiddenSize: 8, numLayers: 1, dropout: 0 };

function batch(inputs: number[], targets: number[]): TokenBatch {
  return {
    inputs: Int32Array.from(inputs),
    targets: Int32Array.from(targets),
    batch: 1,
    seqLen: inputs.length,
  };
}

/** Asserts that `fn` throws (or rejects with) an InputError whose message matches `message`. */
async function refusesInput(what: string, fn: () => unknown, message: RegExp): Promise<unknown> {
  let thrown: unknown;
  try {
    await fn();
  } catch (err) {
    thrown = err;
  }
  assert.ok(thrown !== undefined, `${what}: nothing was thrown`);
  assert.ok(thrown instanceof InputError, `${what}: expected an InputError, got ${String(thrown)}`);
  assert.match(thrown.message, message, what);
  return thrown;
}

test('the error classes for bad files are InputErrors and keep their names', () => {
  const midi = new MidiImportError('a.mid', 'is not a MIDI file');
  const format = new ModelFormatError('corrupt', 'model.json is damaged');
  const torch = new TorchResultError('result.json: bad');
  for (const [e, name] of [
    [midi, 'MidiImportError'],
    [format, 'ModelFormatError'],
    [torch, 'TorchResultError'],
  ] as const) {
    assert.ok(e instanceof InputError && e instanceof Error, name);
    assert.equal(e.name, name);
    assert.ok(String(e).startsWith(`${name}: `), String(e));
  }
  assert.equal(midi.message, 'a.mid: is not a MIDI file');
  assert.equal(format.code, 'corrupt');
  const cause = new Error('inner');
  assert.equal(new MidiImportError('b.mid', 'x', { cause }).cause, cause);
});

test('bad input across the core throws InputError', async () => {
  const corrupt = await refusesInput(
    'corrupt MIDI',
    () => parseMidi(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), 'broken.mid'),
    /broken\.mid/,
  );
  assert.ok(corrupt instanceof MidiImportError);

  await refusesInput('LSTM config', () => validateConfig({ ...config, numLayers: 4 }), /numLayers/);
  await refusesInput(
    'trainer config',
    () => createLstmTrainer({ ...config, hiddenSize: 0 }, { clipNorm: 5, seed: 1 }),
    /hiddenSize/,
  );
  await refusesInput(
    'trainer options',
    () => createLstmTrainer(config, { clipNorm: -1, seed: 1 }),
    /clipNorm/,
  );
  await refusesInput(
    'batch token id',
    () => validateBatch(config, batch([0, 1, 9], [1, 2, 3])),
    /input id 9/,
  );
  await refusesInput(
    'batch shape',
    () => validateBatch(config, { ...batch([0, 1], [1, 2]), seqLen: 3 }),
    /batch\*seqLen/,
  );

  const weights = weightSpecs(config).map((s) => ({
    name: s.name,
    shape: [...s.shape],
    data: new Float32Array(s.shape.reduce((a, d) => a * d, 1)),
  }));
  weights[0] = { ...weights[0], shape: [1, 1], data: new Float32Array(1) };
  await refusesInput('weights of the wrong shape', () => checkWeights(config, weights), /has shape \[1,1\]/);

  await refusesInput('mixture of nothing', () => createMixtureStepper([]), /at least one member/);
  await refusesInput('vocabulary', () => Vocabulary.fromJSON(['x']), /invalid vocabulary/);
  await refusesInput('npy bytes', () => decodeNpy(new Uint8Array(16), 'x.npy'), /not a \.npy file/);
  await refusesInput('seed', () => normalizeSeed(NaN), /seed/);
  await refusesInput('corpus too small', () => splitByPiece(1, 0.1, 1), /at least 2 usable pieces/);
  await refusesInput(
    'generate option out of range',
    () => validateGenerateRequest({ bars: 0, temperature: 1, topK: 0, topP: 1, seed: 1 }),
    /bars/,
  );

  const dir = await mkdtemp(join(tmpdir(), 'ostinato-input-error-'));
  try {
    await writeFile(join(dir, 'notes.txt'), 'not a model');
    const noModel = await refusesInput('folder without model.json', () => loadModel(dir), /model/);
    assert.ok(noModel instanceof ModelFormatError);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an internal fault (a trainer used after dispose) is a plain Error, not an InputError', async () => {
  const trainer = await createLstmTrainer(config, { clipNorm: 5, seed: 1 });
  await trainer.dispose();
  await assert.rejects(
    () => trainer.trainBatch(batch([0, 1, 2], [1, 2, 3]), 0.01),
    (err: unknown) => {
      assert.ok(err instanceof Error);
      assert.ok(!(err instanceof InputError), `expected a plain Error, got ${String(err)}`);
      assert.match(err.message, /used after dispose/);
      return true;
    },
  );
});
