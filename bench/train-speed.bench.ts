/**
 * Training and generation speed: Ostinato's LSTM core (1 thread and data-parallel worker threads)
 * against tfjs layers.lstm on the same backend and PyTorch on the CPU, on the same model (vocab 64,
 * embedding 64, one LSTM layer, batch 64 x 64 steps); generation speed of the stepper; peak memory
 * of each case (VmHWM of a child process per case).
 */
import { spawn } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import type { BenchContext, BenchItem, BenchModule, BenchReport } from './run';
import {
  BATCH,
  EMBEDDING,
  SEQ,
  VOCAB,
  type TrainSpeedCase,
  type TrainSpeedMeasure,
} from './train-speed-child';

const PYTHON = '/usr/bin/python3';

interface TorchMeasure {
  tokensPerSec: number;
  cpuMsPerBatch: number;
  wallMsPerBatch: number;
  peakRssMB: number;
  threads: number;
  torch: string;
}

function runChild(cmd: string, args: string[], cwd: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) resolve(last);
      else
        reject(
          new Error(
            `${cmd} ${args.join(' ')} failed (${signal ?? code}): ${err.trim().split('\n').slice(-3).join(' | ')}`,
          ),
        );
    });
  });
}

async function measure(ctx: BenchContext, c: TrainSpeedCase): Promise<TrainSpeedMeasure> {
  ctx.log(
    `  ${c.kind} hidden ${c.hidden}${c.kind === 'ostinato' ? `, ${c.threads} thread(s)` : ''}, ${c.steps} step(s)`,
  );
  const line = await runChild(
    process.execPath,
    ['--import', 'tsx', join(ctx.repoRoot, 'bench/train-speed-child.ts'), JSON.stringify(c)],
    ctx.repoRoot,
    15 * 60_000,
  );
  return JSON.parse(line) as TrainSpeedMeasure;
}

async function measureTorch(
  ctx: BenchContext,
  hidden: number,
  steps: number,
  threads: number,
): Promise<TorchMeasure | string> {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  ctx.log(`  pytorch hidden ${hidden}, ${threads} thread(s), ${steps} step(s)`);
  const args = [
    join(ctx.repoRoot, 'bench/torch_lstm.py'),
    '--hidden',
    String(hidden),
    '--steps',
    String(steps),
  ];
  args.push(
    '--batch',
    String(BATCH),
    '--seq',
    String(SEQ),
    '--vocab',
    String(VOCAB),
    '--embedding',
    String(EMBEDDING),
    '--threads',
    String(threads),
  );
  try {
    return JSON.parse(await runChild(PYTHON, args, ctx.repoRoot, 15 * 60_000)) as TorchMeasure;
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return /No module named 'torch'/.test(msg) ? 'python3 has no torch module' : msg.slice(0, 200);
  }
}

const DESIGN_NOTES = [
  'Training path (model/lstm/graph.ts): the matrix products run on tfjs (wasm: XNNPACK, SIMD, one core); the ' +
    'per-step cell math runs in JavaScript on matMul results read in place from the wasm heap; all four gate ' +
    'activations are one vectorised sigmoid (tanh(x) = 2 sigmoid(2x) - 1); per step there is one recurrent matMul ' +
    'forward and one backward; the weight gradients of all steps are one matMul each at the end. Gradients match ' +
    'tfjs layers.lstm to 1e-4 (model/lstm/graph.test.ts).',
  'What limits it (profile above): the matrix products are about 55-60% of the CPU time and run at 20-25 GFLOP/s, ' +
    'the single-core wasm peak measured here; the rest is the JavaScript cell math, transposes and uploads.',
  'tfjs-backend-wasm quirks found by profiling and worked around: Slice/SplitV/Gather copy the whole source tensor ' +
    'out of the wasm heap on every call (cutting a [4096, 1024] tensor into 64 steps cost 0.4 s); ' +
    'matMul(a, b, transposeA) is ~30x slower than an explicit transpose; Sum over axis 0 is slow (bias gradients ' +
    'are summed in JavaScript); XNNPACK packs the right-hand operand on every call, so dR is computed as ' +
    '(dZ^T hPrev)^T with the smaller operand on the right.',
  'Threads: the threaded wasm build of tfjs cannot start in Node 20 (tfjs sets WASM_HAS_MULTITHREAD_SUPPORT to ' +
    'false under Node; forcing it fails with ERR_WORKER_PATH because its pthread workers are created from blob: ' +
    'URLs). The `threads` option therefore trains data-parallel on worker threads (model/lstm/parallel.ts; ' +
    'OSTINATO_LSTM_HELPERS=process uses helper processes instead, whose CPU time and peak RSS are then added to ' +
    "the trainer's): each helper computes the gradients of some rows of the batch, the trainer sums them and " +
    'takes one Adam step (results equal to one thread, model/lstm/parallel.test.ts). Batches with B*T*H*H below ' +
    '2^24 stay on one thread, and every slice has at least 8 rows. The app does not assume threads help: each ' +
    'training times each available backend and then 1 thread against the split on its own batch shape, and keeps ' +
    'the fastest (model/lstm/setup.ts; see "Using several cores" below).',
];

