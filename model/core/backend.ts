/**
 * Picks and initialises the tfjs backend once per process (or worker): tfjs-node ('tensorflow') when
 * it is installed, else WebAssembly ('wasm'), else plain JavaScript ('cpu'). The choice can be forced
 * with the `preferred` argument or the OSTINATO_BACKEND environment variable; a forced backend that
 * cannot start falls back down the same list, and the reason is reported through `onLog`.
 */
import * as tf from '@tensorflow/tfjs';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

import { BACKEND_ORDER, type BackendName } from '../common/types.js';
import { InputError } from '../common/options.js';

export { BACKEND_ORDER, type BackendName };

export interface BackendOptions {
  /** Receives one line about the choice (and any fallback reason). Not called on repeat calls. */
  onLog?: (message: string) => void;
  /** Folder holding tfjs-backend-wasm*.wasm; default: found from node_modules, or OSTINATO_WASM_DIR. */
  wasmDir?: string;
}

/** Loaders per backend; replaceable in tests to simulate a missing package. */
export interface BackendLoaders {
  tensorflow: () => Promise<void>;
  wasm: (wasmDir?: string) => Promise<void>;
}

let pending: Promise<string> | null = null;

/** Finds the folder with the .wasm binaries of @tensorflow/tfjs-backend-wasm. */
export function findWasmDir(explicit?: string): string | null {
  const candidates: string[] = [];
  if (explicit) candidates.push(explicit);
  if (process.env.OSTINATO_WASM_DIR) candidates.push(process.env.OSTINATO_WASM_DIR);
  try {
    candidates.push(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist'));
  } catch {
    // Bundled code may not be able to resolve packages; try the usual places instead.
  }
  candidates.push(join(process.cwd(), 'node_modules/@tensorflow/tfjs-backend-wasm/dist'));
  if (typeof __dirname === 'string') {
    for (let dir = __dirname, i = 0; i < 8; i++, dir = dirname(dir)) {
      candidates.push(join(dir, 'node_modules/@tensorflow/tfjs-backend-wasm/dist'));
    }
  }
  for (const dir of candidates) {
    if (existsSync(join(dir, 'tfjs-backend-wasm-simd.wasm'))) return dir;
  }
  return null;
}

export const defaultLoaders: BackendLoaders = {
  async tensorflow() {
    // Optional dependency: absent on most machines. The variable keeps bundlers from inlining it.
    const name = '@tensorflow/tfjs-node';
    await import(name);
  },
  async wasm(wasmDir?: string) {
    const dir = findWasmDir(wasmDir);
    if (!dir) throw new Error('the tfjs-backend-wasm .wasm files were not found (set OSTINATO_WASM_DIR)');
    const sep = dir.endsWith('/') || dir.endsWith('\\') ? '' : '/';
    setWasmPaths(dir + sep);
  },
};

function parsePreferred(value: string | undefined): BackendName | undefined {
  if (!value) return undefined;
  const v = value.trim().toLowerCase();
  if (v === 'node' || v === 'tfjs-node') return 'tensorflow';
  if ((BACKEND_ORDER as readonly string[]).includes(v)) return v as BackendName;
  throw new InputError(`Unknown backend "${value}": use one of ${BACKEND_ORDER.join(', ')}`);
}

async function tryBackend(name: BackendName, loaders: BackendLoaders, opts: BackendOptions): Promise<void> {
  if (name === 'tensorflow') await loaders.tensorflow();
  if (name === 'wasm') await loaders.wasm(opts.wasmDir);
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
}

/**
 * Selects the backend (first call) and returns its name. Later calls return the same promise, so
 * the choice is made once; call `resetBackendChoice` only in tests.
 */
export function initBackend(
  preferred?: BackendName,
  options: BackendOptions = {},
  loaders: BackendLoaders = defaultLoaders,
): Promise<string> {
  if (pending) return pending;
  pending = (async () => {
    const forced = preferred ?? parsePreferred(process.env.OSTINATO_BACKEND);
    const order = forced ? [forced, ...BACKEND_ORDER.filter((b) => b !== forced)] : [...BACKEND_ORDER];
    const reasons: string[] = [];
    for (const name of order) {
      try {
        await tryBackend(name, loaders, options);
        const why = reasons.length ? ` (${reasons.join('; ')})` : '';
        options.onLog?.(`tfjs backend: ${name}${why}`);
        return name;
      } catch (err) {
        reasons.push(`${name} unavailable: ${firstLine(err)}`);
      }
    }
    throw new Error(`No tfjs backend could start: ${reasons.join('; ')}`);
  })();
  pending.catch(() => {
    pending = null;
  });
  return pending;
}

/**
 * Backends that start in this process, in BACKEND_ORDER (for choosing one by measurement). Leaves
 * the current backend active.
 */
export async function availableBackends(loaders: BackendLoaders = defaultLoaders): Promise<BackendName[]> {
  const current = tf.getBackend();
  const out: BackendName[] = [];
  for (const name of BACKEND_ORDER) {
    try {
      await tryBackend(name, loaders, {});
      out.push(name);
    } catch {
      // not installed or cannot start here
    }
  }
  if (current) await tf.setBackend(current);
  return out;
}

/**
 * Makes `name` the process' backend from now on (after a measurement chose it): later initBackend
 * calls return it. Tensors made on the previous backend must not be used afterwards.
 */
export async function switchBackend(
  name: BackendName,
  loaders: BackendLoaders = defaultLoaders,
): Promise<string> {
  await tryBackend(name, loaders, {});
  pending = Promise.resolve(name);
  return name;
}

/** Forgets the choice so that the next initBackend chooses again (tests only). */
export function resetBackendChoice(): void {
  pending = null;
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0]!.slice(0, 200);
}
