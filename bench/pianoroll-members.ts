/**
 * Trains the members of a piano-roll benchmark run in child processes, `parallel` at a time, so a
 * machine with several cores trains several models in the time of one (each member uses one core).
 * The child (pianoroll-member-child.ts) gets the data and options over IPC, streams its log lines,
 * and sends back the member with its weights.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import type { BenchmarkMember, BenchmarkOptions, MemberTrainer } from './pianoroll/benchmark.js';
import type { PianoRollDataset } from './pianoroll/data.js';

export interface MemberJob {
  data: PianoRollDataset;
  options: Omit<BenchmarkOptions, 'onLog'>;
  index: number;
}

export type MemberReply =
  | { type: 'log'; line: string }
  | { type: 'done'; member: BenchmarkMember }
  | { type: 'error'; message: string };

const CHILD = join(__dirname, 'pianoroll-member-child.ts');

function trainInChild(job: MemberJob, log: (line: string) => void): Promise<BenchmarkMember> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [], {
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
    };
    child.on('message', (m: MemberReply) => {
      if (m.type === 'log') log(m.line);
      else if (m.type === 'done') settle(() => resolve(m.member));
      else settle(() => reject(new Error(`member ${job.index + 1}: ${m.message}`)));
    });
    child.on('error', (e) => settle(() => reject(e)));
    child.on('exit', (code, signal) =>
      settle(() =>
        reject(
          new Error(
            `member ${job.index + 1}: its process ended (${signal ?? `code ${code}`}) before it finished`,
          ),
        ),
      ),
    );
    child.send(job);
  });
}

/** A MemberTrainer that runs up to `parallel` members at once (default: one per core). */
export function trainMembersInProcesses(parallel = availableParallelism()): MemberTrainer {
  if (!Number.isInteger(parallel) || parallel < 1)
    throw new Error(`parallel must be an integer >= 1, got ${parallel}`);
  return async (data, opts, count) => {
    const { onLog, ...options } = opts;
    const log = onLog ?? (() => undefined);
    const out: BenchmarkMember[] = new Array(count);
    let next = 0;
    const lane = async () => {
      while (next < count) {
        const index = next++;
        out[index] = await trainInChild({ data, options, index }, log);
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, count) }, lane));
    return out;
  };
}
