/**
 * Constraints for generation: which tokens may come next in the token language of codec.ts, where the
 * time cursor is (to stop after N bars), and which NOTE tokens are in a scale. The sampler multiplies
 * the model's probabilities by these masks (1 = allowed, 0 = forbidden; size vocab.size).
 *
 * Grammar: after a NOTE only a DUR; after anything else a SHIFT, a NOTE higher than the last NOTE at
 * this step (chords ascend), or <eos>; at the start of a bar before any note there (when the bar
 * length is given) also REPEAT_k of a non-empty bar k bars back. <pad>, <bos> and <unk> are never
 * generated. With a step limit, no SHIFT or REPEAT may pass the limit, no NOTE may start at it, and
 * DURs that would ring past it are avoided when a shorter one exists.
 */
import { KIND_DUR, KIND_NOTE, KIND_REPEAT, KIND_SHIFT, Vocabulary } from './vocabulary.js';
import { PITCH_CLASS_NAMES, pitchClassOf } from '../common/transpose.js';
import { BarGrid } from './bars.js';
import { SCALES, type ScaleName } from '../common/scales.js';

/** 1 for every token except the NOTE tokens outside the scale. keyRoot: 0-11 or a name ('C', 'F#', 'Bb'). */
export function scaleMask(vocab: Vocabulary, keyRoot: number | string, scaleName: ScaleName): Uint8Array {
  const root = typeof keyRoot === 'number' ? ((Math.round(keyRoot) % 12) + 12) % 12 : pitchClassOf(keyRoot);
  if (root < 0)
    throw new RangeError(`unknown key '${keyRoot}' (expected one of ${PITCH_CLASS_NAMES.join(', ')})`);
  const intervals = SCALES[scaleName];
  if (!intervals) throw new RangeError(`unknown scale '${scaleName}'`);
  const inScale = new Array<boolean>(12).fill(false);
  for (const i of intervals) inScale[(root + i) % 12] = true;
  const mask = new Uint8Array(vocab.size).fill(1);
  for (let id = 0; id < vocab.size; id++) {
    if (vocab.kinds[id] === KIND_NOTE && !inScale[vocab.values[id] % 12]) mask[id] = 0;
  }
  return mask;
}

export interface DecoderStateOptions {
  /** Stop after this many steps (e.g. bars * steps per bar): see the module comment. */
  maxSteps?: number;
  maxPolyphony?: number;
  /** Steps per bar: needed for REPEAT tokens (without it they are never allowed, and followed as no-ops). */
  barSteps?: number;
  /** The bars of a meter map (bars.ts), instead of barSteps. */
  bars?: BarGrid;
}

/** Follows a token sequence as it is generated; tells what may come next. */
export class DecoderState {
  /** The time cursor in steps (sum of SHIFTs so far). */
  time = 0;
  /** The pitch of a NOTE still waiting for its DUR, or -1. */
  pendingPitch = -1;
  /** True after <eos>. */
  ended = false;
  /** Notes completed so far (NOTE + DUR pairs). */
  notes = 0;
  private lastPitchAtStep = -1;
  private notesAtStep = 0;
  private readonly vocab: Vocabulary;
  private readonly maxSteps: number;
  private readonly maxPolyphony: number;
  private readonly bars: BarGrid | null;
  /** Notes starting in each bar so far (REPEAT copies a bar's count). */
  private readonly barNotes: number[] = [];

  constructor(vocab: Vocabulary, opts: DecoderStateOptions = {}) {
    this.vocab = vocab;
    this.maxSteps = opts.maxSteps ?? Infinity;
    this.maxPolyphony = opts.maxPolyphony ?? Infinity;
    const bars =
      opts.bars ??
      (opts.barSteps !== undefined && opts.barSteps >= 1
        ? BarGrid.constant(Math.round(opts.barSteps))
        : null);
    this.bars = bars?.usable ? bars : null;
  }

  /** The bar index when the cursor is at the start of a bar with no note there yet, else -1. */
  private repeatBar(): number {
    const bars = this.bars;
    if (!bars || this.pendingPitch >= 0 || this.notesAtStep > 0) return -1;
    const b = bars.barAt(this.time);
    if (bars.start(b) !== this.time || this.time + bars.length(b) > this.maxSteps) return -1;
    return b;
  }

