// `ostinato inspect --json` on the awkward files of model/midi/corpus.fixture.ts: every tempo and every
// time signature listed, the sustain pedal reported (and switched off with --no-sustain), what was
// ignored, and why a file gives nothing to train on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCaptured } from './run.fixture.js';
import { ev, MANY_TEMPOS, smf, testCorpus, track } from '../model/midi/corpus.fixture.js';

interface Listed {
  file: string;
  ok: boolean;
  tempos: { tick: number; beat: number; seconds: number; bpm: number }[];
  timeSignatures: { tick: number; beat: number; numerator: number; denominator: number }[];
  tempoChanges: number;
  timeSignatureChanges: number;
  sustain: { applied: boolean; pedalEvents: number; notesHeld: number };
  ignored: { pitchBends: number };
  untrainable: string | null;
  warnings: string[];
}

async function inspect(argv: string[]): Promise<{ code: number; files: Record<string, Listed> }> {
  const { code, out } = await runCaptured(['inspect', '--json', ...argv]);
  const files: Record<string, Listed> = {};
  for (const f of (JSON.parse(out) as { files: Listed[] }).files) files[f.file.split(/[\\/]/).pop()!] = f;
  return { code, files };
}

test('inspect --json lists every tempo and time signature, the pedal, what was ignored, and why nothing trains', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ostinato-inspect-'));
  try {
    for (const c of testCorpus()) writeFileSync(join(dir, c.name), c.bytes);
    // Two tempo events at tick 0 (the conductor's and a track's): both listed, the last one used.
    writeFileSync(
      join(dir, 'two-at-zero.mid'),
      smf(1, 480, [
        track([ev.tempo(0, 90), ev.tempo(960, 60)]),
        track([ev.tempo(0, 100), ev.on(0, 0, 60), ev.off(1920, 0, 60)]),
      ]),
    );
    const { code, files } = await inspect([dir]);
    assert.equal(code, 0);
    const rit = files['ritardando.mid'];
    assert.deepEqual(
      rit.tempos.map((t) => [t.tick, t.beat, t.bpm]),
      [
        [0, 1, 100],
        [1920, 5, 60],
        [2400, 6, 30],
        [2880, 7, 15],
        [3360, 8, 8],
        [3840, 9, 5],
      ],
    );
    assert.equal(rit.tempos[5].seconds, 2.4 + 1 + 2 + 4 + 7.5);
    assert.equal(rit.tempoChanges, 5);
    assert.equal(files['many-tempos.mid'].tempos.length, MANY_TEMPOS);
    assert.equal(files['many-tempos.mid'].tempoChanges, MANY_TEMPOS - 1);
    const meters = files['meters.mid'];
    assert.deepEqual(
      meters.timeSignatures.map((t) => [t.tick, t.beat, t.numerator, t.denominator]),
      [
        [0, 1, 3, 4],
        [576, 7, 5, 8],
        [1056, 12, 4, 4],
      ],
    );
    assert.equal(meters.timeSignatureChanges, 2);
    const pedal = files['pedal-piano.mid'];
    assert.deepEqual(
      [pedal.sustain.applied, pedal.sustain.pedalEvents, pedal.sustain.notesHeld],
      [true, 7, 4],
    );
    assert.equal(files['bends.mid'].ignored.pitchBends, 102);
    assert.match(files['drums.mid'].untrainable!, /all 16 note\(s\) are on the drum channel/);
    assert.equal(files['bends.mid'].untrainable, null);
    const two = files['two-at-zero.mid'];
    assert.deepEqual(
      two.tempos.map((t) => [t.tick, t.bpm]),
      [
        [0, 90],
        [0, 100],
        [960, 60],
      ],
    );
    assert.equal(two.tempoChanges, 1); // the map: 100 bpm at 0 (the last at that tick), 60 at 960
    assert.ok(
      two.warnings.includes(
        '1 tempo event(s) followed by a different tempo at the same tick: the last one at each tick is used',
      ),
    );

    const keys = (await inspect(['--no-sustain', join(dir, 'pedal-piano.mid')])).files['pedal-piano.mid'];
    assert.deepEqual([keys.sustain.applied, keys.sustain.notesHeld], [false, 0]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
