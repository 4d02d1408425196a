#!/usr/bin/env node
// Offline audit of the production dependency tree against the committed advisory snapshot
// (.ci/security/advisories.json, GitHub Advisory Database entries in OSV form). Used by
// .ci/security/run.mjs when `npm audit` cannot reach the registry's advisory endpoint; can also be
// run alone: `node .ci/security/offline-audit.mjs`. Reads the installed tree with
// `npm ls --omit=dev --all --json`, dedupes name@version, matches every installed version against
// the snapshot's ranges and prints each match with its severity and fixed version. Exit status:
// 1 when a match is HIGH, CRITICAL or of UNKNOWN severity, 2 when the tree or the snapshot cannot
// be read, else 0 (LOW and MODERATE matches are printed but do not fail).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SNAPSHOT_PATH = fileURLToPath(new URL('./advisories.json', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Severities that fail the audit. UNKNOWN (no advisory file was available) fails to be safe. */
export const FAILING_SEVERITIES = new Set(['HIGH', 'CRITICAL', 'UNKNOWN']);

/**
 * Parses an npm version ("1.2.3", "v1.2.3", "3.0.0-beta.9", "1.0" as OSV sometimes writes it;
 * missing minor/patch count as 0, build metadata is ignored). Returns null when it is not a version.
 */
export function parseVersion(text) {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(
    String(text).trim(),
  );
  if (!m) return null;
  return {
    core: [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)],
    pre: m[4] ? m[4].split('.') : [],
  };
}

function comparePre(a, b) {
  // Semver precedence: a release is above any of its prereleases.
  if (!a.length || !b.length) return b.length - a.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i >= a.length) return -1;
    if (i >= b.length) return 1;
    const x = a[i];
    const y = b[i];
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn) {
      if (Number(x) !== Number(y)) return Number(x) < Number(y) ? -1 : 1;
    } else if (xn !== yn) return xn ? -1 : 1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Semver comparison of two version strings: negative, 0 or positive. Throws on a non-version. */
export function compareVersions(a, b) {
  const x = parseVersion(a);
  const y = parseVersion(b);
  if (!x) throw new Error(`not a version: ${JSON.stringify(a)}`);
  if (!y) throw new Error(`not a version: ${JSON.stringify(b)}`);
  for (let i = 0; i < 3; i++) if (x.core[i] !== y.core[i]) return x.core[i] < y.core[i] ? -1 : 1;
  return comparePre(x.pre, y.pre);
}

const eventVersion = (e) => e.introduced ?? e.fixed ?? e.last_affected ?? e.limit;

/**
 * Whether `version` lies in an OSV range given by its events (introduced / fixed / last_affected;
 * "introduced": "0" means every earlier version), evaluated as the OSV schema describes: walk the
 * events in version order; an `introduced` at or below the version opens the range, a `fixed` at
 * or below it, or a `last_affected` below it, closes it.
 */
export function inRange(version, events) {
  const sorted = events
    .filter((e) => eventVersion(e) !== undefined && e.limit === undefined)
    .slice()
    .sort((a, b) => {
      const va = eventVersion(a);
      const vb = eventVersion(b);
      if (va === '0' || vb === '0') return va === vb ? 0 : va === '0' ? -1 : 1;
      return compareVersions(va, vb);
    });
  let affected = false;
  for (const e of sorted) {
    if (e.introduced !== undefined) {
      if (e.introduced === '0' || compareVersions(version, e.introduced) >= 0) affected = true;
    } else if (e.fixed !== undefined) {
      if (compareVersions(version, e.fixed) >= 0) affected = false;
    } else if (e.last_affected !== undefined) {
      if (compareVersions(version, e.last_affected) > 0) affected = false;
    }
  }
  return affected;
}

