import { PIANO_HIGH, PIANO_LOW, type Frame, type PianoRollPiece } from './data.js';

/**
 * Frames as token sequences, in one of two codings. A piece starts with a begin token (input only,
 * never predicted); every frame ends with an end-of-frame token. -ln p(frame) is the sum of -ln p
 * over the frame's tokens.
 *
 * - `pitch-sets`: a frame is its pitches from low to high, then end-of-frame (an empty frame is
 *   just end-of-frame). Tokens 0..P-1 are the pitches.
 * - `pitch-changes`: a frame is written as its difference from the frame before (the first frame's
 *   "frame before" is empty): the pitches that stop sounding, low to high, then the pitches that
 *   start, low to high, then end-of-frame. A frame equal to the one before is just end-of-frame.
 *   Tokens 0..P-1 start a pitch, P..2P-1 stop one. On music whose chords are held over several
 *   frames (Nottingham) it needs about half the tokens of `pitch-sets`.
 *
 * Either way every frame has exactly one token sequence, so the tokens define a distribution over
 * pitch *sets* once the model's softmax is renormalised over the tokens the grammar allows at each
 * position (FrameCursor): a pitch can only follow a lower one of the same kind, a pitch can only
 * stop if it sounded in the frame before and only start if it did not.
 */
export type FrameCoding = 'pitch-sets' | 'pitch-changes';
export const FRAME_CODINGS: readonly FrameCoding[] = ['pitch-sets', 'pitch-changes'];

export interface FrameVocab {
  coding: FrameCoding;
  low: number; // MIDI pitch of token 0
  high: number;
  pitches: number; // high - low + 1
  eof: number; // end of frame
  bos: number; // begin of piece (input only)
  size: number;
}

export function frameVocab(
  low = PIANO_LOW,
  high = PIANO_HIGH,
  coding: FrameCoding = 'pitch-sets',
): FrameVocab {
  if (!Number.isInteger(low) || !Number.isInteger(high) || low < 0 || high > 127 || high < low)
    throw new Error(`frameVocab: need integer pitches 0 <= low <= high <= 127, got ${low}..${high}`);
  if (!FRAME_CODINGS.includes(coding))
    throw new Error(`unknown frame coding "${coding}" (use ${FRAME_CODINGS.join(' or ')})`);
  const pitches = high - low + 1;
  const kinds = coding === 'pitch-sets' ? 1 : 2;
  const eof = kinds * pitches;
  return { coding, low, high, pitches, eof, bos: eof + 1, size: eof + 2 };
}

export interface SerializedPiece {
  /** bos, then every frame's tokens. */
  tokens: Int32Array;
  /** Frame index of each token (-1 for bos). */
  frameOf: Int32Array;
}

function checkedFrame(f: Frame, fi: number, vocab: FrameVocab): number[] {
  let last = -1;
  return f.map((p) => {
    const t = p - vocab.low;
    if (!Number.isInteger(p) || t < 0 || t >= vocab.pitches)
      throw new Error(`frame ${fi}: pitch ${p} is outside the vocabulary ${vocab.low}..${vocab.high}`);
    if (t <= last)
      throw new Error(`frame ${fi}: pitches must be sorted and distinct, got ${JSON.stringify(f)}`);
    return (last = t);
  });
}

/** The tokens of each frame (without bos). */
function frameTokens(piece: PianoRollPiece, vocab: FrameVocab): number[][] {
  const P = vocab.pitches;
  let before = new Set<number>();
  return piece.map((f, fi) => {
    const now = checkedFrame(f, fi, vocab);
    if (vocab.coding === 'pitch-sets') return [...now, vocab.eof];
    const nowSet = new Set(now);
    const stops = [...before].filter((t) => !nowSet.has(t)).sort((a, b) => a - b);
    const starts = now.filter((t) => !before.has(t));
    before = nowSet;
    return [...stops.map((t) => P + t), ...starts, vocab.eof];
  });
}

export function serializePiece(piece: PianoRollPiece, vocab: FrameVocab): SerializedPiece {
  const frames = frameTokens(piece, vocab);
  let n = 1;
  for (const f of frames) n += f.length;
  const tokens = new Int32Array(n);
  const frameOf = new Int32Array(n);
  tokens[0] = vocab.bos;
  frameOf[0] = -1;
  let i = 1;
  frames.forEach((ts, fi) => {
    for (const t of ts) {
      tokens[i] = t;
      frameOf[i++] = fi;
    }
  });
  return { tokens, frameOf };
}

