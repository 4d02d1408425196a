import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, promises as fs, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { patternCorpus } from '../train/train.fixture.js';
import { loadModel } from '../checkpoint/load.js';
import { createLstmStepper } from '../lstm/stepper.js';
import { scoreWithModel } from '../eval/evaluate.js';
import { decodeInt32Npy } from './npy.js';
import { exportDataset } from './dataset-export.js';
import { importTorchResult, readTorchResultFolder } from './import-torch.js';
import { torchToOstinatoWeights } from './torch-result.js';
import { findTorchPython } from './torch-python.fixture.js';
import { runScaleScript } from './interop.fixture.js';

const noTorch = !findTorchPython() && 'no python3 with torch (python3-torch)';

test('the conversion transposes the kernels and adds both PyTorch biases, gate blocks in place', () => {
  const config = { vocabSize: 3, embeddingDim: 2, hiddenSize: 1, numLayers: 1, dropout: 0 };
  const seq = (n: number, from: number) => Float32Array.from({ length: n }, (_, i) => from + i);
  const torch = new Map([
    ['embedding.weight', seq(6, 0)],
    ['lstm.weight_ih_l0', seq(8, 10)], // [4H=4, E=2]: rows i, f, g, o
    ['lstm.weight_hh_l0', seq(4, 20)], // [4, 1]
    ['lstm.bias_ih_l0', Float32Array.from([1, 2, 3, 4])],
    ['lstm.bias_hh_l0', Float32Array.from([0.5, 0.25, -3, 8])],
    ['output.weight', seq(3, 30)], // [V=3, H=1]
    ['output.bias', seq(3, 40)],
  ]);
  const w = new Map(torchToOstinatoWeights(config, torch).map((t) => [t.name, t]));
  assert.deepEqual([...w.get('embedding')!.data], [0, 1, 2, 3, 4, 5]);
  // ours [E=2, 4H]: row e holds gate g's weight for input e at column g.
  assert.deepEqual([...w.get('lstm_0/kernel')!.data], [10, 12, 14, 16, 11, 13, 15, 17]);
  assert.deepEqual(w.get('lstm_0/kernel')!.shape, [2, 4]);
  assert.deepEqual([...w.get('lstm_0/recurrent_kernel')!.data], [20, 21, 22, 23]);
  assert.deepEqual([...w.get('lstm_0/bias')!.data], [1.5, 2.25, 0, 12]);
  assert.deepEqual([...w.get('output/kernel')!.data], [30, 31, 32]);
  assert.deepEqual(w.get('output/kernel')!.shape, [1, 3]);
  torch.delete('lstm.bias_hh_l0');
  assert.throws(() => torchToOstinatoWeights(config, torch), /lack lstm\.bias_hh_l0/);
});

async function reference(t: { after: (fn: () => unknown) => void }) {
  const root = mkdtempSync(join(tmpdir(), 'ostinato-torch-'));
  t.after(() => fs.rm(root, { recursive: true, force: true }));
  const data = join(root, 'data');
  await exportDataset({ pieces: patternCorpus(8), outDir: data, options: { seqLen: 16, valFraction: 0.25 } });
  const tokens = [0, 5, 7, 3, 9, 12, 4, 4, 1, 8, 2, 6];
  const result = join(root, 'result');
  runScaleScript('reference_logits.py', [
    '--data',
    data,
    '--out',
    result,
    '--tokens',
    tokens.join(','),
    '--hidden',
    '9',
    '--layers',
    '2',
    '--embedding',
    '5',
  ]);
  return { root, data, result, tokens };
}