/** Cores this process can actually get right now: CPU time / wall time of `threads` threads spinning
 * for `ms` (on a shared machine this is below the core count). */
export async function freeCores(threads: number, ms = 1000): Promise<number> {
  const spin = `const t = Date.now(); let x = 0; while (Date.now() - t < ${ms}) for (let i = 0; i < 1e5; i++) x += Math.sqrt(i);`;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const workers = Array.from({ length: threads }, () => new Worker(spin, { eval: true }));
  await Promise.all(workers.map((w) => new Promise((resolve) => w.on('exit', resolve))));
  const u = process.cpuUsage(c0);
  return (u.user + u.system) / 1000 / (performance.now() - t0);
}

const TABLE_HEAD =
  '| hidden | Ostinato 1 thread tokens/s | CPU ms | Ostinato 2 threads tokens/s | CPU ms | 2 threads / 1 | 2 threads / 1, paired batches (quartiles) | 2 independent runs / 1 | tfjs layers.lstm tokens/s | CPU ms | PyTorch 1 thread tokens/s | CPU ms | PyTorch 2 threads tokens/s | CPU ms | peak RSS MB (ours 1 / ours 2 / layers / torch 1 / torch 2) |';
const TABLE_RULE = '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|';

/** Interleaved rounds of the one-thread and split cases (full runs). */
const ROUNDS = 5;

