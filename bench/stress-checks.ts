/**
 * The checks of `npm run stress`, each a function that returns its numbers and whether everything
 * held. The quick reliability tests (bench/reliability/*.test.ts) call the same functions with small
 * counts, so the test and the stress run cannot drift apart.
 */
import { promises as fs, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../model/common/rng.js';
import { saveCheckpoint } from '../model/checkpoint/store.js';
import { loadModel } from '../model/checkpoint/load.js';
import { CorpusStore } from '../main/services/corpus-store.js';
import { SettingsStore } from '../main/services/settings.js';
import { calibrateHarness, runFuzz, type FuzzStats } from './stress-fuzz-run.js';
import { loadSeedFiles } from './stress-fuzz.js';
import { leftoverTempFiles, makeReadOnlyFolder, mountTinyTmpfs } from './stress-fs.js';
import { runAndKill, type KillRun } from './stress-kill.js';
import { checkModelFolder, syntheticCheckpoint } from './stress-model.js';
import { checkVersionFile } from './stress-versions.js';

export interface CheckResult {
  id: string;
  title: string;
  ok: boolean;
  /** Markdown lines for docs/reliability.md. */
  lines: string[];
  /** What went wrong (empty when ok); also used as test failure messages. */
  problems: string[];
  /** Set when the check could not run here (the reason); ok is then true only if nothing else failed. */
  skipped?: string;
}

const MiB = 1024 * 1024;

/** Runs (of `runs`) without a problem; problems start with "run N". */
function cleanRuns(runs: number, problems: string[]): number {
  return runs - new Set(problems.map((p) => /^run (\d+)/.exec(p)?.[1] ?? p)).size;
}
const fmtMiB = (b: number) => `${(b / MiB).toFixed(0)} MiB`;

async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => fs.rm(dir, { recursive: true, force: true }) };
}

// ---- 1. MIDI importer fuzz -------------------------------------------------------------------------

export interface FuzzCheckOptions {
  seed: number;
  count: number;
  seedFiles?: number; // how many real files to mutate (spread over the folder)
  workers?: number;
  timeoutMs?: number;
  memLimitMiB?: number;
  calibrate?: boolean;
  failuresDir?: string;
  onProgress?: (done: number, total: number) => void;
}