/** The `fixed` or `last_affected` bound of the range of `events` that contains `version`. */
function boundFor(version, events) {
  let best = null;
  for (const e of events) {
    const bound = e.fixed ?? e.last_affected;
    if (bound === undefined || compareVersions(bound, version) < 0) continue;
    if (e.fixed !== undefined && compareVersions(bound, version) === 0) continue;
    if (!best || compareVersions(bound, best.version) < 0)
      best = { version: bound, kind: e.fixed !== undefined ? 'fixed' : 'last_affected' };
  }
  return best;
}

function describeRange(events) {
  return events
    .map((e) =>
      e.introduced !== undefined
        ? e.introduced === '0'
          ? '>=0'
          : `>=${e.introduced}`
        : e.fixed !== undefined
          ? `<${e.fixed}`
          : e.last_affected !== undefined
            ? `<=${e.last_affected}`
            : '',
    )
    .filter(Boolean)
    .join(' ');
}

/**
 * Pure matching: every installed {name, version} against every advisory of the snapshot.
 * Withdrawn advisories are skipped. Returns one match per (package@version, advisory) with
 * `fixed` (the first fixed version above the installed one on its line, or null when the range has
 * no fix) and `lastAffected` (for ranges bounded by last_affected), `range` (readable), `failing`.
 */
export function matchAdvisories(installed, advisories) {
  const matches = [];
  for (const pkg of installed) {
    if (!parseVersion(pkg.version)) continue;
    for (const adv of advisories) {
      if (adv.withdrawn) continue;
      let hit = null;
      for (const entry of adv.affected) {
        if (entry.package !== pkg.name) continue;
        if ((entry.versions ?? []).some((v) => v === pkg.version)) {
          hit ??= { range: `=${pkg.version}`, bound: null };
        }
        for (const range of entry.ranges ?? []) {
          if (range.type !== 'ECOSYSTEM' && range.type !== 'SEMVER') continue;
          if (!inRange(pkg.version, range.events)) continue;
          const bound = boundFor(pkg.version, range.events);
          if (!hit || !hit.bound) hit = { range: describeRange(range.events), bound };
        }
      }
      if (!hit) continue;
      const severity = adv.severity ?? 'UNKNOWN';
      matches.push({
        name: pkg.name,
        version: pkg.version,
        via: pkg.via,
        id: adv.id,
        aliases: adv.aliases ?? [],
        summary: adv.summary,
        severity,
        range: hit.range,
        fixed: hit.bound?.kind === 'fixed' ? hit.bound.version : null,
        lastAffected: hit.bound?.kind === 'last_affected' ? hit.bound.version : null,
        verifiedFromAdvisoryFile: adv.verifiedFromAdvisoryFile !== false,
        failing: FAILING_SEVERITIES.has(severity),
      });
    }
  }
  const order = ['CRITICAL', 'HIGH', 'UNKNOWN', 'MODERATE', 'LOW'];
  return matches.sort(
    (a, b) =>
      order.indexOf(a.severity) - order.indexOf(b.severity) ||
      a.name.localeCompare(b.name) ||
      a.id.localeCompare(b.id),
  );
}

/**
 * Walks `npm ls --json` output into a deduplicated list of {name, version, via} (via: the first
 * dependency path seen). Entries without a version (missing optional dependencies) are skipped.
 */
export function collectInstalled(tree) {
  const seen = new Map();
  const walk = (node, path) => {
    for (const [name, dep] of Object.entries(node?.dependencies ?? {})) {
      const here = [...path, name];
      if (dep && typeof dep.version === 'string' && !dep.missing) {
        const key = `${name}@${dep.version}`;
        if (!seen.has(key)) seen.set(key, { name, version: dep.version, via: here.join(' > ') });
      }
      walk(dep, here);
    }
  };
  walk(tree, []);
  return [...seen.values()].sort(
    (a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version),
  );
}

