import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMidi } from './parse.js';
import { MidiImportError } from './errors.js';
import { quantizePiece } from './quantize.js';
import { summarizePiece } from './summarize.js';
import { ev, smf, track, header, chunk } from './smf-builder.js';

function failsWith(bytes: Uint8Array, pattern: RegExp, name = 'song.mid'): MidiImportError {
  try {
    parseMidi(bytes, name);
  } catch (err) {
    assert.ok(err instanceof MidiImportError, `expected MidiImportError, got ${String(err)}`);
    assert.equal(err.file, name);
    assert.match(err.reason, pattern);
    assert.equal(err.message, `${name}: ${err.reason}`);
    return err;
  }
  assert.fail(`expected ${name} to fail with ${pattern}`);
}

const simple = () =>
  smf(1, 480, [
    track([ev.tempo(0, 100), ev.timeSig(0, 4, 4)]),
    track([ev.name(0, 'Melody'), ev.on(0, 0, 60), ev.off(480, 0, 60), ev.on(0, 0, 64), ev.off(480, 0, 64)]),
  ]);

test('a simple format 1 file', () => {
  const p = parseMidi(simple(), 'simple.mid');
  assert.equal(p.format, 1);
  assert.equal(p.ppq, 480);
  assert.equal(p.tracks.length, 1);
  assert.equal(p.tracks[0].name, 'Melody');
  assert.deepEqual(
    p.tracks[0].notes.map((n) => [n.pitch, n.startTick, n.durationTicks, n.velocity]),
    [
      [60, 0, 480, 100],
      [64, 480, 480, 100],
    ],
  );
  assert.deepEqual(p.tempos, [{ tick: 0, bpm: 100 }]);
  assert.deepEqual(p.timeSignatures, [{ tick: 0, numerator: 4, denominator: 4 }]);
  assert.deepEqual(p.warnings, []);
});

test('not MIDI', () => {
  failsWith(
    new TextEncoder().encode('hello, this is not a MIDI file at all'),
    /not a MIDI file \(no MThd header\)/,
  );
  failsWith(new Uint8Array(0), /empty/);
  failsWith(Uint8Array.from([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0]), /a RIFF file, but not RIFF MIDI/);
});

test('RIFF MIDI (RMID): the Standard MIDI File inside is read', () => {
  const smfBytes = simple();
  const le = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
  const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
  const body = [
    ...ascii('RMID'),
    ...ascii('INFO'),
    ...le(3),
    1,
    2,
    3,
    0,
    ...ascii('data'),
    ...le(smfBytes.length),
    ...smfBytes,
  ];
  const rmid = Uint8Array.from([...ascii('RIFF'), ...le(body.length), ...body]);
  const p = parseMidi(rmid, 'song.rmi');
  assert.deepEqual(
    p.tracks[0].notes.map((n) => n.pitch),
    [60, 64],
  );
  failsWith(rmid.subarray(0, rmid.length - 10), /truncated: the RMID data chunk/);
  failsWith(Uint8Array.from([...ascii('RIFF'), ...le(4), ...ascii('RMID')]), /without a data chunk/);
});

test('format 2 is read with a warning', () => {
  const p = parseMidi(
    smf(2, 96, [track([ev.on(0, 0, 60), ev.off(96, 0, 60)]), track([ev.on(0, 0, 62), ev.off(96, 0, 62)])]),
    'f2.mid',
  );
  assert.equal(p.format, 2);
  assert.equal(p.tracks.length, 2);
  assert.ok(p.warnings.some((w) => /format 2/.test(w)));
});

test('truncated files give a precise reason at every cut', () => {
  const full = simple();
  for (let cut = 4; cut < full.length; cut++) {
    failsWith(full.subarray(0, cut), /truncated/);
  }
  // The last track's length pointing past the end of the file.
  const bad = Uint8Array.from([...header(0, 1, 480), ...chunk('MTrk', [0, 0x90, 60, 100], 4000)]);
  const err = failsWith(bad, /truncated: track 1 declares 4000 bytes but only 4 remain/);
  assert.ok(err.reason.length < 200);
  failsWith(Uint8Array.from(header(1, 3, 480)), /header declares 3 tracks but the file ends after 0/);
});

test('no notes', () => {
  failsWith(smf(1, 480, [track([ev.tempo(0, 120)]), track([ev.name(0, 'empty')])]), /no notes/);
});

test('a zero-length track is skipped with a warning; the other tracks are read', () => {
  const bytes = Uint8Array.from([
    ...header(1, 2, 480),
    ...chunk('MTrk', []),
    ...track([ev.on(0, 0, 60), ev.off(10, 0, 60)]),
  ]);
  const p = parseMidi(bytes, 'song.mid');
  assert.deepEqual(
    p.tracks.flatMap((t) => t.notes.map((n) => [n.pitch, n.startTick, n.durationTicks])),
    [[60, 0, 10]],
  );
  assert.deepEqual(p.warnings, ['track 1 is empty (a zero-length track chunk): skipped']);
});

