/**
 * npm run eval:benchmarks -- [--data FILE ...] [--minutes M] [--json] [--references-only] [model/training flags]
 *
 * Frame-level NLL (nats per frame, test split) on the standard piano-roll benchmarks (JSB Chorales,
 * Nottingham) or any file in that format: the Bernoulli and Markov references, then the project's
 * LSTM on frame tokens (bench/pianoroll), or a mixture of several, each trained for M minutes on train
 * (members at once, one per core), selected on valid.
 * See docs/benchmarks.md, "Music quality".
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { loadPianoRoll, standardDatasetPath } from './pianoroll/data.js';
import { FRAME_CODINGS, type FrameCoding } from './pianoroll/frames.js';
import { trainMembersInProcesses } from './pianoroll-members.js';
import { availableParallelism } from 'node:os';
import {
  benchmarkOptionsFor,
  DEFAULT_BENCHMARK_OPTIONS,
  TUNED_BENCHMARK_OPTIONS,
  runBenchmark,
  trainMembersInTurn,
  type BenchmarkOptions,
  type BenchmarkResult,
} from './pianoroll/benchmark.js';

const repoRoot = resolve(__dirname, '..');

const PUBLISHED: Record<string, [string, number][]> = {
  'jsb-chorales': [
    ['LSTM (Bai et al. 2018)', 8.45],
    ['TCN (Bai et al. 2018)', 8.1],
    ['RNN-NADE (Boulanger-Lewandowski et al. 2012)', 5.19],
    ['DMM-Aug-NADE* (Krishnan et al. 2017)', 5.12],
  ],
  nottingham: [
    ['LSTM (Bai et al. 2018)', 3.29],
    ['TCN (Bai et al. 2018)', 3.07],
    ['RNN-NADE (Boulanger-Lewandowski et al. 2012)', 2.31],
    ['DMM-Aug-NADE* (Krishnan et al. 2017)', 2.31],
  ],
};

function num(name: string, v: string | undefined, fallback: number, int = false): number {
  if (v === undefined) return fallback;
  const x = Number(v);
  if (!Number.isFinite(x) || (int && !Number.isInteger(x)))
    throw new Error(`--${name} must be ${int ? 'an integer' : 'a number'}, got "${v}"`);
  return x;
}

async function main() {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', multiple: true },
      minutes: { type: 'string' },
      json: { type: 'boolean', default: false },
      'references-only': { type: 'boolean', default: false },
      coding: { type: 'string' },
      members: { type: 'string' },
      parallel: { type: 'string' },
      hidden: { type: 'string' },
      layers: { type: 'string' },
      embedding: { type: 'string' },
      dropout: { type: 'string' },
      lr: { type: 'string' },
      batch: { type: 'string' },
      'seq-len': { type: 'string' },
      transpose: { type: 'string' },
      seed: { type: 'string' },
      'valid-every': { type: 'string' },
      'max-epochs': { type: 'string' },
      'max-train-pieces': { type: 'string' },
      'valid-pieces': { type: 'string' },
      'no-valid-score': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(
      'usage: npm run eval:benchmarks -- [--data FILE ...] [--minutes M (per member)] [--json] [--references-only]\n' +
        '  [--coding pitch-sets|pitch-changes] [--members N (a mixture of N models)] [--parallel P (members trained at once; default: cores)]\n' +
        '  [--hidden H] [--layers L] [--embedding E] [--dropout P] [--lr LR] [--batch B] [--seq-len T] [--transpose S]\n' +
        '  [--seed N] [--valid-every BATCHES] [--valid-pieces N (select on N valid pieces)] [--no-valid-score]\n' +
        '  [--max-epochs N] [--max-train-pieces N]\n' +
        'Defaults: the settings of the best runs in docs/benchmarks.md for jsb-chorales and nottingham\n' +
        `  (${JSON.stringify(TUNED_BENCHMARK_OPTIONS)}), otherwise ${JSON.stringify({ ...DEFAULT_BENCHMARK_OPTIONS, onLog: undefined })}.`,
    );
    return;
  }
  if (values.coding !== undefined && !FRAME_CODINGS.includes(values.coding as FrameCoding))
    throw new Error(`--coding must be one of ${FRAME_CODINGS.join(', ')}, got "${values.coding}"`);
  const parallel = num('parallel', values.parallel, availableParallelism(), true);
  // Flags override the per-dataset settings (benchmarkOptionsFor: the best runs' settings for the
  // standard sets, DEFAULT_BENCHMARK_OPTIONS for other files).
  const optionsFor = (dataset: string): BenchmarkOptions => {
    const d = benchmarkOptionsFor(dataset);
    const minutes = num('minutes', values.minutes, d.seconds / 60);
    if (!(minutes > 0)) throw new Error('--minutes must be > 0');
    return {
      ...d,
      model: {
        hiddenSize: num('hidden', values.hidden, d.model.hiddenSize, true),
        numLayers: num('layers', values.layers, d.model.numLayers, true),
        embeddingDim: num('embedding', values.embedding, d.model.embeddingDim, true),
        dropout: num('dropout', values.dropout, d.model.dropout),
      },
      coding: (values.coding as FrameCoding | undefined) ?? d.coding,
      members: num('members', values.members, d.members, true),
      learningRate: num('lr', values.lr, d.learningRate),
      batchSize: num('batch', values.batch, d.batchSize, true),
      seqLen: num('seq-len', values['seq-len'], d.seqLen, true),
      transpose: num('transpose', values.transpose, d.transpose, true),
      seed: num('seed', values.seed, d.seed, true),
      validEvery: num('valid-every', values['valid-every'], d.validEvery, true),
      maxEpochs:
        values['max-epochs'] === undefined ? d.maxEpochs : num('max-epochs', values['max-epochs'], 0, true),
      seconds: minutes * 60,
      validPieces:
        values['valid-pieces'] === undefined
          ? d.validPieces
          : num('valid-pieces', values['valid-pieces'], 0, true),
      scoreValid: values['no-valid-score'] ? false : (d.scoreValid ?? true),
      referencesOnly: values['references-only'],
      onLog: values.json ? (l) => console.error(l) : (l) => console.log(l),
    };
  };
  const files = values.data?.length
    ? values.data.map((f) => resolve(f))
    : [standardDatasetPath(repoRoot, 'jsb-chorales'), standardDatasetPath(repoRoot, 'nottingham')];
  const maxTrain =
    values['max-train-pieces'] === undefined
      ? Infinity
      : num('max-train-pieces', values['max-train-pieces'], 0, true);
  const results: BenchmarkResult[] = [];
  const started = new Date().toISOString();
  for (const f of files) {
    const data = loadPianoRoll(f);
    if (maxTrain < data.train.length) data.train = data.train.slice(0, maxTrain);
    const o = optionsFor(data.name);
    results.push(
      await runBenchmark(data, o, o.members > 1 ? trainMembersInProcesses(parallel) : trainMembersInTurn),
    );
  }
  if (values.json) {
    console.log(
      JSON.stringify({ started, finished: new Date().toISOString(), node: process.version, results }),
    );
    return;
  }
  console.log('\nTest NLL, nats per predicted frame (frames 2..T), lower is better');
  for (const r of results) {
    console.log(
      `\n${r.dataset} (${r.pieces.train}/${r.pieces.valid}/${r.pieces.test} pieces, ${r.predictedFrames.test} test frames)`,
    );
    const rows: [string, string][] = [
      [
        'Bernoulli per key (ours)',
        `${r.references.bernoulli.test.toFixed(2)} (all frames: ${r.references.bernoulli.testAllFrames.toFixed(2)})`,
      ],
      ['Markov per key (ours)', r.references.markov.test.toFixed(2)],
    ];
    if (r.lstm) {
      const l = r.lstm;
      const n = l.members.length;
      rows.push([
        `LSTM on ${l.coding} tokens (ours, ${n > 1 ? `mixture of ${n} x ` : ''}${l.parameters} params, ${(l.trainSeconds / 60).toFixed(1)} min)`,
        `${l.testNll.toFixed(2)}${l.validNll === null ? '' : ` (valid ${l.validNll.toFixed(2)})`}`,
      ]);
      if (n > 1)
        l.members.forEach((m, i) =>
          rows.push([
            `  member ${i + 1} alone (seed ${m.seed}, ${m.epochs.toFixed(1)} epochs)`,
            m.testNll.toFixed(2),
          ]),
        );
    }
    for (const [name, v] of PUBLISHED[r.dataset] ?? []) rows.push([name, v.toFixed(2)]);
    for (const [a, b] of rows) console.log(`  ${a.padEnd(62)} ${b}`);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
