/**
 * Builds the renderer and starts the local host (`node scripts/serve.mjs --port 0 --user-data <tmp>`)
 * with a fresh user-data folder; the tests read its URL from OSTINATO_E2E_URL. The returned function
 * stops the host and removes the folder.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './helpers.js';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const root = repoRoot();
  const build = spawnSync(
    process.execPath,
    [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
    },
  );
  if (build.status !== 0) throw new Error(`vite build failed:\n${build.stdout}\n${build.stderr}`);

  const userData = mkdtempSync(join(tmpdir(), 'ostinato-e2e-'));
  const serve = process.env.OSTINATO_E2E_SERVE ?? join(root, 'scripts/serve.mjs');
  const child = spawn(process.execPath, [serve, '--port', '0', '--user-data', userData], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, BROWSER: 'none' },
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the host did not print its URL within 60 s:\n${output}`)),
      60_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the host exited (code ${code}) before it was ready:\n${output}`));
    });
  });
  process.env.OSTINATO_E2E_URL = url;
  process.env.OSTINATO_E2E_USER_DATA = userData;
  return async () => {
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(userData, { recursive: true, force: true });
  };
}
