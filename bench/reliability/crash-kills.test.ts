/**
 * Quick versions of the crash checks of `npm run stress` (bench/stress-checks.ts): training killed
 * with SIGKILL at random moments and resumed, kills during model and settings saves, and a full disk
 * or read-only folder while saving a model. Real conditions where this machine allows them (tmpfs
 * needs root); otherwise the test is skipped with the reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkHostSavesFullDisk,
  checkKillDuringBundleImport,
  checkKillDuringCorpusImport,
  checkKillDuringModelSave,
  checkKillDuringSettingsSave,
  checkModelSaveFullDisk,
  checkModelSaveReadOnly,
  checkTrainingKills,
  type CheckResult,
} from '../stress-checks.js';

const SEED = Number(process.env.OSTINATO_KILL_SEED ?? Date.now() % 100_000);

function report(t: { diagnostic(s: string): void; skip(s: string): void }, r: CheckResult): boolean {
  if (r.skipped) {
    t.skip(r.skipped);
    return false;
  }
  for (const line of r.lines) t.diagnostic(line);
  return true;
}

test(`training SIGKILLed at random moments resumes from its last checkpoint (seed ${SEED})`, async (t) => {
  const r = await checkTrainingKills({ runs: 3, seed: SEED, files: 6, maxDelayMs: 3000, armOn: 'epoch' });
  report(t, r);
  assert.deepEqual(r.problems, []);
  // Each run is killed after its first checkpoint, so runs 2 and 3 must have resumed.
  assert.match(r.lines[1], /; [23] runs resumed/);
});

test(`SIGKILL during model saves leaves a whole model (seed ${SEED})`, async (t) => {
  const r = await checkKillDuringModelSave({ runs: 3, seed: SEED });
  report(t, r);
  assert.deepEqual(r.problems, []);
});

test(`SIGKILL during model imports leaves only complete models (seed ${SEED})`, async (t) => {
  const r = await checkKillDuringBundleImport({ runs: 2, seed: SEED });
  report(t, r);
  assert.deepEqual(r.problems, []);
});

test(`SIGKILL during settings saves leaves whole settings (seed ${SEED})`, async (t) => {
  const r = await checkKillDuringSettingsSave({ runs: 2, seed: SEED });
  report(t, r);
  assert.deepEqual(r.problems, []);
});

test(`SIGKILL during corpus imports loses no listed file (seed ${SEED})`, async (t) => {
  const r = await checkKillDuringCorpusImport({ runs: 2, seed: SEED });
  report(t, r);
  assert.deepEqual(r.problems, []);
});

test('full disk while saving a model: clear error, previous version intact', async (t) => {
  const r = await checkModelSaveFullDisk();
  if (report(t, r)) assert.deepEqual(r.problems, []);
});

test('read-only folder while saving a model: clear error, previous version intact', async (t) => {
  const r = await checkModelSaveReadOnly();
  if (report(t, r)) assert.deepEqual(r.problems, []);
});

test('full disk while saving settings and importing MIDI: clear error, nothing lost, works again with room', async (t) => {
  const r = await checkHostSavesFullDisk();
  if (report(t, r)) assert.deepEqual(r.problems, []);
});