export async function checkImporterFuzz(o: FuzzCheckOptions): Promise<CheckResult & { stats: FuzzStats }> {
  const problems: string[] = [];
  const lines: string[] = [];
  const memLimitMiB = o.memLimitMiB ?? 512;
  const timeoutMs = o.timeoutMs ?? 2000;
  if (o.calibrate) {
    const c = await calibrateHarness(memLimitMiB);
    lines.push(
      `- Harness calibration: a worker that spins forever, one that dies and one that allocates without bound were detected as ${c.hangs} hang, ${c.crashes} crash, ${c.overMemory} over memory (each must be 1).`,
    );
    if (c.hangs !== 1 || c.crashes !== 1 || c.overMemory !== 1)
      problems.push(`the harness did not detect its calibration cases: ${JSON.stringify(c)}`);
  }
  const seeds = loadSeedFiles(o.seedFiles ?? 200);
  const stats = await runFuzz({
    seed: o.seed,
    count: o.count,
    seeds,
    workers: o.workers ?? 2,
    timeoutMs,
    memLimitMiB,
    failuresDir: o.failuresDir,
    onProgress: o.onProgress,
  });
  if (stats.cases !== o.count) problems.push(`${stats.cases} of ${o.count} cases ran`);
  if (stats.crashes) problems.push(`${stats.crashes} case(s) crashed the worker`);
  if (stats.hangs)
    problems.push(`${stats.hangs} case(s) took over ${timeoutMs} ms of CPU time or never answered`);
  if (stats.overMemory) problems.push(`${stats.overMemory} case(s) went over ${memLimitMiB} MiB`);
  if (stats.rawErrors)
    problems.push(
      `${stats.rawErrors} case(s) ended in an error that is not a MidiImportError naming the file`,
    );
  for (const f of stats.failures.slice(0, 10)) problems.push(`  ${f.what}: ${f.name}: ${f.message}`);
  const kinds = Object.entries(stats.byKind).sort((a, b) => b[1].cases - a[1].cases);
  lines.push(
    `- ${stats.cases.toLocaleString('en')} cases (seed ${stats.seed}; mutations of ${seeds.length} Nottingham files, random bytes, random headers), ${o.workers ?? 2} worker processes, limits ${timeoutMs} ms and ${memLimitMiB} MiB per case, ${stats.wallSeconds.toFixed(1)} s in all.`,
    '',
    '| outcome | cases |',
    '| --- | ---: |',
    `| imported | ${stats.imported} |`,
    `| clean error (MidiImportError naming the file) | ${stats.cleanErrors} |`,
    `| other error (a bug) | ${stats.rawErrors} |`,
    `| crash (worker died) | ${stats.crashes} |`,
    `| hang (> ${timeoutMs} ms of CPU time, or no answer in ${Math.max(10_000, 5 * timeoutMs) / 1000} s) | ${stats.hangs} |`,
    `| over ${memLimitMiB} MiB | ${stats.overMemory} |`,
    '',
    `- Slowest case: ${stats.maxCpuMs.toFixed(0)} ms of CPU time (${stats.maxCpuMsCase}); longest wall-clock time ${stats.maxMs.toFixed(0)} ms (${stats.maxMsCase}); mean ${stats.meanMs.toFixed(2)} ms. ${stats.slowWallOnly} case(s) passed ${timeoutMs} ms of wall-clock time only because the shared machine was busy (their CPU time was under the limit).`,
    `- Peak memory: RSS high-water mark ${fmtMiB(stats.peakRssBytes)} of a worker process (Node + tsx + importer; ${stats.peakRssCase}), largest heap after a case ${fmtMiB(stats.peakHeapBytes)}.`,
    `- Per mutation (cases / imported / clean errors / failures): ${kinds.map(([k, v]) => `${k} ${v.cases}/${v.imported}/${v.cleanErrors}/${v.bad}`).join(', ')}.`,
    '- Examples of what users read:',
    ...stats.sampleErrors.slice(0, 6).map((m) => `  - \`${m.replace(/`/g, "'")}\``),
  );
  return { id: 'fuzz', title: 'MIDI importer fuzz', ok: problems.length === 0, lines, problems, stats };
}

// ---- 4. SIGKILL during saves -------------------------------------------------------------------

export interface KillCheckOptions {
  runs: number;
  seed: number;
  /** Longest random delay after the first complete save, ms. */
  maxDelayMs?: number;
}

/**
 * The loop of the save-kill checks: runs bench/stress-save-child.ts with `args` `o.runs` times, each
 * run SIGKILLed a random 0-maxDelayMs ms (seeded) after its first complete save, and hands every
 * killed run to `afterKill` with the numbers of its "saved N" lines. A child that ended by itself is
 * a problem. Returns the number of saves completed over all runs.
 */
async function killSavesRepeatedly(
  o: KillCheckOptions,
  defaultMaxDelayMs: number,
  args: string[],
  problems: string[],
  afterKill: (run: number, saved: number[], r: KillRun) => Promise<void>,
): Promise<number> {
  const rng = new Rng(o.seed);
  let saves = 0;
  for (let run = 0; run < o.runs; run++) {
    const r = await runAndKill({
      script: 'bench/stress-save-child.ts',
      args,
      armOn: /^saved /,
      delayMs: rng.range(0, o.maxDelayMs ?? defaultMaxDelayMs),
    });
    if (r.ended !== 'killed') {
      problems.push(`run ${run + 1}: the child ended by itself (${r.exitCode}): ${r.stderr.slice(0, 300)}`);
      continue;
    }
    const saved = r.lines.filter((l) => l.startsWith('saved ')).map((l) => Number(l.slice(6)));
    saves += saved.length;
    await afterKill(run, saved, r);
  }
  return saves;
}

