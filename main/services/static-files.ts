/**
 * Which file a URL path of the app's page names, for both hosts (the local HTTP server and
 * Electron's app:// protocol): the built renderer (dist/renderer) at the root, and from the shipped
 * assets only /assets/samples/… and /assets/icons/… (not the models or the corpus). Encoded and
 * literal '..', dot-files, backslashes and NUL bytes name nothing.
 */
import { promises as fs } from 'node:fs';
import { extname, resolve, sep } from 'node:path';

export const SERVED_ASSET_DIRS = ['samples', 'icons'];

export const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
};

export function mimeType(file: string): string {
  return MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export function resolveStaticPath(pathname: string, rendererDir: string, assetsDir: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const parts = decoded.split('/').filter((p) => p.length > 0);
  if (parts.some((p) => p === '..' || p === '.' || p.startsWith('.'))) return null;
  let root = resolve(rendererDir);
  if (parts[0] === 'assets' && SERVED_ASSET_DIRS.includes(parts[1] ?? '')) {
    root = resolve(assetsDir);
    parts.shift();
  }
  if (parts.length === 0) parts.push('index.html');
  const file = resolve(root, ...parts);
  return file.startsWith(root + sep) ? file : null;
}

/**
 * Whether the file, with every symbolic link resolved, is still inside one of the served folders
 * (a link planted in a served folder cannot expose anything else). False when it does not exist.
 */
export async function isServable(file: string, rendererDir: string, assetsDir: string): Promise<boolean> {
  try {
    const real = await fs.realpath(file);
    for (const dir of [rendererDir, assetsDir]) {
      const root = await fs.realpath(dir).catch(() => null);
      if (root && real.startsWith(root + sep)) return (await fs.stat(real)).isFile();
    }
  } catch {
    /* missing */
  }
  return false;
}
