/** Small helpers shared by the host services. */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { exportFileName } from '../../model/index.js';

/** A new entity id: a prefix and 16 random hex digits (matches validate.ts's ID_PATTERN). */
export function newId(prefix: string): string {
  return `${prefix}-${randomBytes(8).toString('hex')}`;
}

/** Runs async tasks one after another (the index files are read-modify-written). */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/**
 * Removes the entries of `dir` that `isLeftover` picks (files or folders the app itself left behind
 * when it was killed: temp files, half-done imports). Returns their names. One that cannot be
 * removed stays: it is never read, so it is harmless.
 */
export async function removeLeftovers(dir: string, isLeftover: (name: string) => boolean): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
    if (!isLeftover(name)) continue;
    try {
      await fs.rm(join(dir, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      /* stays; see above */
    }
  }
  return removed;
}

/** Reads a JSON file; undefined when it does not exist; a clear error when it is corrupt. */
export async function readJsonFile<T>(path: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(
      `Could not read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      { cause: err },
    );
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new Error(`${path} is corrupt (not valid JSON): ${(err as Error).message}`, { cause: err });
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : String(err);
}

/** A file name made from a display name, safe on every OS (the rule is the core's exportFileName). */
export function fileNameFor(name: string, ext: string): string {
  return exportFileName(name, ext);
}