/** writeFileAtomic of a large self-checking file, killed at random moments. */
export async function checkKillDuringAtomicSave(
  o: KillCheckOptions & { bytes?: number },
): Promise<CheckResult> {
  const { dir, cleanup } = await tempDir('ostinato-kill-file-');
  const target = join(dir, 'big.json');
  const problems: string[] = [];
  let saves = 0;
  let aheadByOne = 0;
  let leftovers = 0;
  try {
    const args = ['atomic', target, String(o.bytes ?? 4_000_000)];
    saves = await killSavesRepeatedly(o, 400, args, problems, async (run, saved) => {
      const last = saved[saved.length - 1];
      try {
        const v = checkVersionFile(target);
        if (v === last + 1) aheadByOne++;
        else if (v !== last)
          problems.push(`run ${run + 1}: file holds version ${v}, the last complete save was ${last}`);
      } catch (e) {
        problems.push(`run ${run + 1}: ${(e as Error).message}`);
      }
      leftovers = (await leftoverTempFiles(dir)).length;
    });
  } finally {
    await cleanup();
  }
  const lines = [
    `- writeFileAtomic of a ${((o.bytes ?? 4_000_000) / 1e6).toFixed(0)} MB self-checking JSON file in a loop, SIGKILLed ${o.runs} times at a random moment 0-${o.maxDelayMs ?? 400} ms after its first save (seed ${o.seed}); ${saves} saves completed in all.`,
    `- After every kill the file was one whole version: ${cleanRuns(o.runs, problems)} of ${o.runs} (${aheadByOne} times the version whose rename had happened but whose "saved" line was not printed yet). Torn or mixed files: ${problems.length}.`,
    `- Temp files left in the folder by the kills: ${leftovers} (a killed process cannot clean up; they are never read, and C's model save removes stale ones).`,
  ];
  return {
    id: 'kill-file',
    title: 'SIGKILL during writeFileAtomic',
    ok: problems.length === 0,
    lines,
    problems,
  };
}

/** saveCheckpoint of a model folder in a loop, killed at random moments. */
export async function checkKillDuringModelSave(
  o: KillCheckOptions & { hiddenSize?: number },
): Promise<CheckResult> {
  const { dir, cleanup } = await tempDir('ostinato-kill-model-');
  const model = join(dir, 'model');
  const problems: string[] = [];
  let saves = 0;
  let maxUnreferenced = 0;
  try {
    const args = ['model', model, String(o.hiddenSize ?? 96)];
    saves = await killSavesRepeatedly(o, 300, args, problems, async (run, saved) => {
      const last = saved[saved.length - 1];
      try {
        const c = await checkModelFolder(model);
        const v = c.manifest.state.epoch;
        if (v !== last && v !== last + 1)
          problems.push(`run ${run + 1}: model is at version ${v}, the last complete save was ${last}`);
        maxUnreferenced = Math.max(maxUnreferenced, c.unreferenced.length);
      } catch (e) {
        problems.push(`run ${run + 1}: ${(e as Error).message}`);
      }
    });
  } finally {
    await cleanup();
  }
  const lines = [
    `- saveCheckpoint (model/checkpoint) of a ${o.hiddenSize ?? 96}-unit 2-layer model (weights, resume weights, Adam state, model.json) in a loop, SIGKILLed ${o.runs} times 0-${o.maxDelayMs ?? 300} ms after its first save (seed ${o.seed}); ${saves} saves completed in all.`,
    `- After every kill model.json parsed and validated, every file it names existed with the listed size and SHA-256, and the weights fit the network: ${cleanRuns(o.runs, problems)} of ${o.runs}. At most ${maxUnreferenced} unreferenced file(s) were left at a time (removed by the next save).`,
  ];
  return { id: 'kill-model', title: 'SIGKILL during model save', ok: problems.length === 0, lines, problems };
}

