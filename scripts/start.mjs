#!/usr/bin/env node
// `npm start`: the desktop app when the Electron runtime is available (compiles main/, builds the
// renderer, launches Electron); otherwise says why and serves the app to your browser instead
// (`npm run serve --open`). Options are passed on to the local host (--port, --user-data).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRenderer, serve } from './serve.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

/**
 * The Electron executable, or the reason it cannot run here. Does not `require('electron')`: that
 * tries to download the binary when it is missing.
 */
export function findElectron(env = process.env) {
  let pkgDir;
  try {
    pkgDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  let exe;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    exe = join(
      env.ELECTRON_OVERRIDE_DIST_PATH,
      existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : 'electron',
    );
  } else {
    if (!existsSync(pathFile))
      return {
        reason: 'the Electron binary was never downloaded (node_modules/electron/path.txt is missing)',
      };
    exe = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  }
  if (!existsSync(exe)) return { reason: `the Electron binary is missing (${exe})` };
  const probe = spawnSync(exe, ['-e', 'process.exit(0)'], {
    timeout: 30000,
    env: { ...env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
  });
  if (probe.error || probe.status !== 0) {
    const why = probe.error?.message ?? (probe.stderr || `exit code ${probe.status}`).trim().split('\n')[0];
    return { reason: `the Electron binary does not run (${why})` };
  }
  if (process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { reason: 'no display (neither DISPLAY nor WAYLAND_DISPLAY is set)' };
  }
  return { exe };
}

async function main() {
  const args = process.argv.slice(2);
  const electron = findElectron();
  if (!electron.exe) {
    process.stdout.write(
      `Electron runtime not available here (${electron.reason}); serving the app to your browser instead.\n`,
    );
    await serve(args.includes('--open') ? args : [...args, '--open']);
    return;
  }
  process.stdout.write('Compiling the main process…\n');
  const tsc = spawnSync(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')],
    { cwd: root, stdio: 'inherit' },
  );
  if (tsc.status !== 0) {
    process.stderr.write('Compiling the main process failed (see above).\n');
    process.exit(1);
  }
  if (!buildRenderer()) process.exit(1);
  const child = spawn(electron.exe, [root], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined },
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
