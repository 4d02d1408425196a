#!/usr/bin/env node
// `npm run security`: Electronegativity over the whole project (sources, and the built main process
// and renderer bundle when they exist), assuming the Electron version in package.json. Every finding
// is printed; the run fails on any finding above LOW that is neither accepted with a reason in
// .ci/security/accepted.json nor verified by the rule given there. Then `npm audit --omit=dev
// --audit-level=high` (production dependencies), the primary dependency check. Only when its advisory
// endpoint cannot be reached, the offline audit (.ci/security/offline-audit.mjs) matches the installed
// production tree against the committed advisory snapshot (.ci/security/advisories.json) instead and
// the run fails on any high/critical match there. `--strict` also fails whenever the live `npm audit`
// could not run (the snapshot result is still printed): use it for release builds, where a possibly
// stale snapshot must not stand in for the registry. See docs/reliability.md, "Security".
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatMatches, runOfflineAudit } from './offline-audit.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const strict = process.argv.includes('--strict');
const config = JSON.parse(readFileSync(join(root, '.ci/security/accepted.json'), 'utf8'));
const LEVELS = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
const electronVersion = JSON.parse(
  readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8'),
).version;

/** Minimal CSV parser (quoted fields with doubled quotes). */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function codeAt(file, line, column) {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  return (lines[line - 1] ?? '').slice(column, column + 200);
}

