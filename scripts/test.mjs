#!/usr/bin/env node
// Runs every test: unit and integration tests with Node's test runner (through tsx),
// then the Playwright end-to-end suite, after one build of the renderer. `--unit` or `--e2e` runs one part alone.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const onlyUnit = args.includes('--unit');
const onlyE2e = args.includes('--e2e');
const filters = args.filter((a) => !a.startsWith('--'));

function findTests(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) findTests(p, out);
    else if (name.endsWith('.test.ts') || name.endsWith('.test.mjs')) out.push(relative(root, p));
  }
  return out;
}

let failed = false;
// Build the renderer once: the serve-script test and the e2e suite run against dist/renderer.
const build = spawnSync(
  process.execPath,
  [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
  { cwd: root, stdio: 'inherit', env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' } },
);
if (build.status !== 0) {
  console.error('test: vite build of the renderer failed');
  process.exit(1);
}
process.env.OSTINATO_RENDERER_BUILT = '1';

if (!onlyE2e) {
  const dirs = ['model', 'main', 'cli', 'renderer', 'scripts', 'bench', '.ci'];
  let files = dirs.flatMap((d) => {
    try {
      return findTests(join(root, d));
    } catch {
      return [];
    }
  });
  if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
  files.sort();
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
    { cwd: root, stdio: 'inherit' },
  );
  failed ||= r.status !== 0;
}
if (!onlyUnit) {
  const r = spawnSync(process.execPath, [join(root, 'node_modules/@playwright/test/cli.js'), 'test'], {
    cwd: root,
    stdio: 'inherit',
  });
  failed ||= r.status !== 0;
}
process.exit(failed ? 1 : 0);
