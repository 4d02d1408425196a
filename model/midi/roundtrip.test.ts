/**
 * The whole pipeline on real files: MIDI → parse → quantize → tokens → decode → MIDI bytes → parse →
 * quantize gives back exactly the quantized notes (pitch, start, duration) of the original.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseMidi } from './parse.js';
import { quantizePiece } from './quantize.js';
import { gridPieceToMidi, midiPieceToBytes } from './write.js';
import { Vocabulary, decodeTokens, defaultEncodingConfig, encodePieceWithReport } from '../encoding/index.js';
import type { GridPiece } from '../common/types.js';

const repoRoot = resolve(__dirname, '../..');
const dir = resolve(repoRoot, '../shared/data/nottingham-midi');
const all = readdirSync(dir)
  .filter((f) => f.endsWith('.mid'))
  .sort();
const files = all.filter((_, i) => i % Math.floor(all.length / 30) === 0).slice(0, 30);
const notes = (g: GridPiece) => g.notes.map((n) => [n.pitch, n.start, n.duration]);

test('Nottingham: MIDI → grid → tokens → grid → MIDI → grid is lossless (30 files, 16th grid)', () => {
  assert.equal(files.length, 30);
  const cfg = defaultEncodingConfig('16th');
  const q = files.map((f) => {
    const piece = parseMidi(new Uint8Array(readFileSync(resolve(dir, f))), f);
    return quantizePiece(piece, {
      pitchRange: cfg.pitchRange,
      maxPolyphony: cfg.maxPolyphony,
      maxDurationSteps: cfg.maxDuration,
    }).piece;
  });
  const vocab = Vocabulary.fromCorpus(q, cfg);
  let total = 0;
  for (const g of q) {
    assert.ok(g.notes.length > 20, `${g.name} has notes`);
    const { tokens, report } = encodePieceWithReport(g, vocab, cfg);
    assert.equal(report.mapped + report.unknown + report.clampedDurations + report.octaveShifted, 0, g.name);
    const decoded = decodeTokens(tokens, vocab, cfg, g);
    assert.deepEqual(notes(decoded), notes(g), `${g.name}: decode`);
    const bytes = gridPieceToMidi(decoded, { trackName: 'Ostinato', program: 0 });
    const again = parseMidi(bytes, `${g.name} (written)`);
    assert.equal(again.tracks[0].name, 'Ostinato');
    const g2 = quantizePiece(again, { pitchRange: cfg.pitchRange }).piece;
    assert.deepEqual(notes(g2), notes(g), `${g.name}: MIDI round trip`);
    assert.equal(g2.bpm, g.bpm);
    assert.deepEqual(g2.timeSignature, g.timeSignature);
    total += g.notes.length;
  }
  assert.ok(total > 3000);
});

test('Nottingham on an 8th-triplet grid: tokens and MIDI round trip', () => {
  const cfg = defaultEncodingConfig('8th-triplet');
  for (const f of files.slice(0, 10)) {
    const piece = parseMidi(new Uint8Array(readFileSync(resolve(dir, f))), f);
    const g = quantizePiece(piece, { grid: '8th-triplet', maxDurationSteps: cfg.maxDuration }).piece;
    const vocab = Vocabulary.fromCorpus([g], cfg);
    const decoded = decodeTokens(encodePieceWithReport(g, vocab, cfg).tokens, vocab, cfg, g);
    assert.deepEqual(notes(decoded), notes(g));
    const g2 = quantizePiece(parseMidi(gridPieceToMidi(decoded), f), { grid: '8th-triplet' }).piece;
    assert.deepEqual(notes(g2), notes(g));
  }
});

test('midiPieceToBytes keeps every note, track, tempo, meter and key of a real file', () => {
  for (const f of files.slice(0, 10)) {
    const piece = parseMidi(new Uint8Array(readFileSync(resolve(dir, f))), f);
    const again = parseMidi(midiPieceToBytes(piece), f);
    assert.equal(again.ppq, piece.ppq);
    assert.deepEqual(again.tempos, piece.tempos);
    assert.deepEqual(again.timeSignatures, piece.timeSignatures);
    assert.deepEqual(again.keySignatures, piece.keySignatures);
    assert.equal(again.tracks.length, piece.tracks.length);
    for (let t = 0; t < piece.tracks.length; t++) {
      assert.deepEqual(again.tracks[t].notes, piece.tracks[t].notes, `${f} track ${t}`);
      assert.equal(again.tracks[t].program, piece.tracks[t].program);
    }
  }
});