/**
 * The grammar as a state machine over one token sequence (bos excluded): which tokens may come
 * next, and the frames the tokens so far spell.
 */
export class FrameCursor {
  /** Pitches (token offsets) sounding in the last completed frame. */
  private readonly before: Uint8Array;
  /** Pitches of the frame in progress, for pitch-sets; the frame's starts and stops otherwise. */
  private readonly current: number[] = [];
  private last = -1; // last token of the frame in progress, -1 at a frame start

  constructor(readonly vocab: FrameVocab) {
    this.before = new Uint8Array(vocab.pitches);
  }

  isAllowed(token: number): boolean {
    const { pitches: P, eof, coding } = this.vocab;
    if (token === eof) return true;
    if (!Number.isInteger(token) || token < 0 || token >= eof) return false;
    const last = this.last;
    if (coding === 'pitch-sets') return token > last;
    if (token < P) return !this.before[token] && (last < 0 || last >= P || token > last); // a start
    return this.before[token - P] === 1 && (last < 0 || (last >= P && token > last)); // a stop
  }

  /** 1 for every allowed next token. */
  allowed(out = new Uint8Array(this.vocab.size)): Uint8Array {
    out.fill(0);
    for (let t = 0; t < this.vocab.eof; t++) if (this.isAllowed(t)) out[t] = 1;
    out[this.vocab.eof] = 1;
    return out;
  }

  /** Takes one token; returns the frame it completes (end-of-frame), else null. */
  push(token: number): Frame | null {
    if (!this.isAllowed(token))
      throw new Error(
        `token ${token} is not allowed here (${describeToken(this.last, this.vocab)} came before)`,
      );
    const { pitches: P, eof, low } = this.vocab;
    if (token !== eof) {
      this.current.push(token);
      this.last = token;
      return null;
    }
    if (this.vocab.coding === 'pitch-sets') {
      this.before.fill(0);
      for (const t of this.current) this.before[t] = 1;
    } else for (const t of this.current) this.before[t % P] = t < P ? 1 : 0;
    this.current.length = 0;
    this.last = -1;
    const frame: number[] = [];
    for (let t = 0; t < P; t++) if (this.before[t]) frame.push(t + low);
    return frame;
  }

  /** True between frames (nothing of a new frame written yet). */
  get atFrameStart(): boolean {
    return this.last < 0;
  }
}

function describeToken(t: number, vocab: FrameVocab): string {
  if (t < 0) return 'a frame start';
  if (t < vocab.pitches) return `${vocab.coding === 'pitch-sets' ? 'pitch' : 'start of'} ${t + vocab.low}`;
  return `stop of ${t - vocab.pitches + vocab.low}`;
}

/** Inverse of serializePiece (the bos token is optional). Throws on a sequence the grammar forbids. */
export function deserializeTokens(tokens: ArrayLike<number>, vocab: FrameVocab): Frame[] {
  const frames: Frame[] = [];
  const cursor = new FrameCursor(vocab);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (i === 0 && t === vocab.bos) continue;
    if (!cursor.isAllowed(t))
      throw new Error(`token ${t} at position ${i} is not allowed by the frame grammar`);
    const f = cursor.push(t);
    if (f) frames.push(f);
  }
  if (!cursor.atFrameStart) throw new Error('the token sequence ends in the middle of a frame');
  return frames;
}

/** ln of the smallest positive float32, standing in for ln 0 when a probability underflowed. */
const LN_TINY = Math.log(1.4e-45);

/** ln p, with an underflowed probability read as the smallest positive float32. */
export function lnProb(p: number): number {
  return p > 0 ? Math.log(p) : LN_TINY;
}

/**
 * ln p(target | the cursor's position): the model's probability renormalised over the tokens the
 * grammar allows there. `probs` holds one softmax row of `vocab.size` values at `offset`.
 */
export function maskedLogProb(
  probs: ArrayLike<number>,
  offset: number,
  cursor: FrameCursor,
  target: number,
): number {
  if (!cursor.isAllowed(target)) throw new Error(`token ${target} is not allowed by the frame grammar here`);
  const eof = cursor.vocab.eof;
  let z = probs[offset + eof];
  for (let t = 0; t < eof; t++) if (cursor.isAllowed(t)) z += probs[offset + t];
  return lnProb(probs[offset + target]) - Math.log(z > 0 ? z : 1);
}
