import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CorpusStore } from './corpus-store.js';
import { nottingham, readOnlyCopy, tempDir } from './host.fixture.js';
import { drumsOnly, pedalPiano, pitchBends } from '../../model/midi/corpus.fixture.js';

const grid = () => '16th' as const;

test('import: good files stored, a bad file in the batch skipped with its reason, duplicates skipped', async (t) => {
  const dir = join(tempDir(t), 'corpus');
  const store = new CorpusStore(dir, grid);
  await store.load();
  const res = await store.import([
    nottingham('ashover1.mid'),
    { name: 'notes/readme.mid', data: new TextEncoder().encode('hello, not midi') },
    nottingham('ashover10.mid'),
    { name: 'copy of ashover1.mid', data: nottingham('ashover1.mid').data },
  ]);
  assert.deepEqual(
    res.imported.map((f) => f.name),
    ['ashover1.mid', 'ashover10.mid'],
  );
  assert.equal(res.skipped.length, 2);
  assert.equal(res.skipped[0].name, 'notes/readme.mid');
  assert.match(res.skipped[0].reason, /MThd|not a MIDI file/i);
  assert.deepEqual(res.skipped[1], {
    name: 'copy of ashover1.mid',
    reason: 'already in the corpus as "ashover1.mid"',
  });
  const f = res.imported[0];
  assert.equal(f.status, 'ok');
  assert.ok(f.tracks.length >= 2, 'Nottingham files have a melody and a chord track');
  assert.ok(f.notes > 50);
  assert.ok(f.durationSeconds > 10);
  assert.ok(f.bpm > 30 && f.bpm < 300);
  assert.equal(f.quantization.grid, '16th');
  assert.equal(
    f.notes,
    f.tracks.reduce((a, x) => a + x.notes, 0),
  );
  assert.ok(f.tracks.every((x) => x.selected === x.notes > 0 && !x.isDrum));
  // Stored bytes are the original file, and a reload sees the same corpus.
  assert.deepEqual(new Uint8Array(readFileSync(join(dir, `${f.id}.mid`))), nottingham('ashover1.mid').data);
  const again = new CorpusStore(dir, grid);
  await again.load();
  assert.deepEqual(again.list(), store.list());
});

test('track selection: recomputed summary, persisted, unknown tracks refused', async (t) => {
  const dir = join(tempDir(t), 'corpus');
  const store = new CorpusStore(dir, grid);
  await store.load();
  const [f] = (await store.import([nottingham('ashover1.mid')])).imported;
  const first = f.tracks[0].index;
  const updated = await store.setTracks(f.id, [first]);
  assert.deepEqual(
    updated.tracks.map((x) => x.selected),
    f.tracks.map((x) => x.index === first),
  );
  assert.ok(updated.quantization.moved <= f.quantization.moved);
  await assert.rejects(store.setTracks(f.id, [99]), /has no track 99/);
  await assert.rejects(
    store.setTracks('c-0000000000000000', [0]),
    /There is no corpus file with id "c-0000000000000000"/,
  );
  const again = new CorpusStore(dir, grid);
  await again.load();
  assert.deepEqual(again.list()[0].tracks, updated.tracks);
  assert.deepEqual(
    again.trainingInputs().map((x) => x.tracks),
    [[first]],
  );
  const p = await again.piece(f.id);
  assert.deepEqual(p.tracks, [first]);
  assert.ok(p.piece.tracks.length >= 2);
});

test('remove: every id must exist; files and index entries go', async (t) => {
  const dir = join(tempDir(t), 'corpus');
  const store = new CorpusStore(dir, grid);
  await store.load();
  const { imported } = await store.import([nottingham('ashover1.mid'), nottingham('ashover2.mid')]);
  await assert.rejects(store.remove([imported[0].id, 'c-nope']), /no corpus file with id "c-nope"/);
  assert.equal(store.list().length, 2, 'nothing removed when one id is unknown');
  await store.remove([imported[0].id]);
  assert.deepEqual(
    store.list().map((f) => f.id),
    [imported[1].id],
  );
  assert.ok(!readdirSync(dir).includes(`${imported[0].id}.mid`));
});

