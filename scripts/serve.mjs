#!/usr/bin/env node
// `npm run serve`: the app in your browser. Builds the renderer (dist/renderer) when it is missing or
// older than its sources, then runs the local host (main/host/run.ts, through tsx) on 127.0.0.1 and
// prints the URL with its per-run token. Options: --port N, --user-data DIR, --open, --no-build.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

/** Newest modification time under the given paths (files or folders), skipping dot-folders. */
function newest(paths) {
  let t = 0;
  const walk = (p) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const n of readdirSync(p)) if (!n.startsWith('.') && n !== 'node_modules') walk(join(p, n));
    } else t = Math.max(t, st.mtimeMs);
  };
  paths.forEach(walk);
  return t;
}

export function rendererIsStale() {
  const index = join(root, 'dist/renderer/index.html');
  if (!existsSync(index)) return 'dist/renderer is missing';
  const built = statSync(index).mtimeMs;
  const sources = newest(
    ['renderer', 'main/shared', 'vite.config.ts', 'vite.config.mts', 'vite.config.js'].map((p) =>
      join(root, p),
    ),
  );
  return sources > built ? 'the renderer sources changed since the last build' : null;
}

export function buildRenderer() {
  const stale = rendererIsStale();
  if (!stale) return true;
  process.stdout.write(`Building the renderer (${stale})…\n`);
  const r = spawnSync(
    process.execPath,
    [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
    },
  );
  if (r.status === 0) return true;
  if (existsSync(join(root, 'dist/renderer/index.html'))) {
    process.stderr.write('The renderer build failed; serving the previous build.\n');
    return true;
  }
  process.stderr.write('The renderer build failed and there is no previous build to serve.\n');
  return false;
}

export async function serve(argv) {
  const args = argv.filter((a) => a !== '--no-build');
  if (!argv.includes('--no-build') && !buildRenderer()) process.exit(1);
  require('tsx/cjs/api').register();
  const { runLocalHost } = require(join(root, 'main/host/run.ts'));
  try {
    await runLocalHost(args);
  } catch (err) {
    process.stderr.write(`Ostinato could not start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await serve(process.argv.slice(2));
