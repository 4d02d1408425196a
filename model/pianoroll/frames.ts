import { PIANO_HIGH, PIANO_LOW, type Frame, type PianoRollPiece } from './data.js';

/**
 * Frames as token sequences. A frame is written as its pitches from low to high, then an
 * end-of-frame token; an empty frame is just end-of-frame. A piece starts with a begin token (input
 * only, never predicted). So -ln p(frame) is the sum of -ln p over the frame's tokens.
 *
 * The token order is a distribution over pitch *sets* only when a pitch can never follow a pitch
 * at or above it in the same frame. The model's softmax is therefore renormalised over the allowed
 * tokens at every position: the pitches strictly above the last pitch of the current frame, plus
 * end-of-frame. Which tokens are allowed depends only on the previous token (the input at that
 * position): after a pitch `q`, pitches above `q` and end-of-frame; after end-of-frame or begin,
 * every pitch and end-of-frame.
 */
export interface FrameVocab {
  low: number; // MIDI pitch of token 0
  high: number;
  pitches: number; // high - low + 1; tokens 0..pitches-1 are pitches
  eof: number; // end of frame
  bos: number; // begin of piece (input only)
  size: number;
}

export function frameVocab(low = PIANO_LOW, high = PIANO_HIGH): FrameVocab {
  if (!Number.isInteger(low) || !Number.isInteger(high) || low < 0 || high > 127 || high < low)
    throw new Error(`frameVocab: need integer pitches 0 <= low <= high <= 127, got ${low}..${high}`);
  const pitches = high - low + 1;
  return { low, high, pitches, eof: pitches, bos: pitches + 1, size: pitches + 2 };
}

export interface SerializedPiece {
  /** bos, then every frame's tokens. */
  tokens: Int32Array;
  /** Frame index of each token (-1 for bos). */
  frameOf: Int32Array;
}

export function serializePiece(piece: PianoRollPiece, vocab: FrameVocab): SerializedPiece {
  let n = 1;
  for (const f of piece) n += f.length + 1;
  const tokens = new Int32Array(n);
  const frameOf = new Int32Array(n);
  tokens[0] = vocab.bos;
  frameOf[0] = -1;
  let i = 1;
  piece.forEach((f, fi) => {
    let last = -1;
    for (const p of f) {
      const t = p - vocab.low;
      if (!Number.isInteger(p) || t < 0 || t >= vocab.pitches)
        throw new Error(`frame ${fi}: pitch ${p} is outside the vocabulary ${vocab.low}..${vocab.high}`);
      if (t <= last)
        throw new Error(`frame ${fi}: pitches must be sorted and distinct, got ${JSON.stringify(f)}`);
      last = t;
      tokens[i] = t;
      frameOf[i++] = fi;
    }
    tokens[i] = vocab.eof;
    frameOf[i++] = fi;
  });
  return { tokens, frameOf };
}

/** Inverse of serializePiece (the bos token is optional). Throws on a sequence the grammar forbids. */
export function deserializeTokens(tokens: ArrayLike<number>, vocab: FrameVocab): Frame[] {
  const frames: Frame[] = [];
  let cur: number[] = [];
  let prev = vocab.eof;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (i === 0 && t === vocab.bos) continue;
    if (!isAllowed(prev, t, vocab))
      throw new Error(`token ${t} at position ${i} is not allowed after token ${prev}`);
    if (t === vocab.eof) {
      frames.push(cur);
      cur = [];
    } else cur.push(t + vocab.low);
    prev = t;
  }
  if (cur.length) throw new Error('the token sequence ends in the middle of a frame');
  return frames;
}

/** Lowest pitch token allowed after `prev` (pitches.. means none). */
export function lowestAllowedPitch(prev: number, vocab: FrameVocab): number {
  return prev < vocab.pitches ? prev + 1 : 0;
}

export function isAllowed(prev: number, token: number, vocab: FrameVocab): boolean {
  if (token === vocab.eof) return true;
  return token >= lowestAllowedPitch(prev, vocab) && token < vocab.pitches;
}

/** Mask over the vocabulary for the token after `prev`: 1 = allowed. */
export function allowedMask(prev: number, vocab: FrameVocab, out = new Uint8Array(vocab.size)): Uint8Array {
  out.fill(0);
  for (let t = lowestAllowedPitch(prev, vocab); t < vocab.pitches; t++) out[t] = 1;
  out[vocab.eof] = 1;
  return out;
}

/** ln of the smallest positive float32, standing in for ln 0 when a probability underflowed. */
const LN_TINY = Math.log(1.4e-45);

/**
 * ln p(target | allowed set after `prev`): the model's probability renormalised over the allowed
 * tokens. `probs` holds one softmax row of `vocab.size` values at `offset`.
 */
export function maskedLogProb(
  probs: ArrayLike<number>,
  offset: number,
  prev: number,
  target: number,
  vocab: FrameVocab,
): number {
  if (!isAllowed(prev, target, vocab))
    throw new Error(`token ${target} cannot follow token ${prev} (pitches rise within a frame)`);
  let z = probs[offset + vocab.eof];
  for (let t = lowestAllowedPitch(prev, vocab); t < vocab.pitches; t++) z += probs[offset + t];
  const p = probs[offset + target];
  const lp = p > 0 ? Math.log(p) : LN_TINY;
  return lp - Math.log(z > 0 ? z : 1);
}
