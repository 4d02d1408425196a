/**
 * The recently saved or opened projects, newest first, in <userData>/recent-projects.json (atomic).
 * A damaged file gives an empty list (it is only a convenience); entries are checked on read.
 */
import { basename, dirname, join } from 'node:path';
import type { ProjectRef } from '../shared/api.js';
import { checkArray, checkName, checkObject, checkString, LIMITS } from '../shared/validate.js';
import { atomicTempTarget, writeJsonAtomic } from '../../model/index.js';
import { readJsonFile, removeLeftovers, SerialQueue } from './util.js';

export const RECENT_LIMIT = 8;

/** `ref` put first; an older entry of the same path dropped; at most `limit` kept. */
export function pushRecent(list: readonly ProjectRef[], ref: ProjectRef, limit = RECENT_LIMIT): ProjectRef[] {
  return [ref, ...list.filter((r) => r.path !== ref.path)].slice(0, limit);
}

function checkRecent(raw: unknown): ProjectRef[] {
  return checkArray(raw, 'recent', 1000).flatMap((v) => {
    try {
      const o = checkObject(v, 'entry');
      return [{ name: checkName(o.name, 'name'), path: checkString(o.path, 'path', LIMITS.maxPathLength) }];
    } catch {
      return []; // one bad entry is dropped, the others stay
    }
  });
}

export class RecentProjects {
  readonly path: string;
  private list: ProjectRef[] = [];
  private readonly queue = new SerialQueue();
  private readonly listeners = new Set<(list: ProjectRef[]) => void>();

  constructor(userDataDir: string) {
    this.path = join(userDataDir, 'recent-projects.json');
  }

  async load(): Promise<ProjectRef[]> {
    await removeLeftovers(dirname(this.path), (n) => atomicTempTarget(n) === basename(this.path));
    try {
      this.list = checkRecent((await readJsonFile(this.path)) ?? []).slice(0, RECENT_LIMIT);
    } catch {
      this.list = [];
    }
    return this.get();
  }

  get(): ProjectRef[] {
    return this.list.map((r) => ({ ...r }));
  }

  has(path: string): boolean {
    return this.list.some((r) => r.path === path);
  }

  add(ref: ProjectRef): Promise<ProjectRef[]> {
    return this.queue.run(async () => {
      const next = pushRecent(this.list, ref);
      await writeJsonAtomic(this.path, next);
      this.list = next;
      for (const l of [...this.listeners]) l(this.get());
      return this.get();
    });
  }

  /** Called after each change (the Electron menu's Open Recent is rebuilt). */
  onChange(listener: (list: ProjectRef[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
