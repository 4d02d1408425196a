import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, truncateSync, rmSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { importMidiFiles } from './import-files.js';
import { ev, smf, track } from './smf-builder.js';

const nottingham = resolve(__dirname, '../..', '../shared/data/nottingham-midi');

test('a batch: bad files are skipped with their reason, the others import', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ostinato-import-'));
  try {
    mkdirSync(join(dir, 'sub', 'deeper'), { recursive: true });
    copyFileSync(join(nottingham, 'ashover1.mid'), join(dir, 'a.mid'));
    copyFileSync(join(nottingham, 'jigs10.mid'), join(dir, 'sub', 'deeper', 'b.MIDI'));
    writeFileSync(join(dir, 'sub', 'c.mid'), smf(0, 96, [track([ev.on(0, 0, 60), ev.off(96, 0, 60)])]));
    writeFileSync(join(dir, 'notes.txt'), 'not a midi file, ignored inside folders');
    writeFileSync(join(dir, 'bad.mid'), 'garbage, not MIDI');
    writeFileSync(
      join(dir, 'cut.mid'),
      smf(1, 480, [track([ev.tempo(0, 120)]), track([ev.on(0, 0, 60), ev.off(480, 0, 60)])]).subarray(0, 30),
    );
    // Over 50 MB without writing 50 MB: a sparse file.
    writeFileSync(join(dir, 'huge.mid'), smf(0, 96, [track([ev.on(0, 0, 60), ev.off(96, 0, 60)])]));
    truncateSync(join(dir, 'huge.mid'), 51 * 1024 * 1024);
    const progress: number[] = [];
    const r = await importMidiFiles([dir, join(dir, 'missing.mid')], { onProgress: (d) => progress.push(d) });
    assert.deepEqual(
      r.pieces.map((p) => p.path),
      [join(dir, 'a.mid'), join(dir, 'sub', 'c.mid'), join(dir, 'sub', 'deeper', 'b.MIDI')],
    );
    assert.ok(r.pieces[0].piece.tracks.length >= 1);
    const reasons = Object.fromEntries(r.skipped.map((s) => [s.file, s.reason]));
    assert.equal(Object.keys(reasons).length, 4);
    assert.match(reasons[join(dir, 'bad.mid')], /not a MIDI file \(no MThd header\)/);
    assert.match(reasons[join(dir, 'cut.mid')], /truncated/);
    assert.match(reasons[join(dir, 'huge.mid')], /too large \(51\.0 MB; the limit is 50 MB\)/);
    assert.match(reasons[join(dir, 'missing.mid')], /no such file or folder/);
    assert.deepEqual(progress, [1, 2, 3, 4, 5, 6]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file named explicitly is tried whatever its extension', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ostinato-import-'));
  try {
    writeFileSync(join(dir, 'song.kar'), smf(0, 96, [track([ev.on(0, 0, 60), ev.off(96, 0, 60)])]));
    const r = await importMidiFiles([join(dir, 'song.kar')]);
    assert.equal(r.pieces.length, 1);
    assert.equal(r.skipped.length, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