test(
  'a PyTorch network imported into our stepper gives the same log-probabilities (1e-4) and held-out NLL (1e-4)',
  { skip: noTorch },
  async (t) => {
    const { root, data, result, tokens } = await reference(t);
    const dest = join(root, 'model');
    const { result: r } = await importTorchResult(await readTorchResultFolder(result), dest);
    const model = await loadModel(dest); // the checks every model folder gets
    assert.equal(model.config.numLayers, 2);
    assert.equal(model.info.canResume, false);
    const expected = (
      JSON.parse(readFileSync(join(result, 'logits.json'), 'utf8')) as { logProbs: number[][] }
    ).logProbs;
    const stepper = createLstmStepper(model.config, model.weights);
    let worst = 0;
    tokens.forEach((tok, i) => {
      const p = stepper.step(Int32Array.of(tok));
      for (let v = 0; v < model.config.vocabSize; v++)
        worst = Math.max(worst, Math.abs(Math.log(p[v]) - expected[i][v]));
    });
    stepper.dispose();
    t.diagnostic(`largest |ln p ours - ln p torch| = ${worst.toExponential(2)}`);
    assert.ok(worst < 1e-4, `largest |ln p ours - ln p torch| = ${worst}`);
    // Our evaluator on the exported valid split against PyTorch's float64 score of the same pieces.
    const m = JSON.parse(readFileSync(join(data, 'dataset.json'), 'utf8'));
    const tokensV = decodeInt32Npy(
      new Uint8Array(readFileSync(join(data, m.splits.valid.files.tokens))),
    ).data;
    const offsets = decodeInt32Npy(
      new Uint8Array(readFileSync(join(data, m.splits.valid.files.offsets))),
    ).data;
    const seqs = Array.from({ length: offsets.length - 1 }, (_, i) =>
      tokensV.slice(offsets[i], offsets[i + 1]),
    );
    const s = await scoreWithModel(model, seqs);
    assert.equal(s.count, r.heldOutNll.tokens);
    t.diagnostic(`held-out NLL ours ${s.nllSum / s.count}, PyTorch ${r.heldOutNll.nll}`);
    assert.ok(
      Math.abs(s.nllSum / s.count - r.heldOutNll.nll) < 1e-4,
      `${s.nllSum / s.count} vs ${r.heldOutNll.nll}`,
    );
  },
);

test(
  'import-model refuses a damaged or mismatched result with a clear message and leaves nothing behind',
  { skip: noTorch },
  async (t) => {
    const { root, result } = await reference(t);
    const files = await readTorchResultFolder(result);
    const json = JSON.parse(files.resultJson);
    const attempt = (resultJson: string, weights = files.weights) =>
      importTorchResult({ resultJson, weights }, join(root, 'bad'));
    const flipped = Uint8Array.from(files.weights);
    flipped[100] ^= 1;
    await assert.rejects(attempt(files.resultJson, flipped), /weights\.bin does not match its SHA-256/);
    await assert.rejects(attempt(files.resultJson, files.weights.subarray(8)), /the copy is incomplete/);
    await assert.rejects(attempt('{"format": 1'), /not valid JSON/);
    await assert.rejects(attempt(JSON.stringify({ ...json, format: 'x' })), /not a PyTorch training result/);
    await assert.rejects(attempt(JSON.stringify({ ...json, version: 9 })), /newer than this Ostinato reads/);
    await assert.rejects(
      attempt(JSON.stringify({ ...json, lstm: { ...json.lstm, hiddenSize: 10 } })),
      /shape \[36,5\], the network needs \[40,5\]/,
    );
    await assert.rejects(
      attempt(JSON.stringify({ ...json, lstm: { ...json.lstm, vocabSize: 5 } })),
      /the vocabulary has \d+ tokens but the network has 5/,
    );
    const dropped = { ...json, weights: { ...json.weights, tensors: json.weights.tensors.slice(1) } };
    await assert.rejects(attempt(JSON.stringify(dropped)), /lack embedding\.weight/);
    const noHistory = { ...json, training: { ...json.training, epochs: 2 } };
    await assert.rejects(attempt(JSON.stringify(noHistory)), /training\.history must list the 2 epochs/);
    await fs.writeFile(
      join(result, 'result.json'),
      JSON.stringify({ ...json, weights: { ...json.weights, file: '../x' } }),
    );
    await assert.rejects(readTorchResultFolder(result), /must be a plain file name/);
    assert.deepEqual(readdirSync(root).sort(), ['data', 'result']);
    // An existing destination is never overwritten.
    await fs.mkdir(join(root, 'taken'));
    await assert.rejects(importTorchResult(files, join(root, 'taken')), /already exists/);
    assert.equal(existsSync(join(root, 'taken', 'model.json')), false);
  },
);
