/**
 * Runs importer fuzz cases in worker processes, with a per-case time limit and a memory cap, and
 * counts the outcomes. A worker that dies during a case is a crash, one that does not answer within
 * the time limit is a hang (it is killed), one whose RSS passes the cap is killed and counted as over
 * memory; each is replaced by a fresh worker and the run goes on.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fuzzCase, type FuzzCase } from './stress-fuzz.js';

type RunCase = FuzzCase & { selfTest?: 'hang' | 'crash' | 'memory' };
import type { FuzzReply } from './stress-fuzz-child.js';
import { REPO_ROOT } from './stress-kill.js';

export interface FuzzOptions {
  seed: number;
  count: number;
  seeds: { name: string; bytes: Uint8Array }[];
  workers?: number;
  /**
   * Per-case limit (default 2000 ms) on the CPU time of the case, so that a busy shared machine does
   * not turn slow-but-fine cases into "hangs"; a worker that has not answered after `killAfterMs` of
   * wall time (default max(10 s, 5 x the limit)) is killed and counted as a hang.
   */
  timeoutMs?: number;
  killAfterMs?: number;
  memLimitMiB?: number; // heap limit and RSS cap of each worker (default 512)
  /** Where to write the bytes of every case that crashed, hung, went over memory or threw a raw error. */
  failuresDir?: string;
  onProgress?: (done: number, total: number) => void;
  /** Internal: run these calibration cases instead of fuzz cases (see calibrateHarness). */
  selfTests?: Omit<RunCase, 'index'>[];
}

export interface FuzzFailure {
  index: number;
  name: string;
  kind: string;
  what: 'crash' | 'hang' | 'over-memory' | 'raw-error';
  message: string;
}

export interface FuzzStats {
  seed: number;
  cases: number;
  imported: number;
  cleanErrors: number;
  rawErrors: number;
  crashes: number;
  hangs: number;
  overMemory: number;
  /** Longest wall-clock time of a case (inflated by other load on the machine). */
  maxMs: number;
  maxMsCase: string;
  /** Longest CPU time of a case. */
  maxCpuMs: number;
  maxCpuMsCase: string;
  /** Cases over the limit in wall-clock time only (not hangs: slowed by other load). */
  slowWallOnly: number;
  meanMs: number;
  /** Highest RSS high-water mark of any worker (includes Node + tsx, ~60-100 MiB at rest). */
  peakRssBytes: number;
  peakRssCase: string;
  peakHeapBytes: number;
  workerRestarts: number;
  wallSeconds: number;
  byKind: Record<string, { cases: number; imported: number; cleanErrors: number; bad: number }>;
  failures: FuzzFailure[];
  /** A few clean error messages, to show what users read. */
  sampleErrors: string[];
}