test('a missing stored copy shows as an error entry; a corrupt index is kept aside and rebuilt', async (t) => {
  const dir = join(tempDir(t), 'corpus');
  const store = new CorpusStore(dir, grid);
  await store.load();
  const { imported } = await store.import([nottingham('ashover1.mid'), nottingham('ashover2.mid')]);
  await fs.rm(join(dir, `${imported[0].id}.mid`));
  const s2 = new CorpusStore(dir, grid);
  await s2.load();
  const broken = s2.list().find((f) => f.id === imported[0].id)!;
  assert.equal(broken.status, 'error');
  assert.match(broken.error!, /stored copy of this file is missing/);
  assert.deepEqual(
    s2.trainingInputs().map((x) => x.id),
    [imported[1].id],
  );

  await fs.writeFile(join(dir, 'index.json'), '{"version":1,"entr');
  const s3 = new CorpusStore(dir, grid);
  await s3.load();
  assert.deepEqual(
    s3.list().map((f) => f.id),
    [imported[1].id],
  );
  assert.ok(
    readdirSync(dir).some((n) => n.startsWith('index.json.corrupt-')),
    'the corrupt index is kept',
  );
});

test('read-only corpus folder: import fails with a clear error, the index stays intact', async (t) => {
  const src = join(tempDir(t), 'corpus');
  const store = new CorpusStore(src, grid);
  await store.load();
  const { imported } = await store.import([nottingham('ashover1.mid')]);
  const roDir = await readOnlyCopy(t, src);
  if (roDir === null) return;
  const before = readFileSync(join(roDir, 'index.json'), 'utf8');
  const s = new CorpusStore(roDir, grid);
  await s.load();
  await assert.rejects(s.import([nottingham('ashover2.mid')]), (e: Error) => {
    assert.match(e.message, /Could not save .*: (the folder is read-only \(EROFS\)|permission denied)/);
    return true;
  });
  await assert.rejects(s.setTracks(imported[0].id, []), /Could not save .*index\.json/);
  assert.equal(readFileSync(join(roDir, 'index.json'), 'utf8'), before);
  assert.deepEqual(s.list(), store.list(), 'the in-memory corpus did not change either');
});

test('import: warnings say what was left out, a drums-only file says why it cannot train, sustain is per import', async (t) => {
  const dir = join(tempDir(t), 'corpus');
  const store = new CorpusStore(dir, grid);
  await store.load();
  const asFile = (c: { name: string; bytes: Uint8Array }) => ({ name: c.name, data: c.bytes });
  const held = await store.import([asFile(pedalPiano()), asFile(drumsOnly()), asFile(pitchBends())]);
  const [pedal, drums, bends] = held.imported;
  assert.equal(pedal.sustain, true);
  assert.deepEqual(pedal.warnings, [
    'sustain pedal: 4 notes held through the pedal (7 pedal events, channel 1); import without sustain for key-up lengths',
  ]);
  assert.equal(pedal.untrainable, undefined);
  assert.match(drums.untrainable!, /^nothing to train on: all 16 note\(s\) are on the drum channel \(10\)/);
  assert.deepEqual(
    drums.tracks.map((x) => x.selected),
    [false],
  );
  assert.ok(bends.warnings!.includes('102 pitch bends ignored (notes keep their written pitch)'));
  // Training reads the stored file the way it was imported; the drums-only file has no selected track.
  assert.deepEqual(
    store.trainingInputs().map((x) => [x.name, x.sustain]),
    [
      ['pedal-piano.mid', true],
      ['bends.mid', true],
    ],
  );
  // The same file imported with the pedal off (another copy: the bytes differ by nothing, so remove first).
  await store.remove([pedal.id]);
  const keys = (await store.import([asFile(pedalPiano())], { sustain: false })).imported[0];
  assert.equal(keys.sustain, false);
  assert.match(keys.warnings![0], /^sustain pedal not applied: 7 pedal events/);
  const primer = await store.piece(keys.id);
  assert.deepEqual(
    primer.piece.tracks[0].notes.map((n) => n.durationTicks),
    [120, 1080, 100, 100, 100, 100, 840],
  );
  // Selecting the drum track makes the drums-only file trainable; the setting survives a reload.
  const withDrums = await store.setTracks(drums.id, [0]);
  assert.equal(withDrums.untrainable, undefined);
  const again = new CorpusStore(dir, grid);
  await again.load();
  const listed = again.list().find((f) => f.id === keys.id)!;
  assert.equal(listed.sustain, false);
  assert.equal(again.trainingInputs([keys.id])[0].sustain, false);
});
