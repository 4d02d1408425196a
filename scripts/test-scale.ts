/**
 * `npm run test:scale`: the whole path of docs/scale.md on this machine, on real data.
 * 1. `ostinato export-dataset` on 200 Nottingham tunes (../shared/data, tests only: GPLv3);
 * 2. torchrun --nproc_per_node=2 scale/train.py: DistributedDataParallel over gloo on 127.0.0.1
 *    (a random free port for the rendezvous), a few short epochs on CPU;
 * 3. `ostinato import-model` of the result, which must then load like any model folder;
 * 4. `ostinato generate` MIDI from it (read back with @tonejs/midi);
 * 5. `ostinato eval` on the held-out tunes of the split: our evaluator's NLL must equal the one
 *    PyTorch measured to 1e-3 nats/token, over the same number of predictions.
 * Needs a Python with torch (Debian's python3-torch at /usr/bin/python3; $OSTINATO_PYTHON
 * overrides): without one this test fails, it does not skip.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, promises as fs, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Midi } from '@tonejs/midi';
import { runCaptured } from '../cli/run.fixture.js';
import { loadModel } from '../model/index.js';
import { findTorchPython } from '../model/interop/torch-python.fixture.js';

const ROOT = resolve(__dirname, '..');
const NOTTINGHAM = resolve(ROOT, '..', 'shared', 'data', 'nottingham-midi');

const cli = runCaptured;

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; log: string }> {
  return new Promise((ok) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (d) => (log += d));
    child.stderr.on('data', (d) => (log += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      ok({ code, log });
    });
  });
}

test('export-dataset → torchrun (2 × gloo) → import-model → generate → held-out NLL equal to 1e-3', async (t) => {
  assert.ok(existsSync(NOTTINGHAM), `the Nottingham data is missing (${NOTTINGHAM})`);
  const python = findTorchPython();
  assert.ok(python, 'no Python with torch: install python3-torch (Debian) or set OSTINATO_PYTHON');
  const dir = mkdtempSync(join(tmpdir(), 'ostinato-scale-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  const files = readdirSync(NOTTINGHAM)
    .filter((f) => f.endsWith('.mid'))
    .sort();
  const pick = Array.from({ length: 200 }, (_, i) => join(NOTTINGHAM, files[(i * 5) % files.length]));
  const data = join(dir, 'data');
  const ex = await cli(['export-dataset', ...pick, '--out', data, '--seq-len', '64', '--seed', '3']);
  assert.equal(ex.code, 0, ex.err);
  t.diagnostic(ex.err.trim());

  const port = await freePort();
  const result = join(dir, 'result');
  const started = Date.now();
  // torch 1.13 on Python 3.11 cannot parse torchrun's default --redirects/--tee ("0"): give "1".
  const tr = await run(
    python,
    [
      '-m',
      'torch.distributed.run',
      '--nproc_per_node=2',
      '--master_addr=127.0.0.1',
      `--master_port=${port}`,
      '--redirects=1',
      '--tee=1',
      `--log_dir=${join(dir, 'logs')}`,
      join(ROOT, 'scale', 'train.py'),
      '--data',
      data,
      '--out',
      result,
      '--backend',
      'gloo',
      '--epochs',
      '4',
      '--hidden',
      '64',
      '--embedding',
      '32',
      '--batch',
      '32',
      '--lr',
      '0.01',
    ],
    { OMP_NUM_THREADS: '1', GLOO_SOCKET_IFNAME: 'lo', PYTHONDONTWRITEBYTECODE: '1' },
  );
  assert.equal(tr.code, 0, `torchrun failed:\n${tr.log}`);
  t.diagnostic(`torchrun: ${((Date.now() - started) / 1000).toFixed(1)} s\n${tr.log.trim()}`);
  const res = JSON.parse(readFileSync(join(result, 'result.json'), 'utf8'));
  assert.equal(res.training.worldSize, 2);
  assert.equal(res.training.backend, 'gloo');

  const model = join(dir, 'model');
  const im = await cli(['import-model', result, '--out', model, '--json']);
  assert.equal(im.code, 0, im.err);
  const loaded = await loadModel(model);
  assert.equal(loaded.info.epochs, 4);

  const mid = join(dir, 'out.mid');
  const gen = await cli([
    'generate',
    '--model',
    model,
    '--out',
    mid,
    '--bars',
    '8',
    '--seed',
    '5',
    '--tempo',
    '100',
  ]);
  assert.equal(gen.code, 0, gen.err);
  const midi = new Midi(readFileSync(mid));
  const notes = midi.tracks.flatMap((tr) => tr.notes);
  assert.ok(notes.length > 0, 'the generated MIDI holds no notes');
  assert.equal(Math.round(midi.header.tempos[0].bpm), 100);

  const dataset = JSON.parse(readFileSync(join(data, 'dataset.json'), 'utf8'));
  const ev = await cli(['eval', '--model', model, ...dataset.splits.valid.sources, '--json']);
  assert.equal(ev.code, 0, ev.err);
  const report = JSON.parse(ev.out);
  const ours = report.model.nll as number;
  const theirs = res.heldOutNll.nll as number;
  t.diagnostic(
    `held-out NLL over ${report.tokens} predictions: ours ${ours.toFixed(6)}, PyTorch ${theirs.toFixed(6)} ` +
      `(|diff| ${Math.abs(ours - theirs).toExponential(2)}); unigram ${report.unigram.nll.toFixed(4)}, bigram ${report.bigram.nll.toFixed(4)}; ` +
      `${notes.length} notes generated`,
  );
  assert.equal(report.tokens, res.heldOutNll.tokens);
  assert.ok(Math.abs(ours - theirs) < 1e-3, `ours ${ours} vs PyTorch ${theirs}`);
  assert.ok(ours < report.unigram.nll, 'the distributed training learned less than the unigram baseline');
});
