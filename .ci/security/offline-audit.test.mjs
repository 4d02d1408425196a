// Tests of the offline advisory matcher (.ci/security/offline-audit.mjs) against the real committed
// snapshot (.ci/security/advisories.json) and a few hand-made ranges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  collectInstalled,
  compareVersions,
  inRange,
  loadSnapshot,
  matchAdvisories,
  parseVersion,
} from './offline-audit.mjs';

const snapshot = loadSnapshot();
const advisories = snapshot.advisories;

/** Matches of one installed name@version against the real snapshot. */
function matchesOf(name, version) {
  return matchAdvisories([{ name, version, via: name }], advisories);
}
const ids = (matches) => matches.map((m) => m.id).sort();

test('compareVersions follows semver precedence, including prereleases and short OSV versions', () => {
  assert.ok(compareVersions('8.17.0', '8.17.1') < 0);
  assert.ok(compareVersions('8.9.0', '8.17.0') < 0, 'numeric, not lexical');
  assert.equal(compareVersions('1.0', '1.0.0'), 0, 'OSV writes "1.0"');
  assert.equal(compareVersions('v2.6.7', '2.6.7+build.5'), 0);
  assert.ok(compareVersions('3.0.0-beta.8', '3.0.0-beta.9') < 0);
  assert.ok(compareVersions('3.0.0-beta.10', '3.0.0-beta.9') > 0, 'numeric prerelease identifiers');
  assert.ok(compareVersions('3.0.0-beta.9', '3.0.0') < 0, 'a prerelease is below its release');
  assert.ok(compareVersions('8.0.0-alpha.17', '8.0.0-alpha.beta') < 0, 'numeric below alphanumeric');
  assert.ok(compareVersions('1.0.0-alpha', '1.0.0-alpha.1') < 0, 'shorter prerelease first');
  assert.equal(parseVersion('not-a-version'), null);
  assert.throws(() => compareVersions('1.2.3', 'latest'), /not a version/);
});

test('inRange evaluates OSV events: introduced 0, fixed, last_affected, several intervals', () => {
  const fixedRange = [{ introduced: '0' }, { fixed: '2.6.7' }];
  assert.equal(inRange('0.0.1', fixedRange), true);
  assert.equal(inRange('2.6.6', fixedRange), true);
  assert.equal(inRange('2.6.7', fixedRange), false, 'the fixed version itself is not affected');
  const lastAffected = [{ introduced: '1.2.0' }, { last_affected: '1.4.1' }];
  assert.equal(inRange('1.1.9', lastAffected), false);
  assert.equal(inRange('1.2.0', lastAffected), true);
  assert.equal(inRange('1.4.1', lastAffected), true, 'last_affected is inclusive');
  assert.equal(inRange('1.4.2', lastAffected), false);
  const twoIntervals = [
    { introduced: '8.0.0' },
    { fixed: '8.17.1' },
    { introduced: '2.1.0' },
    { fixed: '5.2.4' },
  ];
  assert.equal(inRange('5.2.3', twoIntervals), true, 'events are sorted before evaluation');
  assert.equal(inRange('6.0.0', twoIntervals), false);
  assert.equal(inRange('8.17.0', twoIntervals), true);
  assert.equal(inRange('8.17.1', twoIntervals), false);
});

test('ws: 8.17.0 is flagged HIGH by GHSA-3h5v-q93c-6h6q with fix 8.17.1; the installed 8.23.0 is clean', () => {
  const old = matchesOf('ws', '8.17.0');
  const dos = old.find((m) => m.id === 'GHSA-3h5v-q93c-6h6q');
  assert.ok(dos, 'ws 8.17.0 must match GHSA-3h5v-q93c-6h6q');
  assert.equal(dos.severity, 'HIGH');
  assert.equal(dos.fixed, '8.17.1', 'the fix on the 8.x line, not the 5.x backport');
  assert.equal(dos.failing, true);
  assert.deepEqual(ids(matchesOf('ws', '8.17.1')), ['GHSA-58qx-3vcg-4xpx', 'GHSA-96hv-2xvq-fx4p']);
  const frag = matchesOf('ws', '8.20.1').find((m) => m.id === 'GHSA-96hv-2xvq-fx4p');
  assert.equal(frag?.fixed, '8.21.0');
  assert.deepEqual(matchesOf('ws', '8.21.0'), []);
  assert.deepEqual(matchesOf('ws', '8.23.0'), []);
  assert.equal(matchesOf('ws', '7.5.10').find((m) => m.id === 'GHSA-96hv-2xvq-fx4p')?.fixed, '7.5.11');
});

test('node-fetch: 2.6.6 is flagged by GHSA-r683-j2x4-v87g (introduced-0 range), 2.6.7 and 2.6.13 are not', () => {
  const m = matchesOf('node-fetch', '2.6.6').find((x) => x.id === 'GHSA-r683-j2x4-v87g');
  assert.ok(m);
  assert.equal(m.severity, 'HIGH');
  assert.equal(m.fixed, '2.6.7');
  assert.deepEqual(matchesOf('node-fetch', '2.6.7'), []);
  assert.deepEqual(matchesOf('node-fetch', '2.6.13'), []);
  // A prerelease range of GHSA-w7rc-rwvf-8q5r.
  assert.ok(ids(matchesOf('node-fetch', '3.0.0-beta.8')).includes('GHSA-w7rc-rwvf-8q5r'));
  assert.ok(!ids(matchesOf('node-fetch', '3.0.0-beta.9')).includes('GHSA-w7rc-rwvf-8q5r'));
});

