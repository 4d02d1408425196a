import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAndKill } from '../../bench/stress-kill.js';
import { loadModel } from '../checkpoint/load.js';
import { readBlob, readManifest, referencedFiles } from '../checkpoint/store.js';

/**
 * Crash safety: a child process training a model is killed with SIGKILL at a random moment (after
 * its first checkpoint: before, during or after later checkpoint saves). The folder must then load
 * (the last completed epoch, every checksum right), and resuming must continue from that epoch.
 */
test('SIGKILL during training leaves a loadable model that resumes', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'ostinato-crash-'));
  t.after(() => fs.rm(root, { recursive: true, force: true }));
  const dir = join(root, 'model');
  let resumeNext = false;
  for (let round = 0; round < 3; round++) {
    const delayMs = Math.floor(Math.random() * 1500);
    const run = await runAndKill({
      script: 'model/train/crash-child.fixture.ts',
      args: resumeNext ? [dir, 'resume', '1000'] : [dir],
      armOn: /"type":"epoch"/,
      delayMs,
      armTimeoutMs: 60_000,
    });
    const msg = `round ${round}, killed ${delayMs} ms after the first epoch line; stderr: ${run.stderr}`;
    assert.equal(run.ended, 'killed', msg);
    const epochLines = run.lines
      .filter((l) => l.includes('"type":"epoch"'))
      .map((l) => JSON.parse(l).epoch as number);
    assert.ok(epochLines.length >= 1, msg);
    const m = await loadModel(dir); // throws on any damage
    const manifest = await readManifest(dir);
    await readBlob(dir, manifest.resume!.optimizer);
    await readBlob(dir, manifest.resume!.weights);
    // The checkpoint is the last announced epoch, or the one being saved when the kill came.
    const last = epochLines.at(-1)!;
    assert.ok(
      m.info.epochs === last || m.info.epochs === last + 1,
      `${msg}: saved ${m.info.epochs}, last line ${last}`,
    );
    assert.equal(manifest.history.length, m.info.epochs);
    // Whatever else is in the folder is leftovers of the interrupted save, never something the manifest needs.
    const extra = readdirSync(dir).filter(
      (f) => f !== 'model.json' && !referencedFiles(manifest).includes(f),
    );
    assert.ok(
      extra.every((f) => f.endsWith('.tmp') || /^(weights|optimizer)-/.test(f)),
      `${msg}: ${extra}`,
    );
    resumeNext = true;
  }
  // A final resume for one more epoch completes cleanly and removes any leftovers.
  const before = (await readManifest(dir)).state.epoch;
  const run = await runAndKill({
    script: 'model/train/crash-child.fixture.ts',
    args: [dir, 'resume', String(before + 1)],
    armOn: /(?!)/,
    delayMs: 0,
    armTimeoutMs: 120_000,
  });
  assert.equal(run.ended, 'exited', run.stderr);
  assert.equal(run.exitCode, 0, run.stderr);
  const after = await readManifest(dir);
  assert.equal(after.state.epoch, before + 1);
  assert.deepEqual(readdirSync(dir).sort(), ['model.json', ...referencedFiles(after)].sort());
});