/** importModelBundle ("Open Model…") of a .ostinato file in a loop, killed at random moments. */
export async function checkKillDuringBundleImport(o: KillCheckOptions): Promise<CheckResult> {
  const { dir, cleanup } = await tempDir('ostinato-kill-bundle-');
  const problems: string[] = [];
  let saves = 0;
  let hiddenLeft = 0;
  try {
    saves = await killSavesRepeatedly(o, 300, ['bundle', dir], problems, async (run) => {
      const names = await fs.readdir(dir);
      for (const n of names.filter((x) => /^m\d+$/.test(x))) {
        try {
          await checkModelFolder(join(dir, n));
        } catch (e) {
          problems.push(`run ${run + 1}: imported model ${n} is incomplete: ${(e as Error).message}`);
        }
      }
      hiddenLeft = names.filter((n) => n.includes('.import-')).length;
    });
  } finally {
    await cleanup();
  }
  const lines = [
    `- importModelBundle (model/checkpoint/bundle.ts) of a 96-unit model bundle into a library folder, one new model after another, SIGKILLed ${o.runs} times 0-${o.maxDelayMs ?? 300} ms after its first import (seed ${o.seed}); ${saves} imports completed in all.`,
    `- After every kill every model folder in the library was complete (model.json, sizes, SHA-256, weight shapes): ${cleanRuns(o.runs, problems)} of ${o.runs}. Hidden temporary folders (\`.mN.import-…\`) of killed imports at the end: ${hiddenLeft}; the app's model list (main/services/model-library.ts) skips them and its start-up removes them.`,
  ];
  return {
    id: 'kill-bundle',
    title: 'SIGKILL during model import',
    ok: problems.length === 0,
    lines,
    problems,
  };
}

/** SettingsStore.update (main/services/settings.ts) in a loop, killed at random moments. */
export async function checkKillDuringSettingsSave(o: KillCheckOptions): Promise<CheckResult> {
  const { dir, cleanup } = await tempDir('ostinato-kill-settings-');
  const problems: string[] = [];
  let saves = 0;
  try {
    saves = await killSavesRepeatedly(o, 200, ['settings', dir], problems, async (run, saved) => {
      const last = saved[saved.length - 1];
      try {
        const raw = JSON.parse(await fs.readFile(join(dir, 'settings.json'), 'utf8')) as {
          window?: { x?: number };
        };
        const v = raw.window?.x;
        if (v !== last && v !== last + 1)
          problems.push(
            `run ${run + 1}: settings.json holds version ${v}, the last complete save was ${last}`,
          );
      } catch (e) {
        problems.push(`run ${run + 1}: settings.json is damaged: ${(e as Error).message}`);
      }
      const names = await fs.readdir(dir);
      if (names.some((n) => n.includes('.corrupt-')))
        problems.push(`run ${run + 1}: the settings were found corrupt and moved aside`);
    });
  } finally {
    await cleanup();
  }
  const lines = [
    `- SettingsStore.update (main/services/settings.ts) in a loop, SIGKILLed ${o.runs} times 0-${o.maxDelayMs ?? 200} ms after its first save (seed ${o.seed}); ${saves} saves completed in all.`,
    `- After every kill settings.json parsed and held the last or the next version, and was never found corrupt by the next start: ${cleanRuns(o.runs, problems)} of ${o.runs}.`,
  ];
  return {
    id: 'kill-settings',
    title: 'SIGKILL during settings save',
    ok: problems.length === 0,
    lines,
    problems,
  };
}