/** Loads and checks the snapshot file. */
export function loadSnapshot(path = SNAPSHOT_PATH) {
  const snapshot = JSON.parse(readFileSync(path, 'utf8'));
  if (!snapshot?.snapshot?.date || !Array.isArray(snapshot.advisories))
    throw new Error(`${path} is not an advisory snapshot (needs snapshot.date and advisories[])`);
  for (const a of snapshot.advisories) {
    if (!a.id || !Array.isArray(a.affected)) throw new Error(`${path}: malformed advisory ${a.id ?? '?'}`);
    for (const e of a.affected)
      for (const r of e.ranges ?? [])
        for (const ev of r.events) {
          const v = eventVersion(ev);
          if (v !== '0' && !parseVersion(v)) throw new Error(`${path}: ${a.id} has a bad version ${v}`);
        }
  }
  return snapshot;
}

/** Runs `npm ls --omit=dev --all --json` in `root` and returns the parsed tree. */
export function readProductionTree(root = ROOT) {
  const r = spawnSync('npm', ['ls', '--omit=dev', '--all', '--json'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 120_000,
    shell: process.platform === 'win32',
  });
  // npm ls exits non-zero for problems such as extraneous packages but still prints the tree.
  try {
    return JSON.parse(r.stdout);
  } catch {
    throw new Error(`npm ls --omit=dev --all --json gave no JSON (exit ${r.status}): ${r.stderr.trim()}`);
  }
}

/** Reads the tree and the snapshot, matches, and returns everything a report needs. */
export function runOfflineAudit({ root = ROOT, snapshotPath = SNAPSHOT_PATH } = {}) {
  const snapshot = loadSnapshot(snapshotPath);
  const installed = collectInstalled(readProductionTree(root));
  const active = snapshot.advisories.filter((a) => !a.withdrawn);
  const matches = matchAdvisories(installed, snapshot.advisories);
  return {
    date: snapshot.snapshot.date,
    advisoryCount: active.length,
    withdrawnCount: snapshot.advisories.length - active.length,
    packageCount: new Set(active.flatMap((a) => a.affected.map((e) => e.package))).size,
    installedCount: installed.length,
    matches,
    failing: matches.filter((m) => m.failing),
  };
}

/** Human-readable lines for a result of runOfflineAudit. */
export function formatMatches(result) {
  const lines = [];
  for (const m of result.matches) {
    const fix = m.fixed
      ? `fixed in ${m.fixed}`
      : m.lastAffected
        ? `no fixed version (affected up to ${m.lastAffected})`
        : 'no fixed version recorded';
    lines.push(
      `${m.failing ? 'FAIL' : 'warn'} ${m.severity} ${m.name}@${m.version} ${m.id}${
        m.aliases.length ? ` (${m.aliases.join(', ')})` : ''
      }: ${m.summary}`,
      `     affected ${m.range}; ${fix}; via ${m.via}${
        m.verifiedFromAdvisoryFile ? '' : '; range from secondary sources (see advisories.json)'
      }`,
    );
  }
  const bySeverity = {};
  for (const m of result.matches) bySeverity[m.severity] = (bySeverity[m.severity] ?? 0) + 1;
  const counts = Object.entries(bySeverity)
    .map(([s, n]) => `${n} ${s.toLowerCase()}`)
    .join(', ');
  lines.push(
    `${result.installedCount} installed production packages checked; ${result.matches.length} match(es)${
      counts ? ` (${counts})` : ''
    }, ${result.failing.length} high/critical/unknown.`,
  );
  return lines;
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1]);
if (isMain) {
  let result;
  try {
    result = runOfflineAudit();
  } catch (err) {
    process.stderr.write(`offline audit: ${err.message}\n`);
    process.exit(2);
  }
  process.stdout.write(
    `Offline audit against the advisory snapshot of ${result.date} (${result.advisoryCount} advisories for ${result.packageCount} packages; a snapshot, may be stale):\n`,
  );
  for (const line of formatMatches(result)) process.stdout.write(`${line}\n`);
  process.exit(result.failing.length ? 1 : 0);
}
