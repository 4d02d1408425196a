import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { findWasmDir, initBackend, resetBackendChoice, defaultLoaders, type BackendLoaders } from './backend';

const missingNode: BackendLoaders = {
  tensorflow: async () => {
    throw new Error("Cannot find module '@tensorflow/tfjs-node'");
  },
  wasm: defaultLoaders.wasm,
};

test('falls back from tfjs-node to wasm, logs the choice once, and is idempotent', async () => {
  resetBackendChoice();
  const logs: string[] = [];
  const name = await initBackend(undefined, { onLog: (m) => logs.push(m) }, missingNode);
  assert.equal(name, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  assert.equal(logs.length, 1);
  assert.match(logs[0]!, /tfjs backend: wasm \(tensorflow unavailable: Cannot find module/);
  assert.equal(
    await initBackend('cpu', { onLog: (m) => logs.push(m) }),
    'wasm',
    'second call keeps the first choice',
  );
  assert.equal(logs.length, 1);
  assert.equal(tf.sum(tf.tensor1d([1, 2, 3])).dataSync()[0], 6);
});

test('falls back to cpu when wasm cannot start', async () => {
  resetBackendChoice();
  const logs: string[] = [];
  const loaders: BackendLoaders = {
    ...missingNode,
    wasm: async () => {
      throw new Error('the tfjs-backend-wasm .wasm files were not found');
    },
  };
  assert.equal(await initBackend(undefined, { onLog: (m) => logs.push(m) }, loaders), 'cpu');
  assert.equal(tf.getBackend(), 'cpu');
  assert.match(logs[0]!, /wasm unavailable: the tfjs-backend-wasm \.wasm files were not found/);
});

test('can be forced by argument or OSTINATO_BACKEND; unknown names are rejected', async () => {
  resetBackendChoice();
  assert.equal(await initBackend('cpu', {}, missingNode), 'cpu');
  resetBackendChoice();
  process.env.OSTINATO_BACKEND = 'wasm';
  try {
    assert.equal(await initBackend(undefined, {}, missingNode), 'wasm');
    resetBackendChoice();
    process.env.OSTINATO_BACKEND = 'gpu';
    await assert.rejects(initBackend(undefined, {}, missingNode), /Unknown backend "gpu"/);
  } finally {
    delete process.env.OSTINATO_BACKEND;
    resetBackendChoice();
  }
});

test('finds the .wasm files in node_modules', () => {
  const dir = findWasmDir();
  assert.ok(dir && dir.endsWith('dist'), String(dir));
  assert.equal(findWasmDir('/nonexistent/dir'), dir, 'a wrong explicit folder falls through to node_modules');
});