/** CorpusStore import/remove (main/services/corpus-store.ts) in a loop, killed at random moments. */
export async function checkKillDuringCorpusImport(o: KillCheckOptions): Promise<CheckResult> {
  const { dir, cleanup } = await tempDir('ostinato-kill-corpus-');
  const problems: string[] = [];
  let saves = 0;
  let maxOrphans = 0;
  let pendingApplied = 0;
  try {
    saves = await killSavesRepeatedly(o, 300, ['corpus', dir], problems, async (run, saved, r) => {
      const ops = r.lines.filter((l) => l.startsWith('op ')).map((l) => Number(l.slice(3)));
      const last = saved[saved.length - 1];
      const pending = r.lines[r.lines.length - 1]?.startsWith('op ') ? ops[ops.length - 1] : last;
      try {
        const index = JSON.parse(await fs.readFile(join(dir, 'index.json'), 'utf8').catch(() => '{}')) as {
          entries?: { file: { id: string } }[];
        };
        const indexed = new Set((index.entries ?? []).map((e) => `${e.file.id}.mid`));
        const unlisted = (names: string[]) => names.filter((n) => n.endsWith('.mid') && !indexed.has(n));
        maxOrphans = Math.max(maxOrphans, unlisted(await fs.readdir(dir)).length);
        const store = new CorpusStore(dir, () => '16th');
        await store.load();
        const files = store.list();
        if (files.length === pending && pending !== last) pendingApplied++;
        else if (files.length !== last)
          problems.push(
            `run ${run + 1}: the corpus lists ${files.length} files, the last complete step left ${last}`,
          );
        const broken = files.filter((f) => f.status !== 'ok');
        if (broken.length)
          problems.push(
            `run ${run + 1}: ${broken.length} listed file(s) lost their stored copy: ${broken[0].error}`,
          );
        for (const f of files.filter((x) => x.status === 'ok')) await store.piece(f.id);
        const names = await fs.readdir(dir);
        if (names.some((n) => n.includes('.corrupt-')))
          problems.push(`run ${run + 1}: the corpus index was found corrupt`);
        if (index.entries && unlisted(names).length)
          problems.push(
            `run ${run + 1}: opening the corpus left ${unlisted(names).length} unlisted stored file(s)`,
          );
      } catch (e) {
        problems.push(`run ${run + 1}: ${(e as Error).message}`);
      }
    });
  } finally {
    await cleanup();
  }
  const lines = [
    `- CorpusStore (main/services/corpus-store.ts) importing 3 tunes plus a broken file per step and removing one entry every 4th step, SIGKILLed ${o.runs} times 0-${o.maxDelayMs ?? 300} ms after its first step (seed ${o.seed}); ${saves} steps completed in all.`,
    `- After every kill the corpus loaded with the files of the last completed step (or, ${pendingApplied} time(s), of the step in progress whose index had been committed), every listed file had its stored copy and parsed, and the index was never found corrupt: ${cleanRuns(o.runs, problems)} of ${o.runs}. At most ${maxOrphans} stored MIDI file(s) were left that the index does not list (copies written before the kill, never shown); opening the corpus removed them every time.`,
  ];
  return {
    id: 'kill-corpus',
    title: 'SIGKILL during corpus import',
    ok: problems.length === 0,
    lines,
    problems,
  };
}

// ---- 5. Full disk and read-only folder while saving a model ------------------------------------

export async function checkModelSaveFullDisk(): Promise<CheckResult> {
  const problems: string[] = [];
  const v1 = syntheticCheckpoint(1, 96);
  // Room for one version (weights + optimizer, ~1.6 MB) but not for the next one beside it.
  const m = await mountTinyTmpfs(2400);
  if ('unavailable' in m) {
    return {
      id: 'full-disk',
      title: 'Full disk while saving a model',
      ok: true,
      lines: [`- Not run: ${m.unavailable}.`],
      problems,
      skipped: m.unavailable,
    };
  }
  let message = '';
  let unreferenced = 0;
  try {
    const dir = join(m.dir, 'model');
    await saveCheckpoint(dir, v1.content, v1.tensors);
    const v2 = syntheticCheckpoint(2, 96);
    try {
      await saveCheckpoint(dir, v2.content, v2.tensors);
      problems.push('saving version 2 on the full disk succeeded: the tmpfs is not small enough');
    } catch (e) {
      message = (e as Error).message;
      if (!/disk is full \(ENOSPC\)/.test(message) || !message.includes(m.dir))
        problems.push(`unclear error: ${message}`);
    }
    const c = await checkModelFolder(dir).catch((e: Error) => {
      problems.push(`the previous version is damaged: ${e.message}`);
      return null;
    });
    if (c && c.manifest.state.epoch !== 1)
      problems.push(`model.json is at version ${c.manifest.state.epoch}, expected 1`);
    unreferenced = c?.unreferenced.length ?? 0;
    if ((await leftoverTempFiles(dir)).length) problems.push('temp files were left behind');
  } finally {
    await m.cleanup();
  }
  return {
    id: 'full-disk',
    title: 'Full disk while saving a model',
    ok: problems.length === 0,
    lines: [
      `- ${m.method}: a model saved there, then a second version saved over it that does not fit.`,
      `- Error shown: \`${message.split(m.dir).join('<tmp>')}\``,
      `- The first version still loads completely (model.json, sizes, SHA-256, weight shapes); ${unreferenced} complete but unreferenced weight file(s) of the failed save remain until the next save; no temp files.`,
    ],
    problems,
  };
}