  /** True when bar `b` may be written as a copy of bar `b - k` (same length, k >= 1). */
  private canCopy(b: number, k: number): boolean {
    return b >= k && k >= 1 && this.bars!.length(b - k) === this.bars!.length(b);
  }

  /** Follows one token (any id is accepted; ones the grammar forbids are followed as decodeTokens would). */
  push(id: number): void {
    const v = this.vocab;
    if (!Number.isInteger(id) || id < 0 || id >= v.size || this.ended) return;
    if (id === v.eosId) {
      this.ended = true;
      this.pendingPitch = -1;
      return;
    }
    const kind = v.kinds[id];
    if (kind === KIND_SHIFT) {
      this.time += v.values[id];
      this.pendingPitch = -1;
      this.lastPitchAtStep = -1;
      this.notesAtStep = 0;
    } else if (kind === KIND_NOTE) {
      this.pendingPitch = v.values[id];
    } else if (kind === KIND_DUR && this.pendingPitch >= 0) {
      this.lastPitchAtStep = this.pendingPitch;
      this.notesAtStep++;
      this.notes++;
      this.pendingPitch = -1;
      if (this.bars) {
        const b = this.bars.barAt(this.time);
        this.barNotes[b] = (this.barNotes[b] ?? 0) + 1;
      }
    } else if (kind === KIND_REPEAT) {
      // As decodeTokens: a REPEAT anywhere but at a bar start (or before the first bar) does nothing.
      this.pendingPitch = -1;
      const b = this.repeatBar();
      const k = v.values[id];
      if (b >= 0 && this.canCopy(b, k)) {
        const copied = this.barNotes[b - k] ?? 0;
        this.barNotes[b] = copied;
        this.notes += copied;
        this.time += this.bars!.length(b);
        this.lastPitchAtStep = -1;
        this.notesAtStep = 0;
      }
    }
  }

  pushAll(ids: ArrayLike<number>): void {
    for (let i = 0; i < ids.length; i++) this.push(ids[i]);
  }

  /** True once the cursor has reached the step limit and nothing is pending (the sampler may stop). */
  get done(): boolean {
    return this.ended || (this.time >= this.maxSteps && this.pendingPitch < 0);
  }

  /** The tokens allowed next: 1 allowed, 0 not. Never all zero. Writes into `out` when given. */
  mask(out?: Uint8Array): Uint8Array {
    const v = this.vocab;
    const m = out ?? new Uint8Array(v.size);
    m.fill(0);
    if (this.ended) {
      m[v.eosId] = 1;
      return m;
    }
    if (this.pendingPitch >= 0) {
      const room = this.maxSteps - this.time;
      let any = false;
      let shortest = -1;
      for (let id = 0; id < v.size; id++) {
        if (v.kinds[id] !== KIND_DUR) continue;
        if (shortest < 0 || v.values[id] < v.values[shortest]) shortest = id;
        if (v.values[id] <= room) {
          m[id] = 1;
          any = true;
        }
      }
      if (!any && shortest >= 0) m[shortest] = 1;
      if (shortest < 0) m[v.eosId] = 1; // a vocabulary without DUR tokens: nothing else can follow
      return m;
    }
    m[v.eosId] = 1;
    if (this.time >= this.maxSteps) return m;
    const canNote = this.notesAtStep < this.maxPolyphony;
    const bar = this.repeatBar();
    for (let id = 0; id < v.size; id++) {
      const kind = v.kinds[id];
      if (kind === KIND_SHIFT) {
        if (this.time + v.values[id] <= this.maxSteps) m[id] = 1;
      } else if (kind === KIND_NOTE) {
        if (canNote && v.values[id] > this.lastPitchAtStep) m[id] = 1;
      } else if (kind === KIND_REPEAT) {
        const k = v.values[id];
        if (bar >= 0 && this.canCopy(bar, k) && (this.barNotes[bar - k] ?? 0) > 0) m[id] = 1;
      }
    }
    return m;
  }
}