test('form-data: 4.0.3 is flagged CRITICAL (GHSA-fjxv-7rqg-78g4) and HIGH, 4.0.5 HIGH only, 4.0.6 clean', () => {
  const m403 = matchesOf('form-data', '4.0.3');
  assert.deepEqual(ids(m403), ['GHSA-fjxv-7rqg-78g4', 'GHSA-hmw2-7cc7-3qxx']);
  assert.equal(m403[0].severity, 'CRITICAL', 'critical sorts first');
  assert.equal(m403.find((m) => m.id === 'GHSA-fjxv-7rqg-78g4')?.fixed, '4.0.4');
  assert.deepEqual(ids(matchesOf('form-data', '4.0.5')), ['GHSA-hmw2-7cc7-3qxx']);
  assert.deepEqual(matchesOf('form-data', '4.0.6'), []);
});

test('a last_affected range without a fix (sprintf-js GHSA-hp3w-g68c-fv3c) is reported, MODERATE does not fail', () => {
  const m = matchesOf('sprintf-js', '1.1.3');
  assert.equal(m.length, 1);
  assert.equal(m[0].id, 'GHSA-hp3w-g68c-fv3c');
  assert.equal(m[0].fixed, null);
  assert.equal(m[0].lastAffected, '1.1.3');
  assert.equal(m[0].failing, false);
  assert.equal(m[0].verifiedFromAdvisoryFile, false, 'its range comes from secondary sources');
  assert.equal(matchesOf('sprintf-js', '1.0.3').length, 1);
  assert.deepEqual(matchesOf('sprintf-js', '1.1.4'), []);
});

test('withdrawn advisories never match; exact-version entries do; LOW does not fail', () => {
  // GHSA-gv7w-rqvm-qjhr (withdrawn) covers esbuild >=0.17.0 <0.28.1; only the LOW one remains.
  const m = matchesOf('esbuild', '0.27.3');
  assert.deepEqual(ids(m), ['GHSA-g7r4-m6w7-qqqr']);
  assert.equal(m[0].failing, false);
  assert.deepEqual(matchesOf('esbuild', '0.28.2'), []);
  // Versions-only entries (compromised releases of September 2025), severity unknown: failing.
  const chalk = matchesOf('chalk', '5.6.1');
  assert.equal(chalk.length, 1);
  assert.equal(chalk[0].severity, 'UNKNOWN');
  assert.equal(chalk[0].failing, true);
  assert.deepEqual(matchesOf('chalk', '5.6.2'), []);
  assert.deepEqual(matchesOf('chalk', '4.1.2'), []);
  // A range plus an explicit versions list: the fix is still reported.
  assert.equal(matchesOf('color-convert', '3.1.1')[0]?.fixed, '3.1.2');
  assert.deepEqual(
    matchesOf('y18n', '4.0.0').map((x) => x.fixed),
    ['4.0.1'],
  );
});

test('matchAdvisories only looks at the named package and skips unparsable versions', () => {
  const synthetic = [
    {
      id: 'TEST-1',
      summary: 's',
      severity: 'HIGH',
      affected: [
        { package: 'a', ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }] },
      ],
    },
  ];
  assert.equal(matchAdvisories([{ name: 'b', version: '1.0.0' }], synthetic).length, 0);
  assert.equal(matchAdvisories([{ name: 'a', version: 'git+https://x' }], synthetic).length, 0);
  assert.equal(matchAdvisories([{ name: 'a', version: '1.9.9' }], synthetic)[0].fixed, '2.0.0');
});

test('collectInstalled walks npm ls JSON, dedupes name@version and skips missing optional packages', () => {
  const tree = {
    name: 'app',
    dependencies: {
      x: { version: '1.0.0', dependencies: { y: { version: '2.0.0' }, z: { version: '3.0.0' } } },
      y: { version: '2.0.0' },
      w: { version: '4.0.0', dependencies: { y: { version: '2.1.0' } } },
      gone: { missing: true, required: '^1.0.0' },
    },
  };
  assert.deepEqual(collectInstalled(tree), [
    { name: 'w', version: '4.0.0', via: 'w' },
    { name: 'x', version: '1.0.0', via: 'x' },
    { name: 'y', version: '2.0.0', via: 'x > y' },
    { name: 'y', version: '2.1.0', via: 'w > y' },
    { name: 'z', version: '3.0.0', via: 'x > z' },
  ]);
});

test('the snapshot records its date, its sources and what was searched', () => {
  assert.match(snapshot.snapshot.date, /^\d{4}-\d{2}-\d{2}$/);
  assert.match(snapshot.$comment, /SNAPSHOT/);
  for (const a of advisories) {
    assert.match(a.id, /^GHSA-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/);
    assert.ok(['LOW', 'MODERATE', 'HIGH', 'CRITICAL', 'UNKNOWN'].includes(a.severity), a.id);
    if (a.verifiedFromAdvisoryFile) {
      assert.match(
        a.source.path,
        new RegExp(`^advisories/github-reviewed/\\d{4}/\\d{2}/${a.id}/${a.id}\\.json$`),
      );
      assert.match(a.source.commit, /^[0-9a-f]{40}$/);
    } else assert.ok(a.source.note, `${a.id} says why it was not read from its advisory file`);
  }
  const p = snapshot.packages;
  const listed = [...p.withAdvisories, ...p.searchedNothingFound, ...p.notSearchedIndividually];
  assert.equal(new Set(listed).size, listed.length, 'each package is listed once');
  for (const a of advisories)
    for (const e of a.affected)
      if (listed.includes(e.package)) assert.ok(p.withAdvisories.includes(e.package), e.package);
});