export async function checkModelSaveReadOnly(): Promise<CheckResult> {
  const problems: string[] = [];
  const v1 = syntheticCheckpoint(1, 32);
  // The model folder itself is made read-only (chmod and chattr do not reach into subfolders).
  const ro = await makeReadOnlyFolder(async (dir) => {
    await saveCheckpoint(dir, v1.content, v1.tensors);
  });
  if ('unavailable' in ro) {
    return {
      id: 'read-only',
      title: 'Read-only folder while saving a model',
      ok: true,
      lines: [`- Not run: ${ro.unavailable}.`],
      problems,
      skipped: ro.unavailable,
    };
  }
  const messages: string[] = [];
  try {
    const v2 = syntheticCheckpoint(2, 32);
    for (const target of [ro.dir, join(ro.dir, 'new-model')]) {
      try {
        await saveCheckpoint(target, v2.content, v2.tensors);
        problems.push(`saving into the read-only folder succeeded (${target})`);
      } catch (e) {
        const msg = (e as Error).message;
        messages.push(msg);
        if (!msg.includes(target) || !/read-only|EROFS|EACCES|EPERM|permission/i.test(msg))
          problems.push(`unclear error: ${msg}`);
      }
    }
    const c = await checkModelFolder(ro.dir).catch((e: Error) => {
      problems.push(`the previous version is damaged: ${e.message}`);
      return null;
    });
    if (c && c.manifest.state.epoch !== 1)
      problems.push(`model.json is at version ${c.manifest.state.epoch}, expected 1`);
  } finally {
    await ro.cleanup();
  }
  return {
    id: 'read-only',
    title: 'Read-only folder while saving a model',
    ok: problems.length === 0,
    lines: [
      `- ${ro.method}: saving a new version over the model in it, and a new model in a subfolder of it.`,
      ...messages.map((x) => `- Error shown: \`${x.split(ro.dir).join('<tmp>')}\``),
      '- The existing model still loads completely (model.json, sizes, SHA-256, weight shapes).',
    ],
    problems,
  };
}

// ---- 3. Training killed at random moments, then resumed ------------------------------------------

export interface TrainKillOptions {
  runs: number;
  seed: number;
  /** Nottingham tunes in the corpus (more = longer epochs). */
  files?: number;
  /** Longest random delay after arming, ms. */
  maxDelayMs?: number;
  /**
   * When to start the random delay: 'started' (training began: the kill may land in the first epoch,
   * before any checkpoint), 'epoch' (the run's first checkpoint is saved: every run makes progress), or
   * 'mixed' (alternating, the default).
   */
  armOn?: 'started' | 'epoch' | 'mixed';
}

/**
 * Starts training in a child, SIGKILLs it at a random moment, checks the folder, and starts again
 * (resuming from the checkpoint when there is one) `runs` times. Every time: the last completed
 * checkpoint is on disk whole (model.json validates, every file it names has the listed size and
 * SHA-256, the weights fit the network), loadModel accepts it, and the next run continues from it.
 */
