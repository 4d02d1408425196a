/**
 * SIGKILL harness: starts a child (through tsx) that prints progress lines, waits until a chosen
 * line, then kills it after a random delay. Shared by the reliability tests and `npm run stress`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..');

export interface KillRun {
  /** Every stdout line the child printed before it died. */
  lines: string[];
  /** ms from start to the kill. */
  killedAfterMs: number;
  /** How the child ended: 'killed' (our SIGKILL), or its own exit before the kill. */
  ended: 'killed' | 'exited';
  exitCode: number | null;
  stderr: string;
}

export interface KillOptions {
  /** Script relative to the repo root, and its arguments. */
  script: string;
  args: string[];
  /** Start the random delay only once a line matches this (e.g. the first "saved"). */
  armOn: RegExp;
  /** Random delay after arming, in ms. */
  delayMs: number;
  /** Give up (and kill) if not armed within this time. */
  armTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export function spawnTsx(script: string, args: string[], env?: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', resolve(REPO_ROOT, script), ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
}

/** Runs the child, SIGKILLs it `delayMs` after the first line matching `armOn`, collects its output. */
export function runAndKill(o: KillOptions): Promise<KillRun> {
  return new Promise((resolvePromise, reject) => {
    const t0 = Date.now();
    const child = spawnTsx(o.script, o.args, o.env);
    const lines: string[] = [];
    let buf = '';
    let stderr = '';
    let armed = false;
    let killedAt = -1;
    const kill = (): void => {
      if (killedAt < 0 && child.exitCode === null && child.signalCode === null) {
        killedAt = Date.now() - t0;
        child.kill('SIGKILL');
      }
    };
    const armTimer = setTimeout(() => {
      if (!armed) kill();
    }, o.armTimeoutMs ?? 60_000);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      buf += chunk;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        lines.push(line);
        if (!armed && o.armOn.test(line)) {
          armed = true;
          setTimeout(kill, o.delayMs);
        }
      }
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (c: string) => {
      if (stderr.length < 20_000) stderr += c;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(armTimer);
      if (buf) lines.push(buf);
      resolvePromise({
        lines,
        killedAfterMs: killedAt >= 0 ? killedAt : Date.now() - t0,
        ended: signal === 'SIGKILL' && killedAt >= 0 ? 'killed' : 'exited',
        exitCode: code,
        stderr,
      });
    });
  });
}
