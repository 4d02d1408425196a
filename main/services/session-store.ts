/**
 * The session in <userData>/session.json (the project file format): the generated pieces and the
 * selection, saved atomically as they change and read back at launch. A damaged file is refused with
 * a clear message and left as it is (the next save replaces it).
 */
import { basename, dirname, join } from 'node:path';
import type { Session } from '../shared/api.js';
import { atomicTempTarget } from '../../model/index.js';
import { readProject, writeProject } from './project-file.js';
import { removeLeftovers, SerialQueue } from './util.js';

export class SessionStore {
  readonly path: string;
  private readonly queue = new SerialQueue();

  constructor(userDataDir: string) {
    this.path = join(userDataDir, 'session.json');
  }

  async load(): Promise<Session | null> {
    await removeLeftovers(dirname(this.path), (n) => atomicTempTarget(n) === basename(this.path));
    return (await readProject(this.path)) ?? null;
  }

  /** Saves one after another, so the last call's session is the one on disk. */
  save(session: Session): Promise<void> {
    return this.queue.run(() => writeProject(this.path, session));
  }
}
