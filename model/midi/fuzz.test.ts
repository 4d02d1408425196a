/**
 * The importer's own fuzz (every case imports or throws MidiImportError naming the file, no hang, no
 * crash) is bench/reliability/midi-fuzz.test.ts, on the shared generator of bench/stress-fuzz.ts.
 * This suite takes the fuzzed files that DO import — damaged but readable files: note storms, absurd
 * meters and tempos, hanging notes, garbage after the end — and runs each through the rest of the
 * pipeline: quantize, vocabulary, encode, decode, write MIDI, read it again. Nothing may throw, and
 * the round trip must stay exact.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzzCase, loadSeedFiles } from '../../bench/stress-fuzz.js';
import { MidiImportError } from './errors.js';
import { parseMidi } from './parse.js';
import { quantizePiece } from './quantize.js';
import { summarizePiece } from './summarize.js';
import { gridPieceToMidi } from './write.js';
import { Vocabulary, decodeTokens, defaultEncodingConfig, encodePieceWithReport } from '../encoding/index.js';
import type { GridPiece } from '../common/types.js';

const SEED = Number(process.env.OSTINATO_FUZZ_SEED ?? 4242);
const notes = (g: GridPiece) => g.notes.map((n) => [n.pitch, n.start, n.duration]);

test('fuzzed files that import go through quantize, encode, decode and MIDI writing exactly', () => {
  const seeds = loadSeedFiles(40);
  const cfg = defaultEncodingConfig('16th');
  let imported = 0;
  let rejected = 0;
  for (let i = 0; i < 400; i++) {
    const c = fuzzCase(SEED, i, seeds);
    let piece;
    try {
      piece = parseMidi(c.bytes, c.name);
    } catch (err) {
      assert.ok(err instanceof MidiImportError && err.file === c.name, `${c.name}: ${String(err)}`);
      rejected++;
      continue;
    }
    imported++;
    const s = summarizePiece(piece);
    assert.ok(Number.isFinite(s.durationSeconds) && s.durationSeconds >= 0, `${c.name}: duration`);
    const opts = {
      pitchRange: cfg.pitchRange,
      maxPolyphony: cfg.maxPolyphony,
      maxDurationSteps: cfg.maxDuration,
    };
    const { piece: g, report } = quantizePiece(piece, { ...opts, includeDrums: true });
    assert.equal(
      report.notes - report.droppedOutOfRange - report.mergedDuplicates - report.droppedOverPolyphony,
      g.notes.length,
      `${c.name}: every note accounted for`,
    );
    const vocab = Vocabulary.fromCorpus([g], cfg);
    const { tokens, report: enc } = encodePieceWithReport(g, vocab, cfg);
    assert.equal(enc.mapped + enc.unknown, 0, `${c.name}: own vocabulary`);
    const d = decodeTokens(tokens, vocab, cfg, g);
    assert.deepEqual(notes(d), notes(g), `${c.name}: tokens`);
    if (!g.notes.length) continue;
    const again = quantizePiece(parseMidi(gridPieceToMidi(d), c.name), opts).piece;
    assert.deepEqual(notes(again), notes(g), `${c.name}: MIDI`);
  }
  assert.ok(imported > 50 && rejected > 100, `imported ${imported}, rejected ${rejected}`);
});
