/**
 * Child process for the kill-during-save tests: saves new versions in a loop until it is killed.
 * After every complete save it prints `saved <version>` on stdout, so the parent knows the loop is
 * running and which version was last complete.
 *
 *   node --import tsx bench/stress-save-child.ts atomic <file> [bytes]   writeFileAtomic, self-checking JSON
 *   node --import tsx bench/stress-save-child.ts model <folder> [hidden]  saveCheckpoint of a model folder
 *   node --import tsx bench/stress-save-child.ts settings <userData>      SettingsStore.update (main/services)
 *   node --import tsx bench/stress-save-child.ts corpus <corpus dir>      CorpusStore import/remove (main/services)
 *   node --import tsx bench/stress-save-child.ts bundle <library dir>     importModelBundle of a .ostinato file as m1, m2...
 *
 * Atomic mode: each version carries its own SHA-256 (bench/stress-versions.ts), so a torn file is
 * detected. Model mode: state.epoch is the version; bench/stress-model.ts checks the folder.
 * Settings mode: the saved window's x is the version. Corpus mode: imports 3 tunes and a broken file,
 * and removes one entry every 4th step; prints `op <count if it completes>` before each step and
 * `saved <count>` after it.
 */
import {
  writeFileAtomic,
  readManifest,
  saveCheckpoint,
  exportModelBundle,
  importModelBundle,
} from '../model/index.js';
import { SettingsStore } from '../main/services/settings.js';
import { CorpusStore } from '../main/services/corpus-store.js';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { NOTTINGHAM_DIR } from './stress-fuzz.js';
import { syntheticCheckpoint } from './stress-model.js';
import { checkVersionFile, makeVersion } from './stress-versions.js';

async function main(): Promise<void> {
  const [mode, target, sizeArg] = process.argv.slice(2);
  if (!['atomic', 'model', 'settings', 'corpus', 'bundle'].includes(mode) || !target) {
    process.stderr.write('usage: stress-save-child.ts atomic|model|settings|corpus|bundle <target> [size]\n');
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
  if (mode === 'bundle') {
    const src = join(target, '.source');
    const { content, tensors } = syntheticCheckpoint(1, Number(sizeArg ?? 96));
    await saveCheckpoint(src, content, tensors);
    const bytes = await exportModelBundle(src);
    const existing = readdirSync(target).filter((n) => /^m\d+$/.test(n));
    for (let i = existing.length + 1; ; i++) {
      await importModelBundle(bytes, join(target, `m${i}`), 'model.ostinato');
      process.stdout.write(`saved ${i}\n`);
    }
  }
  if (mode === 'corpus') {
    const store = new CorpusStore(target, () => '16th');
    await store.load();
    // Tunes with distinct contents (the folder has a few identical files, which the corpus skips).
    const seen = new Set<string>();
    const tunes = readdirSync(NOTTINGHAM_DIR)
      .filter((n) => n.endsWith('.mid'))
      .sort()
      .filter((n) => {
        const h = createHash('sha256')
          .update(readFileSync(join(NOTTINGHAM_DIR, n)))
          .digest('hex');
        if (seen.has(h)) return false;
        seen.add(h);
        return true;
      });
    let next = Math.max(-1, ...store.list().map((f) => tunes.indexOf(f.name))) + 1;
    for (let step = 1; ; step++) {
      const count = store.list().length;
      if (step % 4 === 0 && count > 0) {
        process.stdout.write(`op ${count - 1}\n`);
        await store.remove([store.list()[0].id]);
      } else {
        const batch = tunes.slice(next, next + 3);
        next += 3;
        process.stdout.write(`op ${count + batch.length}\n`);
        const files = batch.map((name) => ({
          name,
          data: new Uint8Array(readFileSync(join(NOTTINGHAM_DIR, name))),
        }));
        files.push({
          name: `broken-${step}.mid`,
          data: Uint8Array.from([0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 1]),
        });
        const r = await store.import(files);
        if (r.skipped.length !== 1) throw new Error(`unexpected skips: ${JSON.stringify(r.skipped)}`);
      }
      process.stdout.write(`saved ${store.list().length}\n`);
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
