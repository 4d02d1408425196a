/**
 * Import speed: the 1034 Nottingham folk tunes (../shared/data/nottingham-midi, GPLv3, benchmark
 * use only) read and parsed (model/midi importMidiFiles), quantized to 16ths, a vocabulary built,
 * and every piece encoded to tokens (model/encoding), timed per stage.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext, BenchItem, BenchModule, BenchReport } from './run';
import { importMidiFiles, quantizePiece } from '../model/midi';
import { defaultEncodingConfig, encodePiece, Vocabulary } from '../model/encoding';
import type { GridPiece } from '../model/common/types';

async function run(ctx: BenchContext): Promise<BenchReport> {
  const dir = join(ctx.repoRoot, '../shared/data/nottingham-midi');
  if (!existsSync(dir)) throw new Error(`${dir} not found (the shared data folder sits beside the repo)`);
  const t0 = performance.now();
  const imported = await importMidiFiles([dir]);
  const t1 = performance.now();
  const grid: GridPiece[] = imported.pieces.map((p) => quantizePiece(p.piece, { grid: '16th' }).piece);
  const t2 = performance.now();
  const config = defaultEncodingConfig('16th');
  const vocab = Vocabulary.fromCorpus(grid, config);
  let tokens = 0;
  for (const piece of grid) tokens += encodePiece(piece, vocab, config).length;
  const t3 = performance.now();
  const files = imported.pieces.length;
  const total = t3 - t0;
  const items: BenchItem[] = [
    { name: 'import.nottingham.files', value: files, unit: 'files' },
    { name: 'import.nottingham.skipped', value: imported.skipped.length, unit: 'files' },
    { name: 'import.nottingham.total_ms', value: total, unit: 'ms' },
    { name: 'import.nottingham.files_per_s', value: (files * 1000) / total, unit: 'files/s' },
    { name: 'import.nottingham.tokens', value: tokens, unit: 'tokens' },
  ];
  ctx.log(`  ${files} files, ${imported.skipped.length} skipped, ${tokens} tokens, ${total.toFixed(0)} ms`);
  const markdown = [
    `${files} files imported (${imported.skipped.length} skipped), ${tokens} tokens (vocabulary ${vocab.size}).`,
    '',
    '| stage | ms |',
    '|---|---|',
    `| read + parse (importMidiFiles) | ${(t1 - t0).toFixed(0)} |`,
    `| quantize (16th grid) | ${(t2 - t1).toFixed(0)} |`,
    `| vocabulary + encode | ${(t3 - t2).toFixed(0)} |`,
    `| total | ${total.toFixed(0)} (${((files * 1000) / total).toFixed(0)} files/s) |`,
  ].join('\n');
  return { items, markdown };
}

export const benchmark: BenchModule = { section: 'Import speed (Nottingham, 1034 files)', run };
