import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gridPieceToMidi } from '../midi/write.js';
import { parseMidi } from '../midi/parse.js';
import { patternPiece } from './train.fixture.js';
import { loadPiecesFromPaths } from './corpus.js';

test('loadPiecesFromPaths: plain paths use every track; a file choice its name and tracks; bad files are skipped with the reason', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ostinato-corpus-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  const a = join(dir, 'a.mid');
  const bytes = gridPieceToMidi(patternPiece('a', 60), { splitByTrack: true });
  writeFileSync(a, bytes);
  writeFileSync(join(dir, 'b.mid'), gridPieceToMidi(patternPiece('b', 62)));
  writeFileSync(join(dir, 'bad.mid'), 'not midi');
  const tracks = parseMidi(bytes, 'a')
    .tracks.filter((tr) => tr.notes.length > 0)
    .map((tr) => ({ index: tr.index, notes: tr.notes.length }));
  assert.equal(tracks.length, 2);

  const all = await loadPiecesFromPaths([dir], { grid: '16th' });
  assert.equal(all.pieces.length, 2);
  assert.equal(all.pieces[0].notes.length, tracks[0].notes + tracks[1].notes);
  assert.deepEqual(
    all.skipped.map((s) => s.file),
    [join(dir, 'bad.mid')],
  );

  const chosen = await loadPiecesFromPaths(
    [
      { path: a, name: 'Song A', tracks: [tracks[1].index], sustain: false },
      { path: a, name: 'Nothing chosen', tracks: [] },
      { path: join(dir, 'missing.mid'), name: 'Gone' },
    ],
    { grid: '16th' },
  );
  assert.equal(chosen.pieces.length, 1);
  assert.equal(chosen.pieces[0].name, 'Song A');
  assert.equal(chosen.pieces[0].notes.length, tracks[1].notes);
  assert.deepEqual(chosen.skipped, [
    { file: 'Nothing chosen', reason: 'nothing to train on: no track with notes is selected' },
    { file: 'Gone', reason: 'no such file or folder' },
  ]);

  const ac = new AbortController();
  ac.abort();
  const cancelled = await loadPiecesFromPaths([a, dir], { grid: '16th', signal: ac.signal });
  assert.deepEqual(cancelled, { pieces: [], reports: [], skipped: [] });
});
