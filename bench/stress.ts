/**
 * npm run stress: the full reliability checks (docs/reliability.md says what each one does), with
 * their numbers written into docs/reliability.md between the `stress:` markers.
 *
 *   npm run stress -- [--fuzz 10000] [--kills 20] [--seed N] [--only fuzz,models,training,saves,disk] [--no-write]
 *
 * Exits 1 when any check found a problem (the problems are printed and written to the doc too).
 */
import { cpus, loadavg, totalmem, release } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';
import {
  checkImporterFuzz,
  checkKillDuringAtomicSave,
  checkKillDuringBundleImport,
  checkKillDuringCorpusImport,
  checkKillDuringModelSave,
  checkKillDuringSettingsSave,
  checkHostSavesFullDisk,
  checkModelSaveFullDisk,
  checkModelSaveReadOnly,
  checkTrainingKills,
  type CheckResult,
} from './stress-checks.js';
import { checkCliWithDamagedModels, checkModelBundles, checkModelFolders } from './stress-model-folders.js';
import { REPO_ROOT } from './stress-kill.js';

const DOC = join(REPO_ROOT, 'docs', 'reliability.md');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

function machine(): string {
  const c = cpus();
  return `${c[0]?.model.trim() ?? 'unknown CPU'}, ${c.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}, Node ${process.version}`;
}

/** Replaces the text between `<!-- stress:ID:begin -->` and `<!-- stress:ID:end -->`. */
export function replaceSection(doc: string, id: string, body: string): string {
  const begin = `<!-- stress:${id}:begin -->`;
  const end = `<!-- stress:${id}:end -->`;
  const a = doc.indexOf(begin);
  const b = doc.indexOf(end);
  if (a < 0 || b < a) throw new Error(`docs/reliability.md has no ${begin} ... ${end} section`);
  return doc.slice(0, a + begin.length) + '\n\n' + body.trim() + '\n\n' + doc.slice(b);
}

function render(results: CheckResult[], header: string): string {
  const out = [header, ''];
  for (const r of results) {
    out.push(`#### ${r.title}: ${r.skipped ? 'not run here' : r.ok ? 'passed' : 'FAILED'}`, '', ...r.lines);
    if (r.problems.length)
      out.push('', '**Problems:**', '', ...r.problems.slice(0, 20).map((p) => `- ${p.trim()}`));
    out.push('');
  }
  return out.join('\n');
}