function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export async function runFuzz(o: FuzzOptions): Promise<FuzzStats> {
  const timeoutMs = o.timeoutMs ?? 2000;
  const killAfterMs = o.killAfterMs ?? Math.max(10_000, 5 * timeoutMs);
  const memLimit = (o.memLimitMiB ?? 512) * 1024 * 1024;
  const nWorkers = Math.max(1, o.workers ?? 2);
  const stats: FuzzStats = {
    seed: o.seed,
    cases: 0,
    imported: 0,
    cleanErrors: 0,
    rawErrors: 0,
    crashes: 0,
    hangs: 0,
    overMemory: 0,
    maxMs: 0,
    maxMsCase: '',
    maxCpuMs: 0,
    maxCpuMsCase: '',
    slowWallOnly: 0,
    meanMs: 0,
    peakRssBytes: 0,
    peakRssCase: '',
    peakHeapBytes: 0,
    workerRestarts: 0,
    wallSeconds: 0,
    byKind: {},
    failures: [],
    sampleErrors: [],
  };
  const t0 = Date.now();
  let next = 0;
  let sumMs = 0;
  const kindOf = (c: FuzzCase) =>
    (stats.byKind[c.kind] ??= { cases: 0, imported: 0, cleanErrors: 0, bad: 0 });
  const fail = (c: FuzzCase, what: FuzzFailure['what'], message: string): void => {
    stats.failures.push({ index: c.index, name: c.name, kind: c.kind, what, message });
    kindOf(c).bad++;
    if (o.failuresDir) {
      mkdirSync(o.failuresDir, { recursive: true });
      writeFileSync(join(o.failuresDir, c.name), c.bytes);
    }
  };

  const startWorker = (): Promise<ChildProcess> =>
    new Promise((res, rej) => {
      const child = fork(resolve(REPO_ROOT, 'bench/stress-fuzz-child.ts'), [], {
        cwd: REPO_ROOT,
        execArgv: ['--import', 'tsx', `--max-old-space-size=${o.memLimitMiB ?? 512}`],
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      child.stderr!.resume(); // V8's OOM report goes there; the exit is what counts
      const onMsg = (m: { ready?: boolean }) => {
        if (m.ready) {
          child.off('message', onMsg);
          res(child);
        }
      };
      child.on('message', onMsg);
      child.once('exit', (code, sig) => rej(new Error(`fuzz worker failed to start (${code ?? sig})`)));
    });

  /** One case on one worker; resolves with the worker to use next (a new one after a failure). */
  const runOne = (child: ChildProcess, c: RunCase): Promise<{ child: ChildProcess; dead: boolean }> =>
    new Promise((res) => {
      let settled = false;
      const finish = (dead: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearInterval(sampler);
        child.off('message', onMsg);
        child.off('exit', onExit);
        if (dead && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        res({ child, dead });
      };
      const onMsg = (r: FuzzReply) => {
        if (r.index !== c.index) return;
        stats.cases++;
        kindOf(c).cases++;
        sumMs += r.ms;
        if (r.ms > stats.maxMs) {
          stats.maxMs = r.ms;
          stats.maxMsCase = c.name;
        }
        if (r.cpuMs > stats.maxCpuMs) {
          stats.maxCpuMs = r.cpuMs;
          stats.maxCpuMsCase = c.name;
        }
        if (r.maxRss > stats.peakRssBytes) {
          stats.peakRssBytes = r.maxRss;
          stats.peakRssCase = c.name;
        }
        stats.peakHeapBytes = Math.max(stats.peakHeapBytes, r.heapUsed);
        if (r.outcome === 'imported') {
          stats.imported++;
          kindOf(c).imported++;
        } else if (r.outcome === 'clean-error') {
          stats.cleanErrors++;
          kindOf(c).cleanErrors++;
          if (
            stats.sampleErrors.length < 12 &&
            !stats.sampleErrors.some((s) => s.split(': ')[1] === r.message.split(': ')[1])
          )
            stats.sampleErrors.push(r.message);
        } else {
          stats.rawErrors++;
          fail(c, 'raw-error', r.message);
        }
        if (r.cpuMs > timeoutMs) {
          // Answered, but the case itself needed more CPU time than the limit.
          stats.hangs++;
          fail(c, 'hang', `took ${r.cpuMs.toFixed(0)} ms of CPU (${r.ms.toFixed(0)} ms wall)`);
        } else if (r.ms > timeoutMs) stats.slowWallOnly++;
        if (r.maxRss > memLimit) {
          stats.overMemory++;
          fail(c, 'over-memory', `RSS high-water ${(r.maxRss / 1048576).toFixed(0)} MiB`);
          finish(true); // start a fresh worker so the high-water mark means the next cases again
          return;
        }
        finish(false);
      };
      const onExit = (code: number | null, sig: string | null) => {
        stats.cases++;
        kindOf(c).cases++;
        stats.crashes++;
        fail(c, 'crash', `worker exited (${code ?? sig}) during the case`);
        finish(true);
      };
      const timer = setTimeout(() => {
        stats.cases++;
        kindOf(c).cases++;
        stats.hangs++;
        fail(c, 'hang', `no answer within ${killAfterMs} ms (killed)`);
        finish(true);
      }, killAfterMs);
      const sampler = setInterval(() => {
        const rss = rssOf(child.pid!);
        if (rss > memLimit) {
          stats.cases++;
          kindOf(c).cases++;
          stats.overMemory++;
          if (rss > stats.peakRssBytes) {
            stats.peakRssBytes = rss;
            stats.peakRssCase = c.name;
          }
          fail(c, 'over-memory', `RSS ${(rss / 1048576).toFixed(0)} MiB (killed)`);
          finish(true);
        }
      }, 25);
      child.on('message', onMsg);
      child.once('exit', onExit);
      child.send({ index: c.index, name: c.name, bytes: c.bytes, selfTest: c.selfTest });
    });

  const lane = async (): Promise<void> => {
    let child = await startWorker();
    while (next < o.count) {
      const c: RunCase = o.selfTests
        ? { ...o.selfTests[next], index: next++ }
        : fuzzCase(o.seed, next++, o.seeds);
      const r = await runOne(child, c);
      o.onProgress?.(stats.cases, o.count);
      if (r.dead) {
        stats.workerRestarts++;
        child = await startWorker();
      }
    }
    child.kill('SIGKILL');
  };
  await Promise.all(Array.from({ length: nWorkers }, lane));
  stats.meanMs = stats.cases ? sumMs / stats.cases : 0;
  stats.wallSeconds = (Date.now() - t0) / 1000;
  return stats;
}

/**
 * Proves the harness sees what it must count: a worker that spins forever (hang), one that aborts
 * (crash) and one that allocates without bound (over memory). Returns the three counts (each must be 1).
 */
export async function calibrateHarness(
  memLimitMiB = 512,
  killAfterMs = 3000,
): Promise<{ hangs: number; crashes: number; overMemory: number; seconds: number }> {
  const none = new Uint8Array(0);
  const s = await runFuzz({
    seed: 0,
    count: 3,
    seeds: [],
    workers: 1,
    memLimitMiB,
    killAfterMs,
    selfTests: [
      { name: 'calibration-hang.mid', kind: 'calibration', bytes: none, selfTest: 'hang' },
      { name: 'calibration-crash.mid', kind: 'calibration', bytes: none, selfTest: 'crash' },
      { name: 'calibration-memory.mid', kind: 'calibration', bytes: none, selfTest: 'memory' },
    ],
  });
  return { hangs: s.hangs, crashes: s.crashes, overMemory: s.overMemory, seconds: s.wallSeconds };
}
