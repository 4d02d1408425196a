/**
 * The reader against @tonejs/midi as an oracle, on every Nottingham file: the same notes (pitch,
 * start, duration, velocity) per track, the same channels, programs and names, the same tempo map,
 * time signatures and key signatures.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Midi } from '@tonejs/midi';
import { parseMidi } from './parse.js';
import { sharpsOfKey, keyFromSharps } from './keys.js';

const dir = resolve(__dirname, '../..', '../shared/data/nottingham-midi');

function lastPerTick<T extends { ticks: number }>(events: T[]): T[] {
  const out: T[] = [];
  for (const e of [...events].sort((a, b) => a.ticks - b.ticks)) {
    if (out.length && out[out.length - 1].ticks === e.ticks) out[out.length - 1] = e;
    else out.push(e);
  }
  return out;
}

test('parseMidi agrees with @tonejs/midi on all 1034 Nottingham files', () => {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.mid'))
    .sort();
  assert.equal(files.length, 1034);
  let notes = 0;
  for (const f of files) {
    const bytes = new Uint8Array(readFileSync(resolve(dir, f)));
    const mine = parseMidi(bytes, f);
    const ref = new Midi(bytes);
    const refTracks = ref.tracks.filter((t) => t.notes.length > 0);
    assert.equal(mine.tracks.length, refTracks.length, `${f}: tracks`);
    refTracks.forEach((t, i) => {
      const m = mine.tracks[i];
      assert.equal(m.name, t.name.trim(), `${f}: name`);
      assert.equal(m.channel, t.channel, `${f}: channel`);
      assert.equal(m.program, t.instrument.number, `${f}: program`);
      assert.equal(m.instrument, t.instrument.name, `${f}: instrument`);
      const refNotes = t.notes
        .map((n) => [n.midi, n.ticks, n.durationTicks, Math.round(n.velocity * 127)])
        .sort((a, b) => a[1] - b[1] || a[0] - b[0]);
      assert.deepEqual(
        m.notes.map((n) => [n.pitch, n.startTick, n.durationTicks, n.velocity]),
        refNotes,
        `${f}: notes of track ${i}`,
      );
      notes += refNotes.length;
    });
    assert.equal(mine.ppq, ref.header.ppq);
    assert.deepEqual(
      mine.tempos.filter((t, i) => i > 0 || ref.header.tempos.length > 0),
      lastPerTick(ref.header.tempos).map((t) => ({ tick: t.ticks, bpm: Math.round(t.bpm * 1000) / 1000 })),
      `${f}: tempos`,
    );
    assert.deepEqual(
      mine.timeSignatures.filter((t, i) => i > 0 || ref.header.timeSignatures.some((s) => s.ticks === 0)),
      lastPerTick(ref.header.timeSignatures).map((t) => ({
        tick: t.ticks,
        numerator: t.timeSignature[0],
        denominator: t.timeSignature[1],
      })),
      `${f}: time signatures`,
    );
    assert.deepEqual(
      mine.keySignatures,
      lastPerTick(ref.header.keySignatures).map((k) => {
        const scale = k.scale === 'minor' ? 'minor' : 'major';
        return { tick: k.ticks, key: keyFromSharps(sharpsOfKey(k.key, 'major')!, scale)!, scale };
      }),
      `${f}: key signatures`,
    );
  }
  assert.ok(notes > 300_000, `${notes} notes compared`);
});
