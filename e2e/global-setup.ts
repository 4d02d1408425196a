/**
 * Builds the renderer and starts the local host (`node scripts/serve.mjs --port 0 --user-data <tmp>`)
 * with a fresh user-data folder; the tests read its URL from OSTINATO_E2E_URL. The returned function
 * stops the host and removes the folder.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot, startHost } from './helpers.js';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const root = repoRoot();
  // scripts/test.mjs has just built it; a direct `playwright test` builds here.
  const build = process.env.OSTINATO_RENDERER_BUILT
    ? { status: 0, stdout: '', stderr: '' }
    : spawnSync(
        process.execPath,
        [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
        {
          cwd: root,
          encoding: 'utf8',
          env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
        },
      );
  if (build.status !== 0) throw new Error(`vite build failed:\n${build.stdout}\n${build.stderr}`);

  const host = await startHost();
  process.env.OSTINATO_E2E_URL = host.url;
  process.env.OSTINATO_E2E_USER_DATA = host.userData;
  return host.stop;
}
