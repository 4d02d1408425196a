import type { LstmStepper } from '../lstm/types.js';
import type { Frame, PianoRollPiece } from './data.js';
import { FrameCursor, lnProb, maskedLogProb, serializePiece, type FrameVocab } from './frames.js';
import { sampleToken, type SamplingOptions } from '../generate/sampler.js';
import type { Rng } from '../common/rng.js';

/**
 * The benchmark score of a token model run through an LstmStepper: for every piece, frames 2..T
 * are predicted from the frames before them; -ln p(frame) is the sum over the frame's tokens of the
 * softmax renormalised over the tokens the frame grammar allows (see frames.ts). Pieces run as rows of one batch
 * (longest first, so rows of a group end at about the same time).
 */
export interface FrameNll {
  nllSum: number;
  frames: number; // predicted frames
  nll: number; // nats per frame
  /** The same without renormalisation (the plain softmax): an upper bound of `nll`. */
  plainNll: number;
  /** -ln p(frame) of every frame of every piece (NaN for the unscored first frame), when asked. */
  perFrame?: Float64Array[];
}

export interface StepperNllOptions {
  /** Pieces stepped together (default 32). */
  rows?: number;
  perFrame?: boolean;
  /** Called after each group with the frames scored so far. */
  onProgress?: (framesDone: number, framesTotal: number) => void;
}

export function stepperNll(
  stepper: LstmStepper,
  pieces: readonly PianoRollPiece[],
  vocab: FrameVocab,
  opts: StepperNllOptions = {},
): FrameNll {
  const V = stepper.config.vocabSize;
  if (V !== vocab.size) throw new Error(`the model has ${V} tokens, the frame vocabulary ${vocab.size}`);
  const rows = Math.max(1, Math.floor(opts.rows ?? 32));
  const ser = pieces.map((p) => serializePiece(p, vocab));
  const order = ser.map((_, i) => i).sort((a, b) => ser[b].tokens.length - ser[a].tokens.length);
  const perFrame = opts.perFrame ? pieces.map((p) => new Float64Array(p.length).fill(NaN)) : undefined;
  let total = 0;
  for (const p of pieces) total += Math.max(0, p.length - 1);
  let nllSum = 0;
  let plainSum = 0;
  let frames = 0;
  for (let g = 0; g < order.length; g += rows) {
    const group = order.slice(g, g + rows);
    const acc = group.map((i) => new Float64Array(pieces[i].length));
    stepper.reset(group.length);
    const cursors = group.map(() => new FrameCursor(vocab));
    const inputs = new Int32Array(group.length);
    const maxLen = ser[group[0]].tokens.length;
    for (let pos = 0; pos + 1 < maxLen; pos++) {
      for (let r = 0; r < group.length; r++) {
        const t = ser[group[r]].tokens;
        inputs[r] = pos + 1 < t.length ? t[pos] : vocab.eof; // finished rows idle on eof
      }
      const probs = stepper.step(inputs);
      for (let r = 0; r < group.length; r++) {
        const { tokens, frameOf } = ser[group[r]];
        if (pos + 1 >= tokens.length) continue;
        const f = frameOf[pos + 1];
        if (f >= 1) {
          acc[r][f] -= maskedLogProb(probs, r * V, cursors[r], tokens[pos + 1]);
          plainSum -= lnProb(probs[r * V + tokens[pos + 1]]);
        }
        cursors[r].push(tokens[pos + 1]);
      }
    }
    for (let r = 0; r < group.length; r++) {
      const a = acc[r];
      for (let f = 1; f < a.length; f++) {
        nllSum += a[f];
        frames++;
        if (perFrame) perFrame[group[r]][f] = a[f];
      }
    }
    opts.onProgress?.(frames, total);
  }
  return {
    nllSum,
    frames,
    nll: frames ? nllSum / frames : NaN,
    plainNll: frames ? plainSum / frames : NaN,
    perFrame,
  };
}

export interface SampleFramesOptions extends SamplingOptions {
  frames: number;
  /** Frames fed before sampling (not part of the result). */
  primer?: readonly Frame[];
}

/**
 * Samples `frames` frames, one row per variation (`rows`, default 1), from the renormalised
 * distribution: only tokens the frame grammar allows are drawn.
 */
export function sampleFrames(
  stepper: LstmStepper,
  vocab: FrameVocab,
  opts: SampleFramesOptions,
  rng: Rng,
  rows = 1,
): Frame[][] {
  const V = stepper.config.vocabSize;
  if (V !== vocab.size) throw new Error(`the model has ${V} tokens, the frame vocabulary ${vocab.size}`);
  if (!Number.isInteger(opts.frames) || opts.frames < 0)
    throw new Error(`frames must be an integer >= 0, got ${opts.frames}`);
  stepper.reset(rows);
  const primer = serializePiece(opts.primer ?? [], vocab).tokens;
  let probs: Float32Array = new Float32Array(0);
  for (const t of primer) probs = stepper.step(new Int32Array(rows).fill(t));
  const cursors = Array.from({ length: rows }, () => {
    const c = new FrameCursor(vocab);
    for (let i = 1; i < primer.length; i++) c.push(primer[i]);
    return c;
  });
  const out: Frame[][] = Array.from({ length: rows }, () => []);
  const mask = new Uint8Array(V);
  while (out.some((o) => o.length < opts.frames)) {
    const next = new Int32Array(rows);
    for (let r = 0; r < rows; r++) {
      if (out[r].length >= opts.frames) {
        next[r] = vocab.eof; // done: idle
        continue;
      }
      const t = sampleToken(probs, r * V, V, opts, rng, cursors[r].allowed(mask));
      next[r] = t;
      const frame = cursors[r].push(t);
      if (frame) out[r].push(frame);
    }
    if (!out.every((o) => o.length >= opts.frames)) probs = stepper.step(next);
  }
  return out;
}