test('tempos out of 10-1000 bpm: slow ones kept, fast ones and 0 µs clamped to 1000, each reported; the notes are read', () => {
  const mk = (bpm: number) => smf(0, 480, [track([ev.tempo(0, bpm), ev.on(0, 0, 60), ev.off(480, 0, 60)])]);
  const slow = parseMidi(mk(5), 'slow.mid');
  assert.deepEqual(slow.tempos, [{ tick: 0, bpm: 5 }]);
  assert.deepEqual(slow.warnings, ['a tempo of 5.0 bpm at tick 0 (beat 1) is below 10 bpm: kept as it is']);
  assert.equal(slow.tracks[0].notes.length, 1);
  const fast = parseMidi(mk(2000), 'fast.mid');
  assert.deepEqual(fast.tempos, [{ tick: 0, bpm: 1000 }]);
  assert.deepEqual(fast.warnings, [
    'a tempo of 2000.0 bpm at tick 0 (beat 1) is above 1000 bpm: clamped to 1000 bpm',
  ]);
  const zero = smf(0, 480, [track([[0, 0xff, 0x51, 3, 0, 0, 0], ev.on(0, 0, 60), ev.off(480, 0, 60)])]);
  const z = parseMidi(zero, 'zero.mid');
  assert.deepEqual(z.tempos, [{ tick: 0, bpm: 1000 }]);
  assert.match(z.warnings[0], /infinite \(0 µs per quarter\) .* clamped to 1000 bpm/);
  assert.deepEqual(parseMidi(mk(10), 'ten.mid').warnings, []);
  assert.deepEqual(parseMidi(mk(999), 'fast.mid').warnings, []);
});

test('over 50 MB', () => {
  const big = new Uint8Array(50 * 1024 * 1024 + 1); // zero-filled: cheap
  big.set(simple());
  failsWith(big, /too large \(50\.0 MB; the limit is 50 MB\)/);
});

test('corrupt events: running status without status, bad varint, status byte in data', () => {
  failsWith(smf(0, 480, [track([[0, 60, 100]])]), /running status without a previous status/);
  const badVar = Uint8Array.from([
    ...header(0, 1, 480),
    ...chunk('MTrk', [0xff, 0xff, 0xff, 0xff, 0x7f, 0x90, 60, 100]),
  ]);
  failsWith(badVar, /variable-length number longer than 4 bytes/);
  failsWith(smf(0, 480, [track([[0, 0x90, 200, 100]])]), /where a data byte was expected/);
});

test('one odd event costs only itself: stray system messages, meta events of a wrong length, a huge delta', () => {
  const p = parseMidi(
    smf(0, 24, [
      track([
        [0, 0xf3, 1], // song select: not allowed in a file, skipped with its data byte
        [0, 0xf8], // timing clock
        [0, 0xff, 0x51, 5, 1, 2, 3, 4, 5], // a tempo of 5 bytes
        [0, 0xff, 0x58, 1, 3], // a time signature of 1 byte
        [0, 0xff, 0x59, 3, 0, 0, 0], // a key signature of 3 bytes
        ev.on(0, 0, 60),
        ev.off(24, 0, 60),
        ev.on(0, 0, 62),
        ev.off(0x0fffffff, 0, 62), // far past the length limit: ends the track
        ev.on(0, 0, 64),
      ]),
    ]),
    'odd.mid',
  );
  assert.deepEqual(
    p.tracks[0].notes.map((n) => [n.pitch, n.startTick, n.durationTicks]),
    [
      [60, 0, 24],
      [62, 24, 0],
    ],
  );
  assert.deepEqual(p.tempos, [{ tick: 0, bpm: 120 }]);
  assert.deepEqual(p.warnings, [
    'track 1: an event at beat 11184812 is past the limit of 200,000 beats (a delta time too large): it and the rest of the track were ignored',
    'track 1: skipped 2 system message(s) (status 0xf1-0xfe: not allowed in a MIDI file)',
    'track 1: skipped 1 tempo event(s) of a length other than 3 bytes',
    'track 1: skipped 1 time signature event(s) of a length other than 4 bytes',
    'track 1: skipped 1 key signature event(s) of a length other than 2 bytes',
    'track 1: 1 note(s) without a note-off were ended at the end of the track',
  ]);
});

test('SMPTE division and bad formats', () => {
  const smpte = simple();
  smpte[12] = 0xe7;
  smpte[13] = 40;
  failsWith(smpte, /SMPTE/);
  const fmt = simple();
  fmt[9] = 7;
  failsWith(fmt, /unknown MIDI format 7/);
  const zeroPpq = simple();
  zeroPpq[12] = 0;
  zeroPpq[13] = 0;
  failsWith(zeroPpq, /0 ticks per quarter/);
});

