/** Child process of pianoroll-members.ts: trains one member of a benchmark run. */
import { trainBenchmarkMember } from './pianoroll/benchmark.js';
import type { MemberJob, MemberReply } from './pianoroll-members.js';

const send = (m: MemberReply) =>
  new Promise<void>((resolve, reject) => process.send!(m, undefined, {}, (e) => (e ? reject(e) : resolve())));

process.once('message', (job: MemberJob) => {
  trainBenchmarkMember(
    job.data,
    { ...job.options, onLog: (line) => void send({ type: 'log', line }) },
    job.index,
  )
    .then((member) => send({ type: 'done', member }))
    .catch((err) => send({ type: 'error', message: err instanceof Error ? err.message : String(err) }))
    .finally(() => process.disconnect());
});
