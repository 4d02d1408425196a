import type { GridPiece } from '../common/types.js';
import { STEPS_PER_QUARTER } from '../common/types.js';
import { defaultEncodingConfig, type EncodingConfig } from '../encoding/config.js';
import { Vocabulary } from '../encoding/vocabulary.js';
import { encodePiece } from '../encoding/codec.js';
import { transposePiece } from '../common/transpose.js';
import type { Rng } from '../common/rng.js';
import { splitByPiece } from './dataset.js';
import type { TrainOptions } from '../common/training-options.js';
import { InputError } from '../common/options.js';

/**
 * The corpus as training sees it: pieces → vocabulary (model/encoding) → token sequences, split by
 * piece into training and validation; and each epoch's transposed copies of the training pieces.
 */

/** Pieces already turned into tokens (e.g. by a benchmark): no augmentation is possible then. */
export interface EncodedCorpus {
  vocabulary: Vocabulary;
  encoding: EncodingConfig;
  sequences: Int32Array[];
}

/** The corpus as training sees it (also written out by model/interop's dataset export). */
export interface PreparedData {
  vocab: Vocabulary;
  encoding: EncodingConfig;
  trainPieces: GridPiece[] | null; // null for an encoded corpus
  trainSeqs: Int32Array[]; // un-augmented
  valSeqs: Int32Array[];
  files: number;
}

function isEncodedCorpus(p: readonly GridPiece[] | EncodedCorpus): p is EncodedCorpus {
  return !Array.isArray(p) && typeof p === 'object' && p !== null && 'sequences' in p;
}

export function prepareData(
  input: readonly GridPiece[] | EncodedCorpus,
  opts: TrainOptions,
  saved: { vocab: Vocabulary; encoding: EncodingConfig } | null,
): PreparedData {
  if (isEncodedCorpus(input)) {
    const vocab = saved?.vocab ?? input.vocabulary;
    if (saved && saved.vocab.size !== input.vocabulary.size)
      throw new InputError('The encoded corpus has a different vocabulary than the model being resumed');
    const seqs = input.sequences.filter((s) => s.length >= 2);
    for (const s of seqs)
      for (const t of s)
        if (!(t >= 0 && t < vocab.size)) throw new InputError(`token id ${t} is outside the vocabulary`);
    const split = splitByPiece(seqs.length, opts.valFraction, opts.seed);
    return {
      vocab,
      encoding: saved?.encoding ?? input.encoding,
      trainPieces: null,
      trainSeqs: split.train.map((i) => seqs[i]),
      valSeqs: split.val.map((i) => seqs[i]),
      files: input.sequences.length,
    };
  }
  const spq = STEPS_PER_QUARTER[opts.grid];
  for (const p of input) {
    if (p.stepsPerQuarter !== spq)
      throw new InputError(
        `${p.name} is quantized to ${p.stepsPerQuarter} steps per quarter, but the model uses the ${opts.grid} grid (${spq}); quantize with the same grid`,
      );
  }
  const usable = input.filter((p) => p.notes.length > 0);
  if (usable.length < 2)
    throw new InputError(
      `Training needs at least 2 pieces with notes, got ${usable.length} (of ${input.length} given)`,
    );
  const encoding = saved?.encoding ?? {
    ...defaultEncodingConfig(opts.grid),
    transpose: opts.transpose,
    repeatBars: opts.repeatBars,
  };
  const vocab = saved?.vocab ?? Vocabulary.fromCorpus(usable, encoding);
  const split = splitByPiece(usable.length, opts.valFraction, opts.seed);
  const trainPieces = split.train.map((i) => usable[i]);
  const valPieces = split.val.map((i) => usable[i]);
  return {
    vocab,
    encoding,
    trainPieces,
    trainSeqs: trainPieces.map((p) => encodePiece(p, vocab, encoding)),
    valSeqs: valPieces.map((p) => encodePiece(p, vocab, encoding)),
    files: input.length,
  };
}

/** This epoch's training sequences: each piece moved by a random shift in ±transpose. */
export function augmentedEpoch(data: PreparedData, transpose: number, rng: Rng): Int32Array[] {
  if (!data.trainPieces || transpose === 0) return data.trainSeqs;
  return data.trainPieces.map((p, i) => {
    const shift = rng.range(-transpose, transpose);
    if (shift === 0) return data.trainSeqs[i];
    const t = transposePiece(p, shift, data.encoding.pitchRange);
    if (t.piece.notes.length === 0) return data.trainSeqs[i];
    return encodePiece(t.piece, data.vocab, data.encoding);
  });
}
