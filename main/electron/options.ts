/**
 * Command-line options of the Electron app (pure, tested without Electron):
 *   --user-data DIR | --user-data=DIR   the user data folder (tests, portable use)
 * or the environment variable OSTINATO_USER_DATA. Default: Electron's userData folder.
 */
import { resolve } from 'node:path';

export function userDataOverride(argv: readonly string[], env: NodeJS.ProcessEnv): string | null {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--user-data=')) return resolve(a.slice('--user-data='.length));
    if (a === '--user-data' && argv[i + 1] && !argv[i + 1].startsWith('--')) return resolve(argv[i + 1]);
  }
  return env.OSTINATO_USER_DATA ? resolve(env.OSTINATO_USER_DATA) : null;
}
