import { test } from 'node:test';
import { Midi } from '@tonejs/midi';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GeneratedPiece, GenerateOptions } from '../shared/api.js';
import { checkGeneratedPiece } from '../shared/validate.js';
import { Generator, pieceBaseName, pieceToMidi, toGeneratedPiece } from './generation.js';
import { expectedBackend } from './host.js';
import { CorpusStore } from './corpus-store.js';
import { ModelLibrary } from './model-library.js';
import { makeTinyModel, tempDir, testHost } from './host.fixture.js';
import { parseMidi } from '../../model/index.js';

const opts: GenerateOptions = {
  modelId: 'm-0000000000000001',
  primer: { kind: 'none' },
  bars: 64,
  temperature: 1,
  topK: 0,
  topP: 1,
  seed: 3,
  tempo: 120,
  key: 'C',
  scale: 'none',
  variations: 16,
};

test('generation runs in a worker: the main thread keeps running; results are valid API pieces', async (t) => {
  const host = await testHost(t);
  await makeTinyModel(join(host.models.dir, opts.modelId), 'Tiny: "reels" / jigs..');
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  const started = performance.now();
  const pieces = await host.generate(opts);
  const ms = performance.now() - started;
  clearInterval(timer);
  t.diagnostic(`64 bars x 16 variations: ${ms.toFixed(0)} ms, ${ticks} main-thread timer ticks meanwhile`);
  // On the main thread the timer could not fire at all while generating; allow for a busy machine.
  assert.ok(
    ticks >= Math.max(3, Math.min(10, ms / 50)),
    `the main thread ran ${ticks} ticks in ${ms.toFixed(0)} ms`,
  );
  assert.equal(pieces.length, 16);
  assert.equal(new Set(pieces.map((p) => p.id)).size, 16);
  for (const p of pieces) {
    assert.deepEqual(
      checkGeneratedPiece(p, 'piece'),
      p,
      'every piece passes the API validation (export, drag)',
    );
    assert.match(p.name, /^Tiny reels jigs\. \d+$/);
    assert.equal(p.durationSeconds, 64 * 2);
  }
  // A renamed model (changed model.json) is picked up by the worker.
  await host.modelRename(opts.modelId, 'Renamed');
  assert.match((await host.generate({ ...opts, bars: 1, variations: 1 }))[0].name, /^Renamed/);
});

test('a crashed generation worker gives a clear error and is replaced on the next request', async (t) => {
  const dir = tempDir(t);
  const crash = join(dir, 'crash.cjs');
  writeFileSync(crash, "require('node:worker_threads').parentPort.on('message', () => process.exit(7));");
  const lib = new ModelLibrary(dir, null);
  await lib.init();
  await makeTinyModel(join(lib.dir, 'm-1'), 'x');
  const gen = new Generator(lib, new CorpusStore(join(dir, 'corpus'), () => '16th'), crash);
  t.after(() => gen.dispose());
  const req = { bars: 1, temperature: 1, topK: 0, topP: 1, seed: 1 };
  await assert.rejects(
    gen.run(join(lib.dir, 'm-1'), req),
    /Generation stopped unexpectedly: the generation worker exited \(code 7\)/,
  );
  await assert.rejects(gen.run(join(lib.dir, 'm-1'), req), /exited \(code 7\)/, 'a new worker was started');
});

