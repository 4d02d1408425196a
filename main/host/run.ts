/**
 * Runs the local host from the command line (scripts/serve.mjs, and the fallback of `npm start`):
 *
 *   --port N         port on 127.0.0.1 (default: OSTINATO_PORT, else 0 = any free port)
 *   --user-data DIR  the user data folder (default: the same folder the Electron app uses)
 *   --open           open the printed URL in the default browser (not when BROWSER=none)
 *
 * Prints the URL with its per-run token and serves until SIGINT/SIGTERM, then stops a running
 * training (its last checkpoint stays) and closes.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { OstinatoHost } from '../services/host.js';
import { startLocalHost } from './server.js';

export const REPO_ROOT = resolve(__dirname, '../..');

/** The folder Electron's app.getPath('userData') gives for productName "Ostinato". */
export function defaultUserDataDir(): string {
  const name = 'Ostinato';
  if (process.platform === 'win32')
    return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), name);
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', name);
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), name);
}

export interface RunArgs {
  port: number;
  userDataDir: string;
  open: boolean;
}

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): RunArgs {
  const out: RunArgs = { port: 0, userDataDir: defaultUserDataDir(), open: false };
  const envPort = env.OSTINATO_PORT;
  const port = (v: string | undefined, from: string) => {
    const n = Number(v);
    if (v === undefined || v === '' || !Number.isInteger(n) || n < 0 || n > 65535)
      throw new Error(`${from} must be a port number from 0 to 65535 (got ${v ?? 'nothing'})`);
    return n;
  };
  if (envPort !== undefined && envPort !== '') out.port = port(envPort, 'OSTINATO_PORT');
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=')
      ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
      : [a, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--port') out.port = port(value(), '--port');
    else if (flag === '--user-data') {
      const v = value();
      if (!v) throw new Error('--user-data needs a folder');
      out.userDataDir = resolve(v);
    } else if (flag === '--open') out.open = true;
    else if (flag === '--help' || flag === '-h')
      throw new Error('usage: npm run serve -- [--port N] [--user-data DIR] [--open]');
    else
      throw new Error(`unknown option ${a} (usage: npm run serve -- [--port N] [--user-data DIR] [--open])`);
  }
  return out;
}

function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    /* no browser launcher: the URL is printed anyway */
  }
}

export async function runLocalHost(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string })
    .version;
  const host = await OstinatoHost.create({
    userDataDir: args.userDataDir,
    bundledModelDir: join(REPO_ROOT, 'assets', 'models', 'default'),
    bundledCorpusDir: join(REPO_ROOT, 'assets', 'corpus'),
    host: 'browser',
    version,
  });
  const server = await startLocalHost({
    api: host,
    rendererDir: join(REPO_ROOT, 'dist', 'renderer'),
    assetsDir: join(REPO_ROOT, 'assets'),
    port: args.port,
  });
  process.stdout.write(
    `Ostinato is running at ${server.url}\n` +
      `Open that address in your browser (it works only on this computer; the token in it is required).\n` +
      `User data: ${args.userDataDir}\nPress Ctrl+C to stop.\n`,
  );
  if (args.open && process.env.BROWSER !== 'none') openBrowser(server.url);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping Ostinato…\n`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await host.dispose().catch(() => undefined);
    await server.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
