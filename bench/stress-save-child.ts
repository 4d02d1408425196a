/**
 * Child process for the kill-during-save tests: saves new versions of a file in a loop until it is
 * killed. After every complete save it prints `saved <version>` on stdout, so the parent knows the
 * loop is running and which version was last complete.
 *
 *   node --import tsx bench/stress-save-child.ts atomic <target> [bytes]
 *
 * Each version carries its own SHA-256 (bench/stress-versions.ts), so a torn file is detected.
 */
import { writeFileAtomic } from '../model/core/atomic-write.js';
import { checkVersionFile, makeVersion } from './stress-versions.js';

async function main(): Promise<void> {
  const [mode, target, bytesArg] = process.argv.slice(2);
  if (mode !== 'atomic' || !target) {
    process.stderr.write('usage: stress-save-child.ts atomic <target> [bytes]\n');
    process.exit(2);
  }
  const bytes = Number(bytesArg ?? 4_000_000);
  let version = 0;
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

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