test('format 0 with two channels gives two tracks; running status is read', () => {
  // Running status: the second note-on and the note-offs omit the status byte.
  const bytes = smf(0, 96, [
    track([
      ev.tempo(0, 90),
      ev.program(0, 0, 40),
      ev.program(0, 1, 0),
      [0, 0x90, 72, 90],
      [0, 76, 90],
      [96, 72, 0],
      [0, 76, 0],
      ev.on(0, 1, 48, 70),
      ev.off(192, 1, 48),
    ]),
  ]);
  const p = parseMidi(bytes, 'f0.mid');
  assert.equal(p.format, 0);
  assert.equal(p.ppq, 96);
  assert.equal(p.tracks.length, 2);
  const byCh = Object.fromEntries(p.tracks.map((t) => [t.channel, t]));
  assert.equal(byCh[0].program, 40);
  assert.equal(byCh[0].instrument, 'violin');
  assert.deepEqual(
    byCh[0].notes.map((n) => [n.pitch, n.startTick, n.durationTicks]),
    [
      [72, 0, 96],
      [76, 0, 96],
    ],
  );
  assert.deepEqual(
    byCh[1].notes.map((n) => [n.pitch, n.startTick, n.durationTicks, n.velocity]),
    [[48, 96, 192, 70]],
  );
});

test('tempo changes, time and key signatures, durations in seconds', () => {
  const bytes = smf(1, 480, [
    track([
      ev.tempo(0, 120),
      ev.timeSig(0, 3, 4),
      ev.keySig(0, -1, true),
      ev.tempo(960, 60),
      ev.timeSig(480, 6, 8),
    ]),
    track([ev.name(0, 'Piano'), ev.on(0, 0, 62), ev.off(1920, 0, 62)]),
  ]);
  const p = parseMidi(bytes, 'tempo.mid');
  assert.deepEqual(p.tempos, [
    { tick: 0, bpm: 120 },
    { tick: 960, bpm: 60 },
  ]);
  assert.deepEqual(p.timeSignatures, [
    { tick: 0, numerator: 3, denominator: 4 },
    { tick: 1440, numerator: 6, denominator: 8 },
  ]);
  assert.deepEqual(p.keySignatures, [{ tick: 0, key: 'D', scale: 'minor' }]);
  const s = summarizePiece(p);
  // 2 beats at 120 (1 s) + 2 beats at 60 (2 s).
  assert.equal(s.durationSeconds, 3);
  assert.equal(s.bpm, 120);
  assert.equal(s.tempoChanges, 1);
  assert.equal(s.minBpm, 60);
  assert.deepEqual(s.timeSignature, [3, 4]);
  assert.equal(s.key, 'D minor');
  assert.equal(s.notes, 1);
  assert.equal(s.tracks[0].name, 'Piano');
  const q = quantizePiece(p);
  assert.equal(q.piece.bpm, 120);
  assert.deepEqual(q.piece.timeSignature, [3, 4]);
});

test('a file without tempo or meter gets 120 bpm and 4/4', () => {
  const p = parseMidi(smf(0, 480, [track([ev.on(0, 0, 60), ev.off(480, 0, 60)])]), 'bare.mid');
  assert.deepEqual(p.tempos, [{ tick: 0, bpm: 120 }]);
  assert.deepEqual(p.timeSignatures, [{ tick: 0, numerator: 4, denominator: 4 }]);
  assert.deepEqual(p.keySignatures, []);
});

test('any PPQ gives the same grid', () => {
  const grids = [24, 96, 480, 960, 1000].map((ppq) => {
    const b = smf(1, ppq, [
      track([ev.tempo(0, 120)]),
      track([ev.on(0, 0, 60), ev.off(ppq, 0, 60), ev.on(ppq / 2, 0, 62), ev.off(ppq / 4, 0, 62)]),
    ]);
    return quantizePiece(parseMidi(b, `ppq${ppq}.mid`)).piece.notes.map((n) => [
      n.pitch,
      n.start,
      n.duration,
    ]);
  });
  for (const g of grids)
    assert.deepEqual(g, [
      [60, 0, 4],
      [62, 6, 1],
    ]);
});

test('drums are flagged; notes left hanging are closed with a warning; unknown chunks are skipped', () => {
  const bytes = Uint8Array.from([
    ...header(1, 2, 480),
    ...chunk('XFIH', [1, 2, 3]),
    ...track([ev.on(0, 9, 36), ev.off(120, 9, 36)]),
    ...track([ev.on(0, 0, 60), ev.on(240, 0, 64)], true),
  ]);
  const p = parseMidi(bytes, 'x.mid');
  assert.equal(p.tracks.length, 2);
  assert.equal(p.tracks[0].isDrum, true);
  assert.equal(p.tracks[0].instrument, 'drums');
  assert.deepEqual(
    p.tracks[1].notes.map((n) => [n.pitch, n.startTick, n.durationTicks]),
    [
      [60, 0, 240],
      [64, 240, 0],
    ],
  );
  assert.ok(p.warnings.some((w) => /unknown 'XFIH' chunk/.test(w)));
  assert.ok(p.warnings.some((w) => /track 2: 2 note\(s\) without a note-off/.test(w)));
});
