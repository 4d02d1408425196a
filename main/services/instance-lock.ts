/**
 * One host per user data folder: two hosts writing the same corpus index or model folders (say the
 * desktop app and `npm run serve` on the same data) could lose each other's changes. The host
 * creates <userData>/ostinato.lock (exclusively) holding its pid; a second host finds it and refuses
 * with a clear message. A lock left by a process that no longer exists is taken over.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';

export class InstanceLock {
  private constructor(readonly path: string) {}

  static async acquire(userDataDir: string): Promise<InstanceLock> {
    await fs.mkdir(userDataDir, { recursive: true });
    const path = join(userDataDir, 'ostinato.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const h = await fs.open(path, 'wx');
        await h.writeFile(`${process.pid}\n`);
        await h.close();
        return new InstanceLock(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new Error(
            `Could not lock the data folder ${userDataDir}: ${(err as NodeJS.ErrnoException).code ?? err}`,
            { cause: err },
          );
        }
      }
      const pid = Number.parseInt(await fs.readFile(path, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new Error(
          `Ostinato is already running with the data folder ${userDataDir} (process ${pid}). Close it first, or use another folder (--user-data). If no Ostinato is running, delete ${path}.`,
        );
      }
      await fs.rm(path, { force: true }); // stale: its process is gone
    }
    throw new Error(`Could not lock the data folder ${userDataDir}: ${path} keeps reappearing`);
  }

  async release(): Promise<void> {
    const pid = Number.parseInt(await fs.readFile(this.path, 'utf8').catch(() => ''), 10);
    if (pid === process.pid) await fs.rm(this.path, { force: true }).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