/** The run with the median tokens/s. */
function median(runs: TrainSpeedMeasure[]): TrainSpeedMeasure {
  const sorted = [...runs].sort((a, b) => a.tokensPerSec! - b.tokensPerSec!);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

const fmt = (v: number | undefined, digits = 0) => (v === undefined ? '-' : v.toFixed(digits));

async function run(ctx: BenchContext): Promise<BenchReport> {
  const hiddens = ctx.quick ? [256] : [128, 256, 512];
  const cores = availableParallelism();
  const threadCounts = cores >= 2 ? [1, 2] : [1];
  const items: BenchItem[] = [];
  const rows: string[] = [];
  const notes: string[] = [];
  const loadBefore = loadavg()[0]!;
  const coresBefore = await freeCores(Math.max(2, cores));
  let profile: Record<string, number> | undefined;
  let kernels: TrainSpeedMeasure['kernels'];
  let profileCpu = 0;

  for (const hidden of hiddens) {
    const steps = ctx.quick ? 3 : hidden >= 512 ? 5 : 8;
    // One thread and the split, interleaved (1, 2, 1, 2, ...) so that slow spells of a shared
    // machine hit both; each is reported by its median run (by tokens/s).
    const runs: Record<number, TrainSpeedMeasure[]> = {};
    // Two independent one-thread trainings at once (summed tokens/s): what 2 cores of this machine
    // give at best right now, whatever the split, since the two share nothing but the hardware.
    const pairs: number[] = [];
    const rounds = ctx.quick ? 1 : ROUNDS;
    for (let round = 0; round < rounds; round++) {
      for (const threads of threadCounts) {
        const m = await measure(ctx, {
          kind: 'ostinato',
          hidden,
          threads,
          steps,
          profile: hidden === 256 && threads === 1 && round === 0,
        });
        (runs[threads] ??= []).push(m);
        if (m.phases) {
          profile = m.phases;
          kernels = m.kernels;
          profileCpu = m.cpuMsPerBatch!;
        }
      }
      if (threadCounts.length > 1) {
        const pair = await Promise.all(
          [0, 1].map(() => measure(ctx, { kind: 'ostinato', hidden, threads: 1, steps })),
        );
        pairs.push(pair[0]!.tokensPerSec! + pair[1]!.tokensPerSec!);
      }
    }
    const pairMedian = [...pairs].sort((a, b) => a - b)[Math.floor((pairs.length - 1) / 2)];
    // The ratio batch by batch, both trainers in one process (train-speed-child.ts, paired).
    let paired: { median: number; q1: number; q3: number; n: number } | undefined;
    if (threadCounts.length > 1) {
      const p = await measure(ctx, {
        kind: 'paired',
        hidden,
        threads: 2,
        steps: ctx.quick ? 6 : hidden >= 512 ? 12 : hidden >= 256 ? 24 : 40,
      });
      const r = p.pairedMs!.one.map((ms, k) => ms / p.pairedMs!.two[k]!).sort((a, b) => a - b);
      const at = (q: number) => r[Math.round(q * (r.length - 1))]!;
      paired = { median: at(0.5), q1: at(0.25), q3: at(0.75), n: r.length };
      items.push({
        name: `train.h${hidden}.ostinato_2threads_over_1_paired.ratio`,
        value: paired.median,
        unit: 'x',
      });
      notes.push(
        `Hidden ${hidden}, paired batches (${paired.n} pairs, one process): 2 threads / 1 thread median ` +
          `${paired.median.toFixed(2)}, quartiles ${paired.q1.toFixed(2)}-${paired.q3.toFixed(2)}.`,
      );
    }
    // The app's default training shape (batch 32, dropout 0.2) at its default hidden size.
    if (threadCounts.length > 1 && hidden === 256) {
      const p = await measure(ctx, {
        kind: 'paired',
        hidden,
        threads: 2,
        steps: ctx.quick ? 6 : 30,
        batch: 32,
        dropout: 0.2,
      });
      const r = p.pairedMs!.one.map((ms, k) => ms / p.pairedMs!.two[k]!).sort((a, b) => a - b);
      const at = (q: number) => r[Math.round(q * (r.length - 1))]!;
      const one = [...p.pairedMs!.one].sort((a, b) => a - b)[p.pairedMs!.one.length >> 1]!;
      const two = [...p.pairedMs!.two].sort((a, b) => a - b)[p.pairedMs!.two.length >> 1]!;
      items.push({
        name: 'train.h256.b32_dropout.ostinato_2threads_over_1_paired.ratio',
        value: at(0.5),
        unit: 'x',
      });
      notes.push(
        `Hidden 256 at the app's default batch 32 and dropout 0.2, paired batches (${r.length} pairs): 2 threads / 1 thread median ` +
          `${at(0.5).toFixed(2)}, quartiles ${at(0.25).toFixed(2)}-${at(0.75).toFixed(2)}; median ${one.toFixed(0)} ms (1 thread) and ${two.toFixed(0)} ms (2 threads) per 32 x 64 batch.`,
      );
    }
    const ours: Record<number, TrainSpeedMeasure> = {};
    for (const threads of threadCounts) {
      const m = median(runs[threads]!);
      ours[threads] = m;
      const id = `train.h${hidden}.ostinato${threads > 1 ? `_${threads}threads` : ''}`;
      items.push({ name: `${id}.tokens_per_s`, value: m.tokensPerSec!, unit: 'tokens/s' });
      items.push({ name: `${id}.cpu_ms_per_batch`, value: m.cpuMsPerBatch!, unit: 'ms' });
      items.push({ name: `${id}.peak_rss`, value: m.peakRssMB, unit: 'MB' });
    }
    if (rounds > 1)
      notes.push(
        `Hidden ${hidden}, every interleaved run (tokens/s): ` +
          threadCounts
            .map(
              (t) => `${t} thread${t > 1 ? 's' : ''} ${runs[t]!.map((m) => fmt(m.tokensPerSec)).join(', ')}`,
            )
            .join('; ') +
          (pairs.length
            ? `; two independent 1-thread runs at once, summed ${pairs.map((p) => fmt(p)).join(', ')}`
            : '') +
          (runs[2]
            ? `; per round, 2 threads / 1 thread ${runs[2].map((m, k) => (m.tokensPerSec! / runs[1]![k]!.tokensPerSec!).toFixed(2)).join(', ')}`
            : '') +
          '.',
      );
    const layers = await measure(ctx, {
      kind: 'tfjs-layers',
      hidden,
      threads: 1,
      steps: ctx.quick || hidden >= 512 ? 1 : 2,
    });
    const peerLayers = `tfjs layers.lstm (${layers.backend})`;
    items.push({
      name: `train.h${hidden}.tfjs_layers.tokens_per_s`,
      value: layers.tokensPerSec!,
      unit: 'tokens/s',
      peer: peerLayers,
    });
    items.push({
      name: `train.h${hidden}.tfjs_layers.cpu_ms_per_batch`,
      value: layers.cpuMsPerBatch!,
      unit: 'ms',
      peer: peerLayers,
    });
    items.push({
      name: `train.h${hidden}.tfjs_layers.peak_rss`,
      value: layers.peakRssMB,
      unit: 'MB',
      peer: peerLayers,
    });
    // PyTorch nn.LSTM with 1 and with 2 intra-op threads (torch.set_num_threads).
    const torchCells: Record<number, string[]> = {};
    for (const th of threadCounts) {
      const torch = await measureTorch(ctx, hidden, ctx.quick ? 2 : hidden >= 512 ? 3 : 5, th);
      if (typeof torch === 'string') {
        ctx.log(`  PyTorch not measured: ${torch}`);
        if (!notes.some((n) => n.startsWith('PyTorch not measured')))
          notes.push(`PyTorch not measured: ${torch} (install Debian's python3-torch).`);
        torchCells[th] = ['no torch', '-', '-'];
        continue;
      }
      const peer = `pytorch ${torch.torch} cpu, ${torch.threads} thread(s)`;
      const id = `train.h${hidden}.pytorch${th > 1 ? `_${th}threads` : ''}`;
      items.push({ name: `${id}.tokens_per_s`, value: torch.tokensPerSec, unit: 'tokens/s', peer });
      items.push({ name: `${id}.cpu_ms_per_batch`, value: torch.cpuMsPerBatch, unit: 'ms', peer });
      items.push({ name: `${id}.peak_rss`, value: torch.peakRssMB, unit: 'MB', peer });
      torchCells[th] = [fmt(torch.tokensPerSec), fmt(torch.cpuMsPerBatch), fmt(torch.peakRssMB)];
      if (!notes.some((n) => n.startsWith('PyTorch')))
        notes.push(
          `PyTorch ${torch.torch} from Debian (python3-torch), nn.LSTM, torch.set_num_threads(1 and 2).`,
        );
    }
    const o1 = ours[1]!;
    const o2 = ours[2];
    const t1 = torchCells[1] ?? ['-', '-', '-'];
    const t2 = torchCells[2] ?? ['-', '-', '-'];
    const ratio = o2 ? (o2.tokensPerSec! / o1.tokensPerSec!).toFixed(2) : '-';
    const ceiling = pairMedian !== undefined ? (pairMedian / o1.tokensPerSec!).toFixed(2) : '-';
    if (pairMedian !== undefined)
      items.push({
        name: `train.h${hidden}.two_independent_over_1.ratio`,
        value: pairMedian / o1.tokensPerSec!,
        unit: 'x',
      });
    if (o2)
      items.push({
        name: `train.h${hidden}.ostinato_2threads_over_1.ratio`,
        value: o2.tokensPerSec! / o1.tokensPerSec!,
        unit: 'x',
      });
    rows.push(
      `| ${hidden} | ${fmt(o1.tokensPerSec)} | ${fmt(o1.cpuMsPerBatch)} | ${o2 ? fmt(o2.tokensPerSec) : '-'} | ${o2 ? fmt(o2.cpuMsPerBatch) : '-'} | ${ratio} | ${paired ? `${paired.median.toFixed(2)} (${paired.q1.toFixed(2)}-${paired.q3.toFixed(2)})` : '-'} | ${ceiling} | ${fmt(layers.tokensPerSec)} | ${fmt(layers.cpuMsPerBatch)} | ${t1[0]} | ${t1[1]} | ${t2[0]} | ${t2[1]} | ${fmt(o1.peakRssMB)} / ${o2 ? fmt(o2.peakRssMB) : '-'} / ${fmt(layers.peakRssMB)} / ${t1[2]} / ${t2[2]} |`,
    );
  }

  const gen = await measure(ctx, {
    kind: 'generate',
    hidden: 256,
    threads: 1,
    steps: ctx.quick ? 2 : 5,
    engine: 'tfjs',
  });
  items.push({ name: 'generate.h256.1000x1.ms', value: gen.gen1000Ms!, unit: 'ms' });
  items.push({ name: 'generate.h256.8x256.ms', value: gen.gen8x256Ms!, unit: 'ms' });
  items.push({ name: 'generate.h256.peak_rss', value: gen.peakRssMB, unit: 'MB' });
  const genJs = await measure(ctx, {
    kind: 'generate',
    hidden: 256,
    threads: 1,
    steps: ctx.quick ? 1 : 3,
    engine: 'js',
  });
  items.push({ name: 'generate.h256.js_engine.1000x1.ms', value: genJs.gen1000Ms!, unit: 'ms' });
  items.push({ name: 'generate.h256.js_engine.8x256.ms', value: genJs.gen8x256Ms!, unit: 'ms' });
  const loadAfter = loadavg()[0]!;
  const coresAfter = await freeCores(Math.max(2, cores));
  items.push({ name: 'machine.free_cores_before', value: coresBefore, unit: 'cores' });
  items.push({ name: 'machine.free_cores_after', value: coresAfter, unit: 'cores' });

  const md: string[] = [];
  md.push(
    `Model: vocab ${VOCAB}, embedding ${EMBEDDING}, one LSTM layer, batch ${BATCH} x ${SEQ} steps, Adam, clipping; synthetic tokens. ` +
      `Tokens/s are wall-clock (target tokens per second); "CPU ms" is the CPU time of the whole process per batch ` +
      `(all threads), which is less disturbed by other load on the machine. Load average (1 min) ${loadBefore.toFixed(1)} before, ` +
      `${loadAfter.toFixed(1)} after on ${cores} cores; ${cores} spinning threads got ${coresBefore.toFixed(2)} cores before and ` +
      `${coresAfter.toFixed(2)} after (free cores). With other work running, wall-clock numbers are lower than on an idle ` +
      `machine, and the 2-thread numbers can only beat 1 thread when about 2 cores are free. ` +
      `Ostinato's 1- and 2-thread cases run ${ctx.quick ? 'once each' : `${ROUNDS} times each, interleaved, and the table shows the median run (every run is listed in the notes)`}. ` +
      `"Paired batches": a 1-thread and a 2-thread trainer in one process, batch by batch (1, 2, 2, 1, ...), the ratio of each pair's times; ` +
      `a pair runs within a second, so the machine's slow spells, which last seconds to minutes, hit both alike. ` +
      `"2 independent runs / 1" is the summed speed of two one-thread trainings run at once (median), over one thread: ` +
      `the most that 2 cores gave at the time, for any way of splitting the work.`,
  );
  md.push('');
  md.push('### Training');
  md.push('');
  md.push(TABLE_HEAD);
  md.push(TABLE_RULE);
  md.push(...rows);
  md.push('');
  md.push(
    '### Generation (createLstmStepper, hidden 256, one layer, sampling included; best of several runs)',
  );
  md.push('');
  md.push('| case | matrix products on tfjs (wasm), ms | plain JavaScript engine, ms | target |');
  md.push('|---|---|---|---|');
  md.push(`| 1,000 tokens, batch 1 | ${fmt(gen.gen1000Ms, 1)} | ${fmt(genJs.gen1000Ms, 1)} | < 100 |`);
  md.push(`| 8 variations x 256 tokens | ${fmt(gen.gen8x256Ms, 1)} | ${fmt(genJs.gen8x256Ms, 1)} | < 200 |`);
  md.push(`| peak RSS | ${fmt(gen.peakRssMB)} MB | ${fmt(genJs.peakRssMB)} MB | |`);
  md.push('');
  md.push(
    'The stepper uses tfjs for its matrix products when the wasm (or tfjs-node) backend is already initialised ' +
      '(call `initBackend()` first), else JavaScript loops; OSTINATO_STEPPER=js|tfjs forces one.',
  );
  if (profile) {
    md.push('');
    md.push(
      `### Where the time goes (hidden 256, 1 thread, CPU ms per batch; total ${profileCpu.toFixed(0)} ms)`,
    );
    md.push('');
    md.push('| phase | CPU ms | share |');
    md.push('|---|---|---|');
    const entries = Object.entries(profile).sort((a, b) => b[1] - a[1]);
    for (const [k, v] of entries)
      md.push(`| ${k} | ${v.toFixed(1)} | ${((100 * v) / profileCpu).toFixed(0)}% |`);
    const covered = entries.reduce((a, [, v]) => a + v, 0);
    md.push(
      `| other (batch setup, loss readback, GC) | ${(profileCpu - covered).toFixed(1)} | ${((100 * (profileCpu - covered)) / profileCpu).toFixed(0)}% |`,
    );
  }
  if (kernels?.length) {
    const total = kernels.reduce((a, k) => a + k.ms, 0);
    md.push('');
    md.push(
      `tf.profile of one batch (wall-clock kernel time ${total.toFixed(0)} ms, inflated like all wall times when the machine is busy; the per-step cell math in JavaScript is not included):`,
    );
    md.push('');
    md.push('| kernel | ms | calls |');
    md.push('|---|---|---|');
    for (const k of kernels.slice(0, 8)) md.push(`| ${k.name} | ${k.ms.toFixed(1)} | ${k.calls} |`);
  }
  notes.push(...DESIGN_NOTES);
  md.push('');
  md.push('### Notes');
  md.push('');
  md.push(...notes.map((n) => `- ${n}`));
  return { items, markdown: md.join('\n'), table: [TABLE_HEAD, TABLE_RULE, ...rows].join('\n') };
}

export const benchmark: BenchModule = { section: 'Training and generation speed', run };
