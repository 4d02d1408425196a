/**
 * Child process for the kill-during-save tests: saves new versions in a loop until it is killed.
 * After every complete save it prints `saved <version>` on stdout, so the parent knows the loop is
 * running and which version was last complete.
 *
 *   node --import tsx bench/stress-save-child.ts atomic <file> [bytes]   writeFileAtomic, self-checking JSON
 *   node --import tsx bench/stress-save-child.ts model <folder> [hidden]  saveCheckpoint of a model folder
 *   node --import tsx bench/stress-save-child.ts settings <userData>      SettingsStore.update (main/services)
 *
 * Atomic mode: each version carries its own SHA-256 (bench/stress-versions.ts), so a torn file is
 * detected. Model mode: state.epoch is the version; bench/stress-model.ts checks the folder.
 * Settings mode: the saved window's x is the version.
 */
import { writeFileAtomic } from '../model/core/atomic-write.js';
import { readManifest, saveCheckpoint } from '../model/checkpoint/store.js';
import { SettingsStore } from '../main/services/settings.js';
import { syntheticCheckpoint } from './stress-model.js';
import { checkVersionFile, makeVersion } from './stress-versions.js';

async function main(): Promise<void> {
  const [mode, target, sizeArg] = process.argv.slice(2);
  if (!['atomic', 'model', 'settings'].includes(mode) || !target) {
    process.stderr.write('usage: stress-save-child.ts atomic|model|settings <target> [size]\n');
    process.exit(2);
  }
  let version = 0;
  if (mode === 'atomic') {
    const bytes = Number(sizeArg ?? 4_000_000);
    try {
      version = checkVersionFile(target);
    } catch {
      /* first run: no file yet */
    }
    for (;;) {
      version++;
      await writeFileAtomic(target, makeVersion(version, bytes));
      process.stdout.write(`saved ${version}\n`);
    }
  }
  if (mode === 'settings') {
    const store = new SettingsStore(target);
    version = (await store.load()).window?.x ?? 0;
    for (;;) {
      version++;
      await store.update({
        window: { x: version, y: 20, width: 1200, height: 800 },
        corpusGrid: version % 2 ? '8th' : '16th',
      });
      process.stdout.write(`saved ${version}\n`);
    }
  }
  const hidden = Number(sizeArg ?? 96);
  try {
    version = (await readManifest(target)).state.epoch;
  } catch {
    /* first run: no model yet */
  }
  for (;;) {
    version++;
    const { content, tensors } = syntheticCheckpoint(version, hidden);
    await saveCheckpoint(target, content, tensors);
    process.stdout.write(`saved ${version}\n`);
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
