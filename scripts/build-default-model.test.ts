import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, promises as fs, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadModel } from '../model/index.js';

const ROOT = resolve(__dirname, '..');

test(
  'npm run default-model: a short run writes a loadable model without optimizer state, with its evaluation',
  { skip: !existsSync(join(ROOT, 'assets', 'corpus', 'jsb-test-001.mid')) && 'no bundled corpus' },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'ostinato-dm-'));
    t.after(() => fs.rm(dir, { recursive: true, force: true }));
    const out = join(dir, 'default');
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'scripts', 'build-default-model.ts'),
        '--out',
        out,
        '--max-seconds',
        '3',
        '--epochs',
        '1',
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 180_000 },
    );
    assert.equal(r.status, 0, r.stderr);
    const m = await loadModel(out);
    assert.equal(m.info.name, 'Bach chorales (default)');
    assert.equal(m.manifest.resume, null);
    assert.deepEqual(readdirSync(out).sort(), ['README.md', 'model.json', m.manifest.weights.file].sort());
    const readme = readFileSync(join(out, 'README.md'), 'utf8');
    assert.match(readme, /\| LSTM \(this model\) \| \d+\.\d+ \|/);
    assert.match(readme, /\| bigram, Kneser-Ney \| \d+\.\d+ \|/);
    // Nothing left beside the target.
    assert.deepEqual(readdirSync(dir), ['default']);
  },
);
