/**
 * Starts a worker thread from one of the host's worker modules (main/worker/*): the TypeScript
 * source through tsx in dev and tests (worker threads do not inherit tsx's loader hooks, so a tiny
 * CommonJS bootstrap registers it), the compiled JavaScript in the packaged app, and any other
 * script (tests) as it is.
 */
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';

/** main/worker/<name>.ts under tsx, or the compiled main/worker/<name>.js. */
export function workerEntry(name: string): string {
  const ts = __filename.endsWith('.ts');
  // In the packaged app this path is inside app.asar: Electron (since v18) loads worker scripts from
  // asar archives, and electron-builder.yml also unpacks the workers and the wasm binaries, which
  // Electron's fs then reads from app.asar.unpacked transparently. The path is kept inside app.asar
  // so that the worker's relative requires (services, model, node_modules) resolve there.
  return join(__dirname, '..', 'worker', `${name}.${ts ? 'ts' : 'js'}`);
}

export function spawnWorker(entry: string, workerData: unknown): Worker {
  if (entry.endsWith('.ts')) {
    const bootstrap = [
      "const { workerData } = require('node:worker_threads');",
      'require(workerData.__tsx).register();',
      'require(workerData.__entry);',
    ].join('\n');
    const data = { ...(workerData as object), __tsx: require.resolve('tsx/cjs/api'), __entry: entry };
    return new Worker(bootstrap, { eval: true, workerData: data });
  }
  return new Worker(entry, { workerData });
}
