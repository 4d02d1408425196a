import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, promises as fs, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Midi } from '@tonejs/midi';
import { runCaptured } from './run.fixture.js';

/**
 * End to end through the CLI, on real data: train a small model (8 epochs, at most 55 s) on 30 Nottingham
 * folk tunes (../shared/data, resolved from the repository root), evaluate it on 12 other tunes
 * (the LSTM's held-out NLL must beat the bigram baseline fitted on the same training tokens), then
 * generate MIDI and read it back with @tonejs/midi (notes inside the model's pitch range and the
 * requested length, the requested tempo).
 */
const ROOT = resolve(__dirname, '..');
const NOTTINGHAM = resolve(ROOT, '..', 'shared', 'data', 'nottingham-midi');

const cli = runCaptured;

test(
  'train → eval beats bigram → generate valid MIDI (Nottingham, CLI)',
  { skip: !existsSync(NOTTINGHAM) && 'no ../shared/data' },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'ostinato-int-'));
    t.after(() => fs.rm(dir, { recursive: true, force: true }));
    const files = readdirSync(NOTTINGHAM)
      .filter((f) => f.endsWith('.mid'))
      .sort();
    // Spread over the collection (it is sorted by tune family).
    const pick = (n: number, offset: number) =>
      Array.from({ length: n }, (_, i) => join(NOTTINGHAM, files[(offset + i * 29) % files.length]));
    const trainFiles = pick(30, 0);
    const heldOut = pick(12, 13).filter((f) => !trainFiles.includes(f));
    const model = join(dir, 'model');

    const tr = await cli([
      'train',
      ...trainFiles,
      '--out',
      model,
      '--json',
      '--epochs',
      '8',
      '--max-seconds',
      '55',
      '--hidden',
      '128',
      '--layers',
      '1',
      '--embedding',
      '32',
      '--batch',
      '16',
      '--lr',
      '0.008',
      '--dropout',
      '0.1',
      '--transpose',
      '2',
      '--patience',
      '0',
    ]);
    assert.equal(tr.code, 0, tr.err);
    assert.match(
      tr.err,
      /setup: (tensorflow|wasm|cpu) measured fastest \(.* ms per 16 x 32 batch; .*\); \d threads?/,
    );
    const epochs = tr.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((e) => e.type === 'epoch');
    assert.ok(epochs.length >= 2, `only ${epochs.length} epochs in 55 s`);
    assert.ok(epochs.at(-1).valLoss < epochs[0].valLoss);

    const ev = await cli(['eval', '--model', model, ...heldOut, '--json']);
    assert.equal(ev.code, 0, ev.err);
    const report = JSON.parse(ev.out);
    assert.equal(report.pieces, heldOut.length);
    assert.ok(
      report.model.nll < report.bigram.nll,
      `LSTM ${report.model.nll} vs bigram ${report.bigram.nll}`,
    );
    assert.ok(report.bigram.nll < report.unigram.nll);
    assert.ok(report.model.accuracy > report.bigram.accuracy);

    const out = join(dir, 'gen', 'tune.mid');
    // the same settings twice: the second run must reproduce the first variation exactly
    const sampling = [
      '--bars',
      '8',
      '--tempo',
      '132',
      '--seed',
      '7',
      '--primer',
      heldOut[0],
      '--primer-bars',
      '2',
      '--temperature',
      '0.9',
      '--top-p',
      '0.95',
    ];
    const gen = await cli(['generate', '--model', model, '--out', out, '--variations', '2', ...sampling]);
    assert.equal(gen.code, 0, gen.err);
    const manifest = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8'));
    const pitches = (manifest.vocabulary as string[])
      .filter((t) => t.startsWith('NOTE_'))
      .map((t) => Number(t.slice(5)));
    const [lo, hi] = [Math.min(...pitches), Math.max(...pitches)];
    const bytes: Uint8Array[] = [];
    for (const name of ['tune-1.mid', 'tune-2.mid']) {
      const data = readFileSync(join(dir, 'gen', name));
      bytes.push(data);
      const midi = new Midi(data);
      assert.equal(Math.round(midi.header.tempos[0].bpm), 132);
      const notes = midi.tracks.flatMap((tr) => tr.notes);
      assert.ok(notes.length >= 8, `${name}: ${notes.length} notes`);
      const spb = (60 / 132) * 4; // seconds per 4/4 bar (the primer tunes are in 4/4 or 3/4)
      const ts = midi.header.timeSignatures[0]?.timeSignature ?? [4, 4];
      const bar = (spb * ts[0]) / 4 / (ts[1] / 4);
      for (const n of notes) {
        assert.ok(n.midi >= lo && n.midi <= hi, `${name}: pitch ${n.midi} outside ${lo}..${hi}`);
        assert.ok(
          n.time + n.duration <= 10 * bar + 1e-6,
          `${name}: note ends at ${n.time + n.duration}s, past 10 bars`,
        );
      }
    }
    assert.notDeepEqual(bytes[0], bytes[1]);
    // Same seed, same music.
    const again = await cli(['generate', '--model', model, '--out', join(dir, 'again.mid'), ...sampling]);
    assert.equal(again.code, 0, again.err);
    const a = new Midi(readFileSync(join(dir, 'again.mid'))).tracks.flatMap((tr) =>
      tr.notes.map((n) => [n.midi, n.ticks, n.durationTicks]),
    );
    const b = new Midi(bytes[0]).tracks.flatMap((tr) =>
      tr.notes.map((n) => [n.midi, n.ticks, n.durationTicks]),
    );
    assert.deepEqual(a, b);
  },
);
