/**
 * File-system conditions for the reliability tests and `npm run stress`: a real full disk (a tiny
 * tmpfs), a real read-only folder, and the way each was produced, so that every report can say what
 * was real and what was simulated.
 *
 * - Full disk: `mount -t tmpfs -o size=64k` (needs root or CAP_SYS_ADMIN). Where mounting is not
 *   permitted, callers skip with the reason returned here (no injection is done in this module).
 * - Read-only folder: as a normal user, chmod 0555. As root chmod does not stop writes (checked with a
 *   probe, never assumed), so: a tmpfs remounted read-only (EROFS) when mounting works, else an
 *   immutable directory (`chattr +i`, EPERM) when the file system supports it.
 */
import { spawnSync } from 'node:child_process';
import { promises as fs, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { atomicTempTarget } from '../model/index.js';

export interface FsCondition {
  /** The folder in the condition (write into it to hit the error). */
  dir: string;
  /** How the condition was produced, for reports: e.g. "tmpfs size=64k (real ENOSPC)". */
  method: string;
  /** Undo everything (unmount, chattr -i, remove the temp folders). Safe to call twice. */
  cleanup(): Promise<void>;
}

/** A condition that could not be produced here, with the reason (for test skips and reports). */
export interface FsUnavailable {
  unavailable: string;
}

function run(cmd: string, args: string[]): { ok: boolean; err: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  const err = (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n')[0];
  return { ok: r.status === 0, err };
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Mounts a tmpfs of `sizeKiB` on a fresh temp folder; returns it, or why it was not possible. */
export async function mountTinyTmpfs(
  sizeKiB: number,
  prefix = 'ostinato-tmpfs-',
): Promise<FsCondition | FsUnavailable> {
  if (process.platform !== 'linux') return { unavailable: `tmpfs needs Linux (this is ${process.platform})` };
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const r = run('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k,mode=0755`, 'tmpfs', dir]);
  if (!r.ok) {
    rmSync(dir, { recursive: true, force: true });
    return { unavailable: `mounting a tmpfs is not permitted here (${r.err || 'mount failed'})` };
  }
  let done = false;
  return {
    dir,
    method: `tmpfs size=${sizeKiB}k (real kernel ENOSPC)`,
    async cleanup() {
      if (done) return;
      done = true;
      run('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Remounts a mounted tmpfs read-only (or back to read-write). */
export function remountTmpfs(dir: string, readOnly: boolean): void {
  const r = run('mount', ['-o', `remount,${readOnly ? 'ro' : 'rw'}`, dir]);
  if (!r.ok) throw new Error(`remount ${readOnly ? 'ro' : 'rw'} of ${dir} failed: ${r.err}`);
}

/** True when a new file can be created in `dir` right now (the probe is removed again). */
export function canCreateIn(dir: string): boolean {
  const probe = join(dir, `.probe-${process.pid}-${Date.now()}`);
  try {
    writeFileSync(probe, 'x');
    rmSync(probe, { force: true });
    return true;
  } catch {
    return false;
  }
}

/** What goes into a folder before it is made read-only: files (name -> content) or a function. */
export type Populate = Record<string, string | Uint8Array> | ((dir: string) => Promise<void>);

async function populate(dir: string, what: Populate): Promise<void> {
  if (typeof what === 'function') await what(dir);
  else for (const [name, data] of Object.entries(what)) writeFileSync(join(dir, name), data);
}

/**
 * A folder filled by `files` into which nothing new can be written, produced by the first method that
 * really works here (each is verified with a probe write that must fail).
 */
export async function makeReadOnlyFolder(files: Populate): Promise<FsCondition | FsUnavailable> {
  const tried: string[] = [];

  // 1. chmod 0555: works for normal users, not for root (root bypasses the mode bits).
  {
    const dir = mkdtempSync(join(tmpdir(), 'ostinato-ro-'));
    await populate(dir, files);
    await fs.chmod(dir, 0o555);
    if (!canCreateIn(dir)) {
      let done = false;
      return {
        dir,
        method: 'chmod 0555 on a temp folder (real EACCES)',
        async cleanup() {
          if (done) return;
          done = true;
          await fs.chmod(dir, 0o755).catch(() => undefined);
          await fs.rm(dir, { recursive: true, force: true });
        },
      };
    }
    tried.push(isRoot() ? 'chmod 0555 does not stop root' : 'chmod 0555 did not stop writes');
    await fs.chmod(dir, 0o755);
    await fs.rm(dir, { recursive: true, force: true });
  }

  // 2. A tmpfs remounted read-only: EROFS from the kernel.
  {
    const m = await mountTinyTmpfs(64 * 1024, 'ostinato-rofs-');
    if ('dir' in m) {
      await populate(m.dir, files);
      try {
        remountTmpfs(m.dir, true);
        if (!canCreateIn(m.dir)) {
          return { dir: m.dir, method: 'tmpfs remounted read-only (real EROFS)', cleanup: m.cleanup };
        }
        tried.push('read-only tmpfs still accepted writes');
      } catch (e) {
        tried.push((e as Error).message);
      }
      await m.cleanup();
    } else tried.push(m.unavailable);
  }

  // 3. chattr +i (immutable directory): EPERM even for root, on ext2/3/4, xfs, btrfs.
  {
    const dir = mkdtempSync(join(tmpdir(), 'ostinato-immut-'));
    await populate(dir, files);
    const r = run('chattr', ['+i', dir]);
    if (r.ok && !canCreateIn(dir)) {
      let done = false;
      return {
        dir,
        method: 'chattr +i on a temp folder (real EPERM)',
        async cleanup() {
          if (done) return;
          done = true;
          run('chattr', ['-i', dir]);
          await fs.rm(dir, { recursive: true, force: true });
        },
      };
    }
    run('chattr', ['-i', dir]);
    tried.push(r.ok ? 'chattr +i did not stop writes' : `chattr +i failed (${r.err})`);
    await fs.rm(dir, { recursive: true, force: true });
  }
  return { unavailable: `no way to make a read-only folder here: ${tried.join('; ')}` };
}

/** Lists temp files left in `dir` by writeFileAtomic (".name.pid.hex.tmp"). */
export async function leftoverTempFiles(dir: string): Promise<string[]> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => atomicTempTarget(n) !== null);
}