export async function checkTrainingKills(o: TrainKillOptions): Promise<CheckResult> {
  const { dir: root, cleanup } = await tempDir('ostinato-kill-train-');
  const dir = join(root, 'model');
  const rng = new Rng(o.seed);
  const problems: string[] = [];
  let expectedStart = 0; // epochs on disk before the next run
  let epochsTrained = 0;
  let resumed = 0;
  let killedBeforeFirstCheckpoint = 0;
  let killedAfterRename = 0;
  const epochGaps: number[] = [];
  try {
    for (let run = 0; run < o.runs; run++) {
      const delay = rng.range(0, o.maxDelayMs ?? 2500);
      const arm = o.armOn === 'started' || o.armOn === 'epoch' ? o.armOn : run % 2 ? 'epoch' : 'started';
      const r = await runAndKill({
        script: 'bench/stress-train-child.ts',
        args: [dir, String(o.files ?? 8)],
        armOn: arm === 'epoch' ? /^epoch / : /^started /,
        delayMs: delay,
        armTimeoutMs: 120_000,
      });
      const tag = `run ${run + 1} (kill ${delay} ms after ${arm === 'epoch' ? 'its first checkpoint' : 'start'})`;
      if (r.ended !== 'killed') {
        problems.push(`${tag}: the child ended by itself (${r.exitCode}): ${r.stderr.slice(-400)}`);
        break;
      }
      const startLine = r.lines.find((l) => l.startsWith('started '));
      if (!startLine) {
        problems.push(`${tag}: training never started: ${r.stderr.slice(-400)}`);
        continue;
      }
      const from = Number(startLine.slice(8));
      if (from !== expectedStart)
        problems.push(`${tag}: resumed from epoch ${from}, the folder held ${expectedStart}`);
      if (from > 0) resumed++;
      const epochs = r.lines.filter((l) => l.startsWith('epoch ')).map((l) => Number(l.slice(6)));
      for (let i = 0; i < epochs.length; i++)
        if (epochs[i] !== from + i + 1)
          problems.push(`${tag}: epoch ${epochs[i]} reported, expected ${from + i + 1}`);
      epochsTrained += epochs.length;
      const lastReported = epochs.length ? epochs[epochs.length - 1] : from;
      let onDisk = 0;
      try {
        const c = await checkModelFolder(dir);
        onDisk = c.manifest.state.epoch;
        await loadModel(dir); // the app's own loader accepts it
        if (!c.manifest.resume) problems.push(`${tag}: the checkpoint has no resume state`);
      } catch (e) {
        const msg = (e as Error).message;
        // Killed before the first checkpoint: no model.json yet is the expected state.
        if (lastReported === 0 && /no model\.json|does not exist/.test(msg)) killedBeforeFirstCheckpoint++;
        else problems.push(`${tag}: ${msg}`);
      }
      if (onDisk === lastReported + 1) killedAfterRename++;
      else if (onDisk !== lastReported)
        problems.push(
          `${tag}: the folder holds epoch ${onDisk}, the last checkpoint reported was ${lastReported}`,
        );
      epochGaps.push(onDisk - from);
      expectedStart = onDisk;
    }
  } finally {
    await cleanup();
  }
  const lines = [
    `- trainModel (model/train) of a 1-layer, 24-unit LSTM on ${o.files ?? 8} Nottingham tunes in a child process, checkpoint every epoch; SIGKILLed ${o.runs} times at a random moment 0-${o.maxDelayMs ?? 2500} ms after ${o.armOn === 'started' ? 'training started' : o.armOn === 'epoch' ? 'the first checkpoint of the run' : 'training started (odd runs) or after the first checkpoint of the run (even runs)'} (seed ${o.seed}), each next run resuming from the folder.`,
    `- ${epochsTrained} epochs completed over all runs; ${resumed} runs resumed from a checkpoint and continued the epoch count (checked against the folder every time); ${killedBeforeFirstCheckpoint} kills landed before the first checkpoint (no model.json yet: the next run starts fresh); ${killedAfterRename} landed after a checkpoint's commit but before its event was printed.`,
    `- After every kill: model.json validated, every file it names had the listed size and SHA-256, the weights fit the network, loadModel accepted the folder: ${cleanRuns(o.runs, problems)} of ${o.runs} runs without a problem.`,
  ];
  return { id: 'training', title: 'Training killed and resumed', ok: problems.length === 0, lines, problems };
}

/**
 * Full disk while the app host saves settings and imports MIDI files into the corpus
 * (main/services): a clear error, the previous settings and corpus intact, no stored copies left
 * behind, and both work again once there is room.
 */
