/**
 * Child process of the training kill test: trains (or resumes) a small model on a few Nottingham
 * tunes with trainModel, checkpointing every epoch, and prints one line per event so the parent can
 * kill it at a random moment and then check the folder:
 *
 *   started <epochs already done>      training is running (after a resume: the epoch it continues from)
 *   epoch <n>                          epoch n is complete and its checkpoint saved
 *   done <reason>
 *
 *   node --import tsx bench/stress-train-child.ts <model folder> <files> [epochs]
 *
 * Resumes when the folder holds a checkpoint, starts fresh otherwise (overwriting a folder that only
 * holds files of a killed first epoch).
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { loadPiecesFromPaths, trainModel, readManifest } from '../model/index.js';
import { loadSeedFiles, NOTTINGHAM_DIR } from './stress-fuzz.js';

/** Options of the small model: an epoch of a few hundred ms to ~1 s on one core. */
export const STRESS_TRAIN_OPTIONS = {
  name: 'stress',
  hiddenSize: 24,
  numLayers: 1,
  embeddingDim: 12,
  dropout: 0,
  seqLen: 32,
  batchSize: 16,
  learningRate: 0.005,
  transpose: 2,
  grid: '16th' as const,
  valFraction: 0.25,
  patience: 0,
  seed: 11,
  backend: 'cpu' as const,
};

async function main(): Promise<void> {
  const [dir, filesArg, epochsArg] = process.argv.slice(2);
  if (!dir) {
    process.stderr.write('usage: stress-train-child.ts <model folder> [files] [epochs]\n');
    process.exit(2);
  }
  const files = loadSeedFiles(Number(filesArg ?? 8)).map((f) => join(NOTTINGHAM_DIR, f.name));
  const { pieces } = await loadPiecesFromPaths(files, { grid: '16th' });
  const epochs = Number(epochsArg ?? 10_000);
  let resume = false;
  try {
    await readManifest(dir);
    resume = true;
  } catch {
    /* no checkpoint yet: fresh start */
  }
  const before = resume ? (await readManifest(dir)).state.epoch : 0;
  if (!resume) await fs.rm(dir, { recursive: true, force: true });
  await trainModel({
    pieces,
    outDir: dir,
    resume,
    options: { ...STRESS_TRAIN_OPTIONS, epochs },
    onEvent: (e) => {
      if (e.type === 'started') process.stdout.write(`started ${before}\n`);
      else if (e.type === 'epoch' && e.checkpointSaved) process.stdout.write(`epoch ${e.epoch}\n`);
      else if (e.type === 'done') process.stdout.write(`done ${e.reason}\n`);
    },
  });
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
