import { promises as fs } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Writes a file atomically: the data goes to a temporary file in the same folder, is flushed to
 * disk, and is then renamed over the target. A crash at any moment leaves either the old file or the
 * new one, never a half-written file. Errors (full disk, read-only folder) are rethrown with the path.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`); // see atomicTempTarget
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(tmp, 'wx');
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(tmp, path);
  } catch (err) {
    if (handle) await handle.close().catch(() => undefined);
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new Error(`Could not save ${path}: ${describeFsError(reason)}`, { cause: err });
  }
  // Make the rename itself durable.
  try {
    const d = await fs.open(dir, 'r');
    await d.sync().catch(() => undefined);
    await d.close();
  } catch {
    /* not supported on every platform */
  }
}

/**
 * For the name of a temporary file of writeFileAtomic (`.NAME.PID.HEX.tmp`), the name of the file it
 * was to become; null for every other name. A kill between the write and the rename leaves such a
 * file; the folder's owner removes it when it next opens the folder.
 */
export function atomicTempTarget(name: string): string | null {
  return /^\.(.+)\.\d+\.[0-9a-f]+\.tmp$/.exec(name)?.[1] ?? null;
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}

/** A readable reason for a file-system error code (ENOSPC, EROFS, ...). */
export function describeFsError(code: string): string {
  switch (code) {
    case 'ENOSPC':
      return 'the disk is full (ENOSPC)';
    case 'EROFS':
      return 'the folder is read-only (EROFS)';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code})`;
    case 'ENOENT':
      return 'the folder does not exist (ENOENT)';
    default:
      return code;
  }
}