export async function checkHostSavesFullDisk(): Promise<CheckResult> {
  const problems: string[] = [];
  const m = await mountTinyTmpfs(512);
  if ('unavailable' in m) {
    return {
      id: 'full-disk-host',
      title: 'Full disk while saving settings and importing MIDI',
      ok: true,
      lines: [`- Not run: ${m.unavailable}.`],
      problems,
      skipped: m.unavailable,
    };
  }
  const messages: string[] = [];
  try {
    const seeds = loadSeedFiles(40);
    const settings = new SettingsStore(m.dir);
    await settings.load();
    await settings.update({ window: { x: 1, y: 2, width: 800, height: 600 } });
    const before = await fs.readFile(settings.path, 'utf8');
    const corpus = new CorpusStore(join(m.dir, 'corpus'), () => '16th');
    await corpus.load();
    await corpus.import(seeds.slice(0, 3).map((f) => ({ name: f.name, data: f.bytes })));
    const indexBefore = await fs.readFile(join(m.dir, 'corpus', 'index.json'), 'utf8');
    // Fill the disk.
    const filler = join(m.dir, 'filler');
    const h = await fs.open(filler, 'w');
    try {
      for (;;) await h.write(new Uint8Array(16 * 1024));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
    } finally {
      await h.close();
    }
    try {
      await settings.update({ window: { x: 2, y: 2, width: 800, height: 600 } });
      problems.push('saving settings on the full disk succeeded');
    } catch (e) {
      messages.push((e as Error).message);
      if (!/disk is full \(ENOSPC\)/.test((e as Error).message))
        problems.push(`unclear settings error: ${(e as Error).message}`);
    }
    if ((await fs.readFile(settings.path, 'utf8')) !== before)
      problems.push('settings.json changed after the failed save');
    if (settings.get().window?.x !== 1) problems.push('the settings in memory changed after the failed save');
    try {
      await corpus.import(seeds.slice(3, 20).map((f) => ({ name: f.name, data: f.bytes })));
      problems.push('importing MIDI files on the full disk succeeded');
    } catch (e) {
      messages.push((e as Error).message);
      if (!/disk is full \(ENOSPC\)/.test((e as Error).message))
        problems.push(`unclear import error: ${(e as Error).message}`);
    }
    if ((await fs.readFile(join(m.dir, 'corpus', 'index.json'), 'utf8')) !== indexBefore)
      problems.push('the corpus index changed after the failed import');
    const names = await fs.readdir(join(m.dir, 'corpus'));
    const mids = names.filter((n) => n.endsWith('.mid'));
    if (mids.length !== 3)
      problems.push(`${mids.length} stored MIDI files after the failed import, expected 3`);
    if ((await leftoverTempFiles(join(m.dir, 'corpus'))).length || (await leftoverTempFiles(m.dir)).length)
      problems.push('temp files were left behind');
    if (corpus.list().length !== 3)
      problems.push(`the corpus lists ${corpus.list().length} files after the failed import`);
    // Room again: both work.
    await fs.rm(filler);
    await settings.update({ window: { x: 3, y: 2, width: 800, height: 600 } });
    const r = await corpus.import(seeds.slice(3, 5).map((f) => ({ name: f.name, data: f.bytes })));
    if (r.imported.length !== 2)
      problems.push(`after freeing space, ${r.imported.length} of 2 files imported`);
    const reloaded = new CorpusStore(join(m.dir, 'corpus'), () => '16th');
    await reloaded.load();
    if (reloaded.list().length !== 5 || reloaded.list().some((f) => f.status !== 'ok'))
      problems.push('the corpus did not reload whole after the disk had room again');
  } finally {
    await m.cleanup();
  }
  return {
    id: 'full-disk-host',
    title: 'Full disk while saving settings and importing MIDI',
    ok: problems.length === 0,
    lines: [
      `- ${m.method}: settings and a 3-file corpus saved, then the disk filled up; saving settings and importing 17 more tunes both failed.`,
      ...messages.map((x) => `- Error shown: \`${x.split(m.dir).join('<tmp>')}\``),
      '- settings.json, the settings in memory, the corpus index and the stored MIDI files were unchanged, no temp file was left, and once the filler was deleted both saving settings and importing worked again (the corpus reloaded whole).',
    ],
    problems,
  };
}
