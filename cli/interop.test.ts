import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, promises as fs, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCaptured } from './run.fixture.js';
import { torchResultFixture } from '../model/interop/interop.fixture.js';

/** The bridges to other engines through the CLI: export-dataset, import-model, export-tfjs. */
const run = runCaptured;

test('export-dataset, import-model, export-tfjs: listed in the help, usage and input errors are one line', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ostinato-cli-interop-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  const help = await run(['--help']);
  for (const c of ['export-dataset', 'import-model', 'export-tfjs'])
    assert.match(help.out, new RegExp(`  ${c} `));
  const usage = async (argv: string[], re: RegExp) => {
    const x = await run(argv);
    assert.equal(x.code, 2, `${argv.join(' ')}: ${x.err}`);
    assert.match(x.err.split('\n')[0], re);
  };
  await usage(['export-dataset', 'x.mid'], /needs --out/);
  await usage(['export-dataset', '--out', dir], /needs MIDI files/);
  await usage(
    ['export-dataset', 'x.mid', '--out', dir, '--seq-len', '2'],
    /--seq-len must be between 8 and 1024 \(got 2\)/,
  );
  await usage(['import-model', '--out', dir], /needs one result folder/);
  await usage(['import-model', dir], /needs --out/);
  await usage(['export-tfjs', '--out', dir], /needs --model/);
  await usage(['export-tfjs', '--model', dir], /needs --out/);
  const input = async (argv: string[], re: RegExp) => {
    const x = await run(argv);
    assert.equal(x.code, 1, `${argv.join(' ')}: ${x.err}`);
    assert.match(x.err, re);
  };
  await input(['export-dataset', join(dir, 'none.mid'), '--out', join(dir, 'd')], /none of the given files/);
  await input(['import-model', dir, '--out', join(dir, 'm')], /holds no result\.json/);
  await input(['export-tfjs', '--model', dir, '--out', join(dir, 't')], /not an Ostinato model folder/);
});

test('import-model makes a model folder that generate and export-tfjs use; an existing folder is never replaced', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ostinato-cli-interop-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  const fx = torchResultFixture(4, 'cli import');
  const result = join(dir, 'result');
  await fs.mkdir(result);
  await fs.writeFile(join(result, 'result.json'), fx.resultJson);
  await fs.writeFile(join(result, 'weights.bin'), fx.weights);
  const model = join(dir, 'model');
  const im = await run(['import-model', result, '--out', model, '--json']);
  assert.equal(im.code, 0, im.err);
  const report = JSON.parse(im.out);
  assert.equal(report.model.name, 'cli import');
  assert.equal(report.heldOutNll.nll, 3);
  const again = await run(['import-model', result, '--out', model]);
  assert.equal(again.code, 1);
  assert.match(again.err, /already exists/);

  const gen = await run(['generate', '--model', model, '--out', join(dir, 'a.mid'), '--bars', '2']);
  assert.equal(gen.code, 0, gen.err);
  assert.ok(existsSync(join(dir, 'a.mid')));
  const tfjs = join(dir, 'tfjs');
  const ex = await run(['export-tfjs', '--model', model, '--out', tfjs]);
  assert.equal(ex.code, 0, ex.err);
  const json = JSON.parse(readFileSync(join(tfjs, 'model.json'), 'utf8'));
  assert.equal(json.userDefinedMetadata.ostinato.name, 'cli import');
  assert.equal(json.weightsManifest[0].paths[0], 'group1-shard1of1.bin');
});