async function main(): Promise<void> {
  const fuzzCount = Number(arg('fuzz', '10000'));
  const kills = Number(arg('kills', '20'));
  const seed = Number(arg('seed', String(Date.now() % 1_000_000)));
  const only = new Set(arg('only', 'fuzz,models,training,saves,disk').split(','));
  const write = !process.argv.includes('--no-write');
  const started = new Date();
  const loadStart = loadavg()[0];
  const t0 = Date.now();
  const header = (what: string) =>
    `Last run: \`npm run stress -- --fuzz ${fuzzCount} --kills ${kills} --seed ${seed}${only.size < 5 ? ` --only ${[...only].join(',')}` : ''}\` (${what}) on ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC; ${machine()}. Load average (1 min) ${loadStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end: the machine was shared with other work, so wall-clock times are upper bounds.`;

  const done: Record<string, CheckResult[]> = { fuzz: [], models: [], crashes: [] };
  const run = async (group: keyof typeof done, name: string, f: () => Promise<CheckResult>) => {
    process.stdout.write(`\n== ${name}\n`);
    const s = Date.now();
    let r: CheckResult;
    try {
      r = await f();
    } catch (e) {
      r = {
        id: name,
        title: name,
        ok: false,
        lines: [],
        problems: [`the check itself threw: ${(e as Error).stack}`],
      };
    }
    done[group].push(r);
    process.stdout.write(r.lines.join('\n') + '\n');
    process.stdout.write(
      `${r.skipped ? 'SKIPPED' : r.ok ? 'OK' : 'FAILED'} (${((Date.now() - s) / 1000).toFixed(1)} s)\n`,
    );
    for (const p of r.problems) process.stdout.write(`  problem: ${p}\n`);
  };

  if (only.has('fuzz'))
    await run('fuzz', 'MIDI importer fuzz', () =>
      checkImporterFuzz({
        seed,
        count: fuzzCount,
        calibrate: true,
        failuresDir: join(REPO_ROOT, '.tmp', 'stress-fuzz-failures'),
        onProgress: (d, n) => {
          if (d % 1000 === 0) process.stdout.write(`  ${d}/${n}\n`);
        },
      }),
    );
  if (only.has('models')) {
    await run('models', 'Damaged model folders', () => checkModelFolders({ seed, manifestMutations: 500 }));
    await run('models', 'Damaged model bundles', () => checkModelBundles({ seed, cases: 1000 }));
    await run('models', 'CLI with damaged models', () => checkCliWithDamagedModels({ seed }));
  }
  if (only.has('training'))
    await run('crashes', 'Training killed and resumed', () =>
      checkTrainingKills({ runs: kills, seed, maxDelayMs: 4000 }),
    );
  if (only.has('saves')) {
    await run('crashes', 'SIGKILL during writeFileAtomic', () =>
      checkKillDuringAtomicSave({ runs: Math.max(kills, 30), seed }),
    );
    await run('crashes', 'SIGKILL during model save', () =>
      checkKillDuringModelSave({ runs: Math.max(kills, 30), seed }),
    );
    await run('crashes', 'SIGKILL during model import', () =>
      checkKillDuringBundleImport({ runs: Math.max(kills, 30), seed }),
    );
    await run('crashes', 'SIGKILL during settings save', () =>
      checkKillDuringSettingsSave({ runs: Math.max(kills, 30), seed }),
    );
    await run('crashes', 'SIGKILL during corpus import', () =>
      checkKillDuringCorpusImport({ runs: Math.max(kills, 30), seed }),
    );
  }
  if (only.has('disk')) {
    await run('crashes', 'Full disk while saving a model', () => checkModelSaveFullDisk());
    await run('crashes', 'Read-only folder while saving a model', () => checkModelSaveReadOnly());
    await run('crashes', 'Full disk while saving settings and importing MIDI', () =>
      checkHostSavesFullDisk(),
    );
  }

  const all = [...done.fuzz, ...done.models, ...done.crashes];
  const failed = all.filter((r) => !r.ok);
  const seconds = ((Date.now() - t0) / 1000).toFixed(0);
  if (write) {
    let doc = readFileSync(DOC, 'utf8');
    const what = `${seconds} s in all, ${failed.length ? `${failed.length} check(s) FAILED` : 'every check passed'}`;
    if (done.fuzz.length) doc = replaceSection(doc, 'fuzz', render(done.fuzz, header(what)));
    if (done.models.length) doc = replaceSection(doc, 'models', render(done.models, header(what)));
    if (done.crashes.length) doc = replaceSection(doc, 'crashes', render(done.crashes, header(what)));
    // Formatted like every other file (npm run lint checks docs too).
    const options = (await prettier.resolveConfig(DOC)) ?? {};
    writeFileSync(DOC, await prettier.format(doc, { ...options, filepath: DOC }));
    process.stdout.write(`\nResults written to docs/reliability.md\n`);
  }
  process.stdout.write(
    `\n${all.length - failed.length} of ${all.length} checks passed in ${seconds} s${failed.length ? `; FAILED: ${failed.map((r) => r.title).join(', ')}` : ''}\n`,
  );
  process.exit(failed.length ? 1 : 0);
}

if (process.argv[1]?.endsWith('stress.ts')) {
  main().catch((e) => {
    process.stderr.write(`${(e as Error).stack}\n`);
    process.exit(1);
  });
}
