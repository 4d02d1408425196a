/**
 * Child process for the crash-safety test (train/crash.test.ts) and stress runs: trains a tiny model
 * into the folder given as argv[2] (resuming when argv[3] is "resume"), printing one JSON line per
 * training event, until it is killed or runs out of epochs.
 */
import { patternCorpus } from './train.fixture.js';
import { trainModel } from './train.js';

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: crash-child.fixture.ts <modelDir> [resume]');
  const resume = process.argv[3] === 'resume';
  const r = await trainModel({
    pieces: patternCorpus(12),
    outDir: dir,
    resume,
    overwrite: !resume,
    options: resume
      ? { epochs: Number(process.argv[4] ?? 1000) }
      : {
          hiddenSize: 24,
          numLayers: 1,
          embeddingDim: 8,
          seqLen: 16,
          batchSize: 4,
          epochs: 1000,
          learningRate: 0.005,
          transpose: 2,
          patience: 0, // never stop early: the run must still be training when the kill comes
        },
    onEvent: (e) => {
      if (e.type !== 'batch' || e.batch % 5 === 0) process.stdout.write(JSON.stringify(e) + '\n');
    },
  });
  process.stdout.write(JSON.stringify({ type: 'result', epochs: r.epochs, reason: r.reason }) + '\n');
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});
