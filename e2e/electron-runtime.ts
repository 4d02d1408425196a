/**
 * Finds the Electron binary the way the electron package does (node_modules/electron/index.js:
 * path.txt names the executable inside dist/, or ELECTRON_OVERRIDE_DIST_PATH), without its
 * fallback of downloading one. Returns null when there is no runtime.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { repoRoot } from './helpers.js';

export function electronBinary(): string | null {
  let pkgDir: string;
  try {
    pkgDir = dirname(createRequire(join(repoRoot(), 'package.json')).resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = join(pkgDir, 'path.txt');
  const exe = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const full = process.env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(process.env.ELECTRON_OVERRIDE_DIST_PATH, exe || 'electron')
    : exe
      ? join(pkgDir, 'dist', exe)
      : null;
  if (!full || !existsSync(full)) return null;
  // The binary is there, so require('electron') returns its path without trying to download.
  const viaPackage = createRequire(join(repoRoot(), 'package.json'))('electron') as unknown;
  return typeof viaPackage === 'string' && existsSync(viaPackage) ? viaPackage : full;
}
