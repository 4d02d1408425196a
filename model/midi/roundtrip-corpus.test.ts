/**
 * The awkward files of corpus.fixture.ts through the whole pipeline: import → quantize → encode → decode
 * → export → import keeps the notes, their lengths, the tempo map and the meter map; and mido (an
 * independent reader, Debian's python3-mido) reads every exported file the same way. CI installs
 * python3-mido (.ci/run): there a missing mido fails this test; elsewhere the mido part is skipped
 * with a message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMidi } from './parse.js';
import { quantizePiece } from './quantize.js';
import { gridPieceToMidi, WRITE_PPQ } from './write.js';
import { testCorpus } from './corpus.fixture.js';
import { findMidoPython, readWithMido } from './independent-reader.fixture.js';
import { Vocabulary, decodeTokens, defaultEncodingConfig, encodePieceWithReport } from '../encoding/index.js';
import type { GridPiece } from '../common/types.js';

const cfg = defaultEncodingConfig('16th');
const notes = (g: GridPiece) => g.notes.map((n) => [n.pitch, n.start, n.duration]);

/** Every case quantized (drums included, so the drum file has notes), encoded, decoded and written. */
function exported() {
  const grids = testCorpus().map((c) => {
    const piece = parseMidi(c.bytes, c.name);
    return quantizePiece(piece, { includeDrums: true, maxDurationSteps: cfg.maxDuration }).piece;
  });
  const vocab = Vocabulary.fromCorpus(grids, cfg);
  return grids.map((g) => {
    const { tokens, report } = encodePieceWithReport(g, vocab, cfg);
    const decoded = decodeTokens(tokens, vocab, cfg, g);
    return { g, report, decoded, bytes: gridPieceToMidi(decoded, { splitByTrack: true }) };
  });
}

test('test corpus: import → encode → decode → export → import keeps notes, lengths, tempo map, meter map', () => {
  for (const { g, decoded, bytes } of exported()) {
    assert.deepEqual(notes(decoded), notes(g), `${g.name}: decode`);
    assert.deepEqual(decoded.meters, g.meters, `${g.name}: decoded meter map`);
    assert.deepEqual(decoded.tempos, g.tempos, `${g.name}: decoded tempo map`);
    const again = parseMidi(bytes, g.name);
    const g2 = quantizePiece(again, { includeDrums: true }).piece;
    assert.deepEqual(notes(g2), notes(g), `${g.name}: notes after export`);
    assert.deepEqual(g2.meters, g.meters, `${g.name}: meter map after export`);
    assert.deepEqual(g2.tempos, g.tempos, `${g.name}: tempo map after export`);
    assert.equal(g2.bpm, g.bpm, g.name);
    assert.deepEqual(g2.timeSignature, g.timeSignature, g.name);
  }
});

test('meter changes: bars follow the meter map, so each repeated bar is one REPEAT token', () => {
  const meters = exported().find((e) => e.g.name === 'meters.mid')!;
  // Bars: 3/4 (12 steps) ×2, 5/8 (10 steps) ×2, 4/4 (16 steps) ×2; the second of each pair repeats.
  assert.equal(meters.report.repeatedBars, 3);
  const again = parseMidi(meters.bytes, 'meters.mid');
  const tpq = WRITE_PPQ;
  assert.deepEqual(again.timeSignatures, [
    { tick: 0, numerator: 3, denominator: 4 },
    { tick: 6 * tpq, numerator: 5, denominator: 8 },
    { tick: 11 * tpq, numerator: 4, denominator: 4 },
  ]);
  // One meter for the whole piece (the map dropped) gets bars of 3/4 everywhere: no 5/8 bar repeats.
  const { meters: _dropped, ...single } = meters.g;
  const vocab = Vocabulary.fromCorpus([single], cfg);
  assert.ok(encodePieceWithReport(single, vocab, cfg).report.repeatedBars < 3);
});

test('mido reads every exported file as the importer does', (t) => {
  const python = findMidoPython();
  if (!python) {
    const msg = 'mido is not installed: apt-get install python3-mido (Debian), used through /usr/bin/python3';
    if (process.env.CI === 'true') assert.fail(`${msg}. CI must install it (.ci/run).`);
    t.skip(msg);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'ostinato-mido-'));
  try {
    const cases = exported().map((e, i) => {
      const path = join(dir, `${i}.mid`);
      writeFileSync(path, e.bytes);
      return { path, ...e };
    });
    const mido = readWithMido(
      python,
      cases.map((c) => c.path),
    );
    for (const c of cases) {
      const m = mido[c.path];
      assert.ok(m, `mido read ${c.g.name}`);
      const ours = parseMidi(c.bytes, c.g.name);
      assert.equal(m.ppq, ours.ppq);
      assert.equal(m.format, 1);
      const ourNotes = ours.tracks
        .flatMap((tr) => tr.notes.map((n) => [tr.channel, n.pitch, n.startTick, n.durationTicks, n.velocity]))
        .sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || a[3] - b[3]);
      assert.deepEqual(m.notes, ourNotes, `${c.g.name}: notes`);
      assert.equal(m.notes.length, c.g.notes.length, `${c.g.name}: every note written`);
      assert.deepEqual(
        m.tempos.map(([tick, bpm]) => [tick, Math.round(bpm * 1000) / 1000]),
        ours.tempos.map((x) => [x.tick, x.bpm]),
        `${c.g.name}: tempos`,
      );
      assert.deepEqual(
        m.meters,
        ours.timeSignatures.map((x) => [x.tick, x.numerator, x.denominator]),
        `${c.g.name}: meters`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
