/** The token encoding: the public API of model/encoding (the token language is documented in codec.ts). */
export { defaultEncodingConfig, validateEncodingConfig } from './config.js';
export type { EncodingConfig } from './config.js';
export {
  PAD,
  BOS,
  EOS,
  UNK,
  SPECIAL_TOKENS,
  parseTokenName,
  tokenName,
  pieceEvents,
  foldPitch,
} from './events.js';
export type { EventKind, TokenEvent, EventCounts } from './events.js';
export { Vocabulary, KIND_SPECIAL, KIND_SHIFT, KIND_NOTE, KIND_DUR } from './vocabulary.js';
export { encodePiece, encodePieceWithReport, decodeTokens } from './codec.js';
export type { EncodeReport, DecodeMeta } from './codec.js';
export {
  transposePiece,
  augmentedPieces,
  estimateKey,
  normaliseToC,
  shiftToC,
  pitchClassOf,
  PITCH_CLASS_NAMES,
} from '../common/transpose.js';
export type { KeyEstimate } from '../common/transpose.js';
export { DecoderState, scaleMask } from './grammar.js';
export { SCALES } from '../common/scales.js';
export type { DecoderStateOptions } from './grammar.js';
export type { ScaleName } from '../common/scales.js';
