import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, promises as fs, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, UsageError, type FlagSpecs } from './args.js';
import { runCaptured } from './run.fixture.js';
import { variationPath } from './commands/generate.js';
import { exportModelBundle } from '../model/index.js';

const ROOT = resolve(__dirname, '..');

const run = runCaptured;

const specs: FlagSpecs = {
  n: { type: 'int', min: 1, max: 10, help: '' },
  x: { type: 'number', help: '' },
  s: { type: 'string', choices: ['a', 'b'], help: '' },
  flag: { type: 'boolean', help: '' },
};

test('parseArgs: forms, positionals and every kind of mistake', () => {
  assert.deepEqual(parseArgs(['f1', '--n', '3', '--x=-2.5', '--flag', 'f2', '--s', 'b'], specs), {
    positionals: ['f1', 'f2'],
    flags: { n: 3, x: -2.5, flag: true, s: 'b' },
  });
  assert.deepEqual(parseArgs(['--x', '-1', '--', '--n'], specs).positionals, ['--n']);
  const err = (argv: string[], re: RegExp) =>
    assert.throws(
      () => parseArgs(argv, specs),
      (e: unknown) => e instanceof UsageError && re.test(e.message),
    );
  err(['--nope'], /unknown option --nope/);
  err(['-n', '3'], /unknown option -n/);
  err(['--n'], /--n needs a value/);
  err(['--n', '--flag'], /--n needs a value/);
  err(['--n', 'three'], /--n must be a number \(got "three"\)/);
  err(['--n', '2.5'], /whole number/);
  err(['--n', '0'], /at least 1/);
  err(['--n', '11'], /at most 10/);
  err(['--x', ''], /must be a number/);
  err(['--s', 'c'], /one of a, b/);
  err(['--flag=yes'], /takes no value/);
});

test('variation file names', () => {
  assert.equal(variationPath('/a/song.mid', 0, 1), '/a/song.mid');
  assert.equal(variationPath('/a/song.mid', 1, 3), '/a/song-2.mid');
  assert.equal(variationPath('/a/song', 0, 2), '/a/song-1.mid');
});

test('CLI: usage errors exit 2 with one line, input errors exit 1 with the reason', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ostinato-cli-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  let r = await run([]);
  assert.equal(r.code, 2);
  assert.match(r.out, /usage: ostinato <command>/);
  r = await run(['--help']);
  assert.equal(r.code, 0);
  r = await run(['train', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.out, /--max-seconds/);
  r = await run(['fly']);
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown command "fly"/);

  const usage = async (argv: string[], re: RegExp) => {
    const x = await run(argv);
    assert.equal(x.code, 2, `${argv.join(' ')}: ${x.err}`);
    assert.match(x.err.split('\n')[0], re);
  };
  await usage(['train', 'x.mid', '--out', dir, '--epochs', 'many'], /--epochs must be a number/);
  await usage(
    ['train', 'x.mid', '--out', dir, '--hidden', '0'],
    /--hidden-size must be between 8 and 2048 \(got 0\)/,
  );
  await usage(['train', 'x.mid', '--out', dir, '--num-layers', '4'], /--num-layers must be between 1 and 3/);
  await usage(
    ['train', 'x.mid', '--out', dir, '--backend', 'gpu'],
    /--backend must be one of tensorflow, wasm, cpu/,
  );
  await usage(['train', 'x.mid', '--out'], /--out needs a value/);
  await usage(['train', 'x.mid'], /needs --out/);
  await usage(['train', '--out', dir], /needs MIDI files/);
  await usage(['train', 'x.mid', '--out', dir, '--wings'], /unknown option --wings/);
  await usage(
    ['generate', '--out', join(dir, 'a.mid'), '--top-p', '0'],
    /--top-p must be greater than 0 and at most 1 \(got 0\)/,
  );
  await usage(['generate', '--out', join(dir, 'a.mid'), '--scale', 'major'], /--scale needs --key/);
  await usage(
    ['generate', '--out', join(dir, 'a.mid'), '--key', 'H', '--scale', 'major'],
    /--key must be one of C, C#, Db/,
  );
  await usage(['generate', '--out', join(dir, 'a.mid'), '--time-signature', '4-4'], /--time-signature/);
  await usage(['generate', '--bars', '4'], /needs --out/);
  await usage(['eval', 'x.mid'], /needs --model/);
  await usage(['inspect'], /at least one MIDI file/);

  const input = async (argv: string[], re: RegExp) => {
    const x = await run(argv);
    assert.equal(x.code, 1, `${argv.join(' ')}: ${x.err}`);
    assert.match(x.err, re);
  };
  await input(
    ['train', join(dir, 'missing.mid'), '--out', join(dir, 'm')],
    /skipped .*missing\.mid: no such file/,
  );
  await input(['generate', '--model', join(dir, 'nomodel'), '--out', join(dir, 'a.mid')], /does not exist/);
  await input(['eval', '--model', dir, 'x.mid'], /not an Ostinato model folder/);
  await input(['train', 'x.mid', '--out', join(dir, 'm'), '--resume'], /does not exist/);
  await fs.writeFile(join(dir, 'bad.mid'), 'not midi at all');
  const bad = await run(['inspect', join(dir, 'bad.mid')]);
  assert.equal(bad.code, 1);
  assert.match(bad.out, /bad\.mid: ERROR .*MIDI/);
});

test('bin/ostinato.js runs the CLI through tsx (exit code and one-line reason)', () => {
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'bin/ostinato.js'), 'generate', '--bars', 'ten', '--out', 'x.mid'],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^ostinato generate: --bars must be a number \(got "ten"\)\n/);
  const ok = spawnSync(process.execPath, [join(ROOT, 'bin/ostinato.js'), 'help', 'generate'], {
    encoding: 'utf8',
  });
  assert.equal(ok.status, 0);
  assert.match(ok.stdout, /--variations/);
});

test('generate and eval accept a one-file .ostinato bundle as --model; generate defaults to the bundled model', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ostinato-cli-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  const bundle = join(dir, 'chorales.ostinato');
  await fs.writeFile(bundle, await exportModelBundle(join(ROOT, 'assets', 'models', 'default')));
  const a = await run([
    'generate',
    '--model',
    bundle,
    '--out',
    join(dir, 'one', 'a.mid'),
    '--bars',
    '2',
    '--seed',
    '5',
  ]);
  assert.equal(a.code, 0, a.err);
  const b = await run(['generate', '--out', join(dir, 'two', 'a.mid'), '--bars', '2', '--seed', '5']);
  assert.equal(b.code, 0, b.err);
  assert.deepEqual(
    await fs.readFile(join(dir, 'one', 'a.mid')),
    await fs.readFile(join(dir, 'two', 'a.mid')),
  );
  const e = await run([
    'eval',
    '--model',
    bundle,
    join(ROOT, 'assets', 'corpus', 'jsb-test-001.mid'),
    '--json',
  ]);
  assert.equal(e.code, 0, e.err);
  assert.equal(JSON.parse(e.out).pieces, 1);
  await fs.writeFile(join(dir, 'broken.ostinato'), 'OSTMODEL');
  const c = await run(['generate', '--model', join(dir, 'broken.ostinato'), '--out', join(dir, 'c.mid')]);
  assert.equal(c.code, 1);
  assert.match(c.err, /not an Ostinato model bundle/);
  assert.deepEqual(readdirSync(dir).sort(), ['broken.ostinato', 'chorales.ostinato', 'one', 'two']);
});
