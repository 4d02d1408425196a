/**
 * `npm run bench`: runs every benchmark module (bench/*.bench.ts, each exporting `benchmark`), prints
 * the machine and the results, and updates docs/benchmarks.md (one section per module, other
 * sections kept) and docs/benchmarks.json (items merged by name).
 *
 *   npm run bench                      all modules, full size; writes the docs
 *   npm run bench -- --quick --json    small sizes, one JSON object per line on stdout, docs untouched
 *   npm run bench -- --only=train      modules whose file name contains "train"
 *   --write                            also write the docs after a --quick run
 *
 * Adding a benchmark: create bench/<name>.bench.ts exporting `benchmark: BenchModule` (see below).
 */
import { readdirSync, readFileSync, existsSync, mkdirSync } from 'node:fs';
import { cpus, totalmem, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { writeFileAtomic, initBackend } from '../model/index.js';

export interface BenchItem {
  name: string; // stable id, e.g. "train.h256.ostinato.tokens_per_s"
  value: number;
  unit: string;
  peer?: string; // set when the item measures a peer implementation (not Ostinato), e.g. "pytorch-cpu"
}

export interface BenchContext {
  quick: boolean;
  repoRoot: string;
  log: (message: string) => void; // progress, to stderr
}

export interface BenchReport {
  items: BenchItem[];
  markdown: string; // body of this module's section in docs/benchmarks.md
  table?: string; // a markdown table printed to stdout after the items (full runs, not --json)
}

export interface BenchModule {
  section: string; // heading of the module's section in docs/benchmarks.md
  run(ctx: BenchContext): Promise<BenchReport>;
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  loadAverage: number[];
}

export function machineInfo(): MachineInfo {
  const c = cpus();
  return {
    cpu: c[0]?.model ?? 'unknown',
    cores: c.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/** Replaces (or appends) the section `## heading` of a markdown document. */
export function replaceSection(doc: string, heading: string, body: string): string {
  const head = `## ${heading}`;
  const block = `${head}\n\n${body.trim()}\n`;
  const start = doc.indexOf(`${head}\n`);
  if (start < 0) return `${doc.trimEnd()}\n\n${block}`;
  const next = doc.indexOf('\n## ', start + head.length);
  return doc.slice(0, start) + block + (next < 0 ? '' : doc.slice(next));
}

async function loadModules(
  root: string,
  only: string | undefined,
): Promise<{ file: string; module: BenchModule }[]> {
  const dir = join(root, 'bench');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => !only || f.includes(only))
    .sort();
  const out: { file: string; module: BenchModule }[] = [];
  for (const file of files) {
    const mod = (await import(join(dir, file))) as { benchmark?: BenchModule };
    if (!mod.benchmark) throw new Error(`bench/${file} does not export "benchmark"`);
    out.push({ file, module: mod.benchmark });
  }
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const json = args.includes('--json');
  const write = !quick || args.includes('--write');
  const only = args.find((a) => a.startsWith('--only='))?.slice(7);
  const root = resolve(__dirname, '..');
  const log = (m: string) => process.stderr.write(`${m}\n`);
  const machine = { ...machineInfo(), backend: await initBackend() };
  const command = `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`;
  const header = `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, node ${machine.node}, tfjs backend ${machine.backend}, load average ${machine.loadAverage.join(' ')}; command: ${command}`;
  if (json) {
    const line = { name: 'machine', value: machine.cores, unit: 'cores', ...machine, command };
    process.stdout.write(JSON.stringify(line) + '\n');
  } else process.stdout.write(`${header}\n`);

  const modules = await loadModules(root, only);
  const ctx: BenchContext = { quick, repoRoot: root, log };
  const reports: { module: BenchModule; report: BenchReport }[] = [];
  let failed = false;
  for (const { file, module } of modules) {
    log(`== ${module.section} (bench/${file})`);
    try {
      const report = await module.run(ctx);
      reports.push({ module, report });
      for (const item of report.items) {
        if (json) process.stdout.write(JSON.stringify(item) + '\n');
        else
          process.stdout.write(
            `${item.name}\t${round(item.value)} ${item.unit}${item.peer ? `\t(peer: ${item.peer})` : ''}\n`,
          );
      }
      if (!json && report.table) process.stdout.write(`\n${report.table}\n\n`);
    } catch (err) {
      failed = true;
      log(`bench/${file} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  if (write && reports.length) {
    const docs = join(root, 'docs');
    mkdirSync(docs, { recursive: true });
    const mdPath = join(docs, 'benchmarks.md');
    let md = existsSync(mdPath)
      ? readFileSync(mdPath, 'utf8')
      : '# Benchmarks\n\nWritten by `npm run bench`.\n';
    for (const { module, report } of reports) {
      md = replaceSection(
        md,
        module.section,
        `Measured ${new Date().toISOString().slice(0, 16)} UTC. ${header}\n\n${report.markdown}`,
      );
    }
    await writeFileAtomic(mdPath, await pretty(md.trimEnd() + '\n', mdPath));
    const jsonPath = join(docs, 'benchmarks.json');
    let prev: { items?: Record<string, BenchItem & { measured?: string }> } = {};
    try {
      prev = JSON.parse(readFileSync(jsonPath, 'utf8')) as typeof prev;
    } catch {
      prev = {};
    }
    const items = { ...(prev.items ?? {}) };
    const measured = new Date().toISOString();
    for (const { report } of reports) for (const it of report.items) items[it.name] = { ...it, measured };
    const out = JSON.stringify({ machine, command, measured, items }, null, 2) + '\n';
    await writeFileAtomic(jsonPath, await pretty(out, jsonPath));
    log(`wrote docs/benchmarks.md and docs/benchmarks.json`);
  }
  process.exitCode = failed ? 1 : 0;
}

function round(v: number): string {
  return Number.isInteger(v) || Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3);
}

/** Formats with the repository's prettier settings (docs are checked by `npm run lint`). */
async function pretty(text: string, filepath: string): Promise<string> {
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(filepath)) ?? {};
    return await prettier.format(text, { ...options, filepath });
  } catch {
    return text;
  }
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