const RULES = {
  'timer-with-function-variable'(finding) {
    const code = codeAt(finding.file, finding.line, finding.column);
    if (!/^(setTimeout|setInterval|setImmediate)\(\s*[A-Za-z_$][\w$]*\s*[,)]/.test(code))
      return `the flagged call is not a timer with a function variable: ${code.slice(0, 60)}`;
    const text = readFileSync(join(root, finding.file), 'utf8');
    if (/\beval\s*\(/.test(text)) return 'the file calls eval(';
    if (/\bnew\s+Function\s*\(|[^.\w$]Function\s*\(\s*["'`]/.test(text))
      return 'the file calls the Function constructor';
    return null;
  },
};

function judge(f) {
  const inFiles = (e) => e.check === f.check && e.files.some((p) => f.file.startsWith(p));
  const acc = config.accepted.find((e) => inFiles(e) && (!e.sample || f.sample.includes(e.sample)));
  if (acc) return { ok: true, how: `accepted: ${acc.reason}` };
  const ver = config.verified.find(inFiles);
  if (ver) {
    const problem = RULES[ver.rule](f);
    return problem
      ? { ok: false, how: `verification failed: ${problem}` }
      : { ok: true, how: `verified (${ver.rule})` };
  }
  return { ok: false, how: 'not reviewed' };
}

/**
 * One Electronegativity scan: its findings as CSV rows. The scanner sometimes exits with only the CSV
 * header written (seen in a CI run: "0 finding(s)"), which would pass silently; a complete scan of
 * this project always reports the preload of main/electron/main.ts (PRELOAD_JS_CHECK), so a report
 * without it is incomplete: scan again, and fail after three incomplete reports.
 */
function scanOnce() {
  const tmp = mkdtempSync(join(tmpdir(), 'ostinato-security-'));
  const csv = join(tmp, 'electronegativity.csv');
  try {
    const scan = spawnSync(
      process.execPath,
      [
        join(root, 'node_modules/@doyensec/electronegativity/dist/index.js'),
        '-i',
        root,
        '-r',
        '-e',
        electronVersion,
        '-o',
        csv,
        '-v',
        'false',
      ],
      { cwd: root, encoding: 'utf8', timeout: 600_000 },
    );
    if (!existsSync(csv))
      return { rows: null, why: `no report (exit ${scan.status}):\n${scan.stdout}\n${scan.stderr}` };
    const rows = parseCsv(readFileSync(csv, 'utf8'))
      .slice(1)
      .filter((r) => r.length >= 7);
    const complete = rows.some(
      (r) => r[0].trim() === 'PRELOAD_JS_CHECK' && r[3].trim() === 'main/electron/main.ts',
    );
    return complete
      ? { rows, why: '' }
      : {
          rows: null,
          why: `an incomplete report (${rows.length} finding(s), no PRELOAD_JS_CHECK for main/electron/main.ts)`,
        };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

process.stdout.write(`Electronegativity over ${root} (assuming Electron ${electronVersion})…\n`);
let rows = null;
for (let attempt = 1; attempt <= 3 && !rows; attempt++) {
  const r = scanOnce();
  rows = r.rows;
  if (!rows) process.stdout.write(`Electronegativity attempt ${attempt}: ${r.why}\n`);
}
if (!rows) {
  process.stderr.write('Electronegativity gave no complete report in 3 attempts: the scan did not run.\n');
  process.exit(2);
}
const threshold = LEVELS.indexOf(config.failAbove);
let failures = 0;
for (const r of rows) {
  const [check, severity, confidence, file, location, sample] = r.map((x) => x.trim());
  const [line, column] = location.split(':').map(Number);
  const f = { check, severity, confidence, file, line, column, sample };
  const above = LEVELS.indexOf(severity) > threshold;
  const verdict = above ? judge(f) : { ok: true, how: `at or below ${config.failAbove}` };
  if (!verdict.ok) failures++;
  process.stdout.write(
    `${verdict.ok ? 'ok  ' : 'FAIL'} ${severity}/${confidence} ${check} ${file}:${location}\n     ${verdict.how}\n`,
  );
}
process.stdout.write(`Electronegativity: ${rows.length} finding(s), ${failures} failing.\n\n`);

process.stdout.write('npm audit --omit=dev --audit-level=high (production dependencies)…\n');
// --loglevel=warn: `npm run -s security` passes loglevel=silent down, which would hide npm's errors.
const audit = spawnSync('npm', ['audit', '--omit=dev', '--audit-level=high', '--loglevel=warn'], {
  cwd: root,
  encoding: 'utf8',
  timeout: 120_000,
  shell: process.platform === 'win32',
});
const auditOut = `${audit.stdout ?? ''}${audit.stderr ?? ''}`;
let auditFailed = false;
if (
  /audit endpoint returned an error|ENOTFOUND|ECONNREFUSED|EAI_AGAIN|405 Method Not Allowed|network/i.test(
    auditOut,
  ) &&
  audit.status !== 0
) {
  const reason = auditOut.trim().split('\n')[0];
  let offline;
  try {
    offline = runOfflineAudit({ root });
  } catch (err) {
    process.stdout.write(
      `npm audit unreachable here (${reason}); the offline audit could not run either: ${err.message}\n`,
    );
    process.exit(1);
  }
  const ageDays = Math.floor((Date.now() - Date.parse(offline.date)) / 86_400_000);
  process.stdout.write(
    `npm audit unreachable here (${reason}); offline audit against the advisory snapshot of ${offline.date} ` +
      `(${offline.advisoryCount} advisories for ${offline.packageCount} packages): ` +
      `${offline.matches.length} match(es), ${offline.failing.length} high/critical/unknown-severity — ` +
      `${offline.failing.length ? 'FAIL' : 'pass'}.\n`,
  );
  for (const line of formatMatches(offline)) process.stdout.write(`  ${line}\n`);
  if (ageDays > 90)
    process.stdout.write(
      `  The snapshot is ${ageDays} days old: advisories published since are missing. Rebuild .ci/security/advisories.json.\n`,
    );
  auditFailed = offline.failing.length > 0;
  if (strict) {
    process.stdout.write(
      '--strict: FAIL because the live npm audit could not run (the snapshot may be stale); run it where the registry is reachable.\n',
    );
    auditFailed = true;
  }
} else {
  process.stdout.write(
    auditOut ||
      `npm audit printed nothing (exit ${audit.status ?? audit.signal}${audit.error ? `, ${audit.error.message}` : ''}).\n`,
  );
  auditFailed = audit.status !== 0;
}
process.exit(failures > 0 || auditFailed ? 1 : 0);