test('MIDI export keeps every note exactly (tick-fine grid through the core writer)', () => {
  const piece: GeneratedPiece = {
    id: 'p-1',
    name: 'Export: test/1',
    seed: 1,
    bpm: 90,
    timeSignature: [3, 4],
    bars: 2,
    durationSeconds: 4,
    notes: [
      { pitch: 60, time: 0, duration: 0.5, velocity: 0.7 },
      { pitch: 64, time: 0, duration: 1 / 3, velocity: 1 },
      { pitch: 67, time: 2 / 3, duration: 0.25, velocity: 0.2 },
    ],
    primerNotes: 0,
  };
  const { name, data } = pieceToMidi(piece);
  assert.equal(name, 'Export_ test_1.mid');
  // The export name is the core's exportFileName: no bidi tricks, no doubled extension, no device names.
  assert.equal(pieceToMidi({ ...piece, name: 'x\u202ey.mid' }).name, 'xy.mid');
  assert.equal(pieceToMidi({ ...piece, name: 'con' }).name, '_con.mid');
  // A meter map (a primer's meters) survives the trip to seconds, through validation and back to MIDI.
  const metered = toGeneratedPiece({
    name: 'Metered',
    stepsPerQuarter: 4,
    bpm: 120,
    timeSignature: [3, 4],
    lengthSteps: 32,
    notes: [{ pitch: 60, start: 0, duration: 4, velocity: 90, track: 0 }],
    meters: [
      { step: 0, timeSignature: [3, 4] },
      { step: 24, timeSignature: [2, 4] },
    ],
    seed: 1,
    bars: 3,
    primerNotes: 0,
    tokens: new Int32Array(0),
  });
  assert.deepEqual(metered.meters, [
    { time: 0, timeSignature: [3, 4] },
    { time: 3, timeSignature: [2, 4] },
  ]);
  const checked = checkGeneratedPiece(metered, 'piece');
  assert.deepEqual(checked.meters, metered.meters);
  assert.throws(
    () => checkGeneratedPiece({ ...metered, meters: [{ time: 0, timeSignature: [3, 5] }] }, 'piece'),
    /meters\[0\]\.timeSignature\[1\] must be a power of two/,
  );
  assert.deepEqual(parseMidi(pieceToMidi(checked).data, 'm').timeSignatures, [
    { tick: 0, numerator: 3, denominator: 4 },
    { tick: 6 * 480, numerator: 2, denominator: 4 },
  ]);
  const back = parseMidi(data, name);
  assert.deepEqual(back.timeSignatures[0], { tick: 0, numerator: 3, denominator: 4 });
  assert.equal(Math.round(back.tempos[0].bpm), 90);
  const notes = back.tracks
    .flatMap((tr) => tr.notes)
    .sort((a, b) => a.startTick - b.startTick || a.pitch - b.pitch);
  const secPerTick = 60 / 90 / back.ppq;
  assert.deepEqual(
    notes.map((n) => [
      n.pitch,
      +(n.startTick * secPerTick).toFixed(4),
      +(n.durationTicks * secPerTick).toFixed(4),
      n.velocity,
    ]),
    [
      [60, 0, 0.5, 89],
      [64, 0, 0.3333, 127],
      [67, 0.6667, 0.25, 25],
    ],
  );
});

test('piece names from any model name pass the name rules; backend guess', () => {
  assert.equal(pieceBaseName('a/b\\c:d*e?'), 'a b c d e');
  assert.equal(pieceBaseName('...'), 'Generated');
  assert.equal(pieceBaseName('x..y'), 'x.y');
  assert.equal(expectedBackend({ OSTINATO_BACKEND: 'cpu' }), 'cpu');
  assert.equal(expectedBackend({ OSTINATO_BACKEND: 'node' }), 'tensorflow');
});

test('primerInfo: a primer file’s tempo, meter and key; a bad file says why', async (t) => {
  const host = await testHost(t);
  // G major: G B D, with F# leading to G, in 3/4 at 230 bpm
  const midi = new Midi();
  midi.header.setTempo(230);
  midi.header.timeSignatures.push({ ticks: 0, timeSignature: [3, 4] });
  const track = midi.addTrack();
  [67, 71, 74, 66, 67, 62, 71, 67, 74, 79, 66, 67].forEach((pitch, i) =>
    track.addNote({ midi: pitch, ticks: i * 480, durationTicks: 480, velocity: 0.8 }),
  );
  const file = { name: 'waltz.mid', data: midi.toArray() };
  const info = await host.primerInfo({ kind: 'file', file, bars: 2 });
  assert.deepEqual(info, { bpm: 230, timeSignature: [3, 4], key: 'G', scale: 'major' });
  await assert.rejects(
    host.primerInfo({ kind: 'file', file: { name: 'bad.mid', data: new Uint8Array([1, 2, 3]) }, bars: 2 }),
    /The primer .*bad\.mid/,
  );
  await assert.rejects(
    host.primerInfo({ kind: 'corpus', fileId: 'c-0000000000000009', bars: 2 }),
    /no corpus file/,
  );
});

test('a notes primer (Continue from here): the pieces start with those notes (pitch classes: a primer is fitted to the vocabulary by octaves)', async (t) => {
  const host = await testHost(t);
  await makeTinyModel(join(host.models.dir, opts.modelId), 'Tiny');
  const beat = 0.5; // 120 bpm
  const notes = [60, 62, 64, 65, 67, 65, 64, 62].map((pitch, i) => ({
    pitch,
    time: i * beat,
    duration: beat,
    velocity: 0.8,
  }));
  const pieces = await host.generate({
    ...opts,
    bars: 2,
    variations: 2,
    primer: { kind: 'notes', notes, bpm: 120, timeSignature: [4, 4], bars: 2 },
  });
  assert.equal(pieces.length, 2);
  for (const p of pieces) {
    assert.equal(p.primerNotes, notes.length);
    const head = p.notes
      .slice(0, p.primerNotes)
      .map((n) => ({ pitch: n.pitch % 12, time: n.time, duration: n.duration }))
      .sort((a, b) => a.time - b.time);
    assert.deepEqual(
      head,
      notes.map((n) => ({ pitch: n.pitch % 12, time: n.time, duration: n.duration })),
    );
    assert.ok(p.notes.length >= notes.length);
  }
});
