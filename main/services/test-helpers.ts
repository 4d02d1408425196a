/** Helpers for the host tests (not shipped: only *.test.ts files import this). */
import { mkdtempSync, promises as fs, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../..');
/** The shared data folder, beside the repo (../shared from the repo root). */
export const SHARED_DATA = resolve(REPO_ROOT, '../shared/data');
export const NOTTINGHAM = join(SHARED_DATA, 'nottingham-midi');

export function tempDir(t: { after(fn: () => Promise<void>): void }, prefix = 'ostinato-host-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(async () => {
    await fs.chmod(dir, 0o755).catch(() => undefined);
    await fs.rm(dir, { recursive: true, force: true });
  });
  return dir;
}

export function nottingham(name: string): { name: string; data: Uint8Array } {
  return { name, data: new Uint8Array(readFileSync(join(NOTTINGHAM, name))) };
}

/** Root ignores file permissions, so read-only-folder tests only mean something for other users. */
export const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;
