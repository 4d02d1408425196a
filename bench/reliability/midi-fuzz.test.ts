/**
 * Quick version of the importer fuzz of `npm run stress` (bench/stress-checks.ts): a few hundred
 * mutated and random MIDI files through the import path in worker processes with time and memory
 * limits, after proving the harness detects a hang, a crash and a memory blow-up. Plus a batch
 * import of good and broken files from disk: the good ones import, each broken one is skipped with a
 * reason naming it, and nothing throws.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkImporterFuzz } from '../stress-checks.js';
import { fuzzCase, loadSeedFiles } from '../stress-fuzz.js';
import { importMidiFiles, parseMidi } from '../../model/index.js';

const SEED = Number(process.env.OSTINATO_FUZZ_SEED ?? 20261127);

test('300 fuzzed MIDI files: each imports or gives a MidiImportError naming it; no crash, hang or memory blow-up', async (t) => {
  const r = await checkImporterFuzz({ seed: SEED, count: 300, seedFiles: 60, calibrate: true, workers: 2 });
  for (const line of r.lines.slice(0, 2)) t.diagnostic(line);
  t.diagnostic(
    `imported ${r.stats.imported}, clean errors ${r.stats.cleanErrors}, max ${r.stats.maxMs.toFixed(0)} ms, peak RSS ${(r.stats.peakRssBytes / 2 ** 20).toFixed(0)} MiB`,
  );
  assert.deepEqual(r.problems, []);
  assert.equal(r.stats.imported + r.stats.cleanErrors, 300);
  // The mutations must produce both outcomes, or they test nothing.
  assert.ok(
    r.stats.imported > 10 && r.stats.cleanErrors > 100,
    `imported ${r.stats.imported}, errors ${r.stats.cleanErrors}`,
  );
});

test('fuzz cases are reproducible from the seed', () => {
  const seeds = loadSeedFiles(20);
  for (const i of [0, 7, 123]) {
    const a = fuzzCase(SEED, i, seeds);
    const b = fuzzCase(SEED, i, seeds);
    assert.equal(a.name, b.name);
    assert.deepEqual(a.bytes, b.bytes);
  }
});

test('a batch with broken files imports the good ones and names every broken one', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ostinato-batch-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  const seeds = loadSeedFiles(6);
  for (const s of seeds) writeFileSync(join(dir, s.name), s.bytes);
  // Broken files: the first 40 fuzz cases that parseMidi rejects.
  const broken: string[] = [];
  for (let i = 0; broken.length < 12 && i < 400; i++) {
    const c = fuzzCase(SEED + 1, i, seeds);
    try {
      parseMidi(c.bytes, c.name);
    } catch {
      writeFileSync(join(dir, c.name), c.bytes);
      broken.push(c.name);
    }
  }
  writeFileSync(join(dir, 'notes.txt.mid'), 'this is a text file');
  broken.push('notes.txt.mid');
  const r = await importMidiFiles([dir]);
  assert.equal(r.pieces.length, seeds.length, `skipped: ${JSON.stringify(r.skipped.slice(0, 3))}`);
  assert.equal(r.skipped.length, broken.length);
  for (const name of broken) {
    const s = r.skipped.find((x) => x.file.endsWith(name));
    assert.ok(s, `${name} is not listed as skipped`);
    assert.ok(s.reason.length > 5, `${name}: empty reason`);
  }
});
