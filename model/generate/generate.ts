import type { GridMeter, GridNote, GridPiece } from '../common/types.js';
import { STEPS_PER_QUARTER, stepsPerBar } from '../common/types.js';
import { createLstmStepper } from '../lstm/stepper.js';
import { encodePiece, decodeTokens } from '../encoding/codec.js';
import { DecoderState, scaleMask } from '../encoding/grammar.js';
import { BarGrid } from '../encoding/bars.js';
import { KEY_NAMES } from '../common/transpose.js';
import { checkOption, checkOptions, InputError } from '../common/options.js';
import { GENERATE_OPTIONS, PRIMER_OPTIONS, type GenerateSettings } from '../common/generate-options.js';
import type { LoadedModel } from '../checkpoint/load.js';
import { Rng } from '../common/rng.js';
import { sampleToken } from './sampler.js';

/**
 * Generation: prime the LSTM with <bos> and an optional primer (the first bars of a piece), then
 * sample token by token under the grammar of model/encoding (DecoderState: only valid next tokens,
 * time limit) and an optional scale mask, until the time cursor reaches the requested length.
 * Several variations run as one batch: the primer is fed once for all rows, then every row samples
 * from its own Rng seeded with seed + i. Deterministic: the same model, request and seed give the
 * same notes on every machine (a deterministic stepper; the Rng is integer arithmetic).
 */

/** The settings a request must give; the table's other rows may be left out. */
const REQUIRED_SETTINGS = ['bars', 'temperature', 'topK', 'topP', 'seed'] as const;
type RequiredSetting = (typeof REQUIRED_SETTINGS)[number];

/**
 * One generation: the options of the table (model/common/generate-options.ts; `bars`, the sampling
 * settings and `seed` required) and what only code passes (primer piece, meter, names, velocity).
 * Left out: `variations` one piece (seeds seed + i for several), `tempo` the primer's else the
 * table's default, `scale` none (`key`: the root for a scale; NOTE tokens outside it are never sampled).
 */
export interface GenerateRequest
  extends Pick<GenerateSettings, RequiredSetting>, Partial<Omit<GenerateSettings, RequiredSetting>> {
  /** The first `bars` bars of `piece` are fed to the model and kept at the start of the result. */
  primer?: { piece: GridPiece; bars: number } | null;
  /**
   * One meter for the whole piece. Default: the primer's meter map (its bars keep their meters and
   * the piece goes on in the last one), else 4/4.
   */
  timeSignature?: [number, number];
  /** Piece names are `${name} ${i+1}` (default "Generated"). */
  name?: string;
  /** Velocity of generated notes (1-127, default 90). */
  velocity?: number;
}

/** A generated piece: a GridPiece plus what produced it. */
export interface GeneratedGridPiece extends GridPiece {
  seed: number; // the seed of this variation (request seed + i)
  bars: number; // total bars, primer included
  primerNotes: number; // the first notes (in token order) that came from the primer
  tokens: Int32Array; // <bos>, primer and generated tokens
}

export { stepsPerBar };

export function validateGenerateRequest(req: GenerateRequest): void {
  const intIn = (v: unknown, lo: number, hi: number) =>
    typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;
  for (const k of REQUIRED_SETTINGS)
    if (req[k] === undefined) throw new InputError(`generate: ${k} is required`);
  checkOptions(GENERATE_OPTIONS, req, 'generate', true);
  if (req.scale && req.scale !== 'none' && req.key === undefined)
    throw new InputError(`generate: a scale needs a key (one of ${KEY_NAMES.join(', ')})`);
  if (req.primer) checkOption(PRIMER_OPTIONS.bars, req.primer.bars, 'generate.primer.bars');
  const ts = req.timeSignature;
  if (ts && !(intIn(ts[0], 1, 32) && [1, 2, 4, 8, 16, 32].includes(ts[1])))
    throw new InputError(`bad time signature ${JSON.stringify(ts)}`);
  if (req.velocity !== undefined && !intIn(req.velocity, 1, 127))
    throw new InputError(`velocity must be 1..127, got ${req.velocity}`);
}

/**
 * The first `bars` bars of a piece, moved onto `stepsPerQuarter` when its grid differs. Notes keep
 * their full length (a note held over the cut is part of the primer). Bars follow the piece's meter
 * map, which the slice keeps up to its end (the tempo map is not kept: the result has one tempo).
 */
export function primerSlice(
  piece: GridPiece,
  bars: number,
  stepsPerQuarter: number,
): { piece: GridPiece; steps: number } {
  const ratio = stepsPerQuarter / piece.stepsPerQuarter;
  const meters: GridMeter[] | undefined = piece.meters?.map((m) => ({
    step: Math.round(m.step * ratio),
    timeSignature: [m.timeSignature[0], m.timeSignature[1]],
  }));
  const steps = BarGrid.fromMeters(stepsPerQuarter, meters, piece.timeSignature).start(bars);
  const notes: GridNote[] = [];
  for (const n of piece.notes) {
    const start = Math.round(n.start * ratio);
    if (start >= steps) continue;
    notes.push({ ...n, start, duration: Math.max(1, Math.round(n.duration * ratio)) });
  }
  const { meters: _meters, tempos: _tempos, ...rest } = piece;
  const kept = meters?.filter((m, i) => i === 0 || m.step < steps);
  return {
    piece: {
      ...rest,
      stepsPerQuarter,
      lengthSteps: steps,
      timeSignature: [...piece.timeSignature] as [number, number],
      notes,
      ...(kept && kept.length > 1 ? { meters: kept } : {}),
    },
    steps,
  };
}

export function generatePieces(model: LoadedModel, req: GenerateRequest): GeneratedGridPiece[] {
  validateGenerateRequest(req);
  const { vocab, encoding, config } = model;
  const spq = STEPS_PER_QUARTER[encoding.grid];
  const variations = req.variations ?? 1;
  const primerPiece = req.primer && req.primer.bars > 0 ? req.primer.piece : null;
  const timeSignature: [number, number] =
    req.timeSignature ?? (primerPiece ? [...primerPiece.timeSignature] : [4, 4]);
  const bpm = req.tempo ?? primerPiece?.bpm ?? GENERATE_OPTIONS.tempo.default;

  // Prime: <bos> + primer tokens without their <eos>.
  let prime: number[] = [vocab.bosId];
  let primerBars = 0;
  let meters: GridMeter[] | undefined;
  if (primerPiece) {
    // A requested meter replaces the primer's map; otherwise its bars keep theirs.
    const source = req.timeSignature ? { ...primerPiece, timeSignature, meters: undefined } : primerPiece;
    const slice = primerSlice(source, req.primer!.bars, spq);
    meters = slice.piece.meters;
    const toks = encodePiece(slice.piece, vocab, encoding);
    prime = Array.from(toks.subarray(0, toks.length - 1));
    primerBars = req.primer!.bars;
  }
  const bars = BarGrid.fromMeters(spq, meters, timeSignature);
  const totalBars = primerBars + req.bars;
  const maxSteps = bars.usable ? bars.start(totalBars) : totalBars * stepsPerBar(spq, timeSignature);

  const states = Array.from(
    { length: variations },
    () => new DecoderState(vocab, { maxSteps, maxPolyphony: encoding.maxPolyphony, bars }),
  );
  for (const s of states) s.pushAll(prime);
  const primerNotes = states[0].notes;
  const rngs = Array.from({ length: variations }, (_, i) => new Rng(req.seed + i));
  const scale = req.scale && req.scale !== 'none' ? scaleMask(vocab, req.key!, req.scale) : null;
  // The stepper applies the temperature; 0 is greedy (the likeliest token), drawn by the sampler.
  const stepperT = req.temperature > 0 ? req.temperature : 1;
  const samplerOpts = { greedy: req.temperature === 0, topK: req.topK, topP: req.topP };

  const stepper = createLstmStepper(config, model.weights);
  try {
    stepper.reset(variations);
    const input = new Int32Array(variations);
    let probs: Float32Array = new Float32Array(0);
    for (const tok of prime) {
      input.fill(tok);
      probs = stepper.step(input, stepperT);
    }
    stepper.broadcastRow(0);
    const out = states.map(() => [...prime]);
    const V = config.vocabSize;
    const mask = new Uint8Array(V);
    // Safety bound: every token either moves time forward or adds a note, and notes per step are bounded.
    const maxTokens = maxSteps * (2 * Math.min(encoding.maxPolyphony, 128) + 1) + 16;
    for (let t = 0; t < maxTokens; t++) {
      let active = 0;
      for (let r = 0; r < variations; r++) {
        const st = states[r];
        if (st.done) {
          input[r] = vocab.eosId;
          continue;
        }
        st.mask(mask);
        // The piece runs to its full length: <eos> only when nothing else is possible.
        let others = 0;
        for (let i = 0; i < V; i++) if (i !== vocab.eosId) others += mask[i];
        if (others > 0) mask[vocab.eosId] = 0;
        if (scale) {
          let kept = 0;
          for (let i = 0; i < V; i++) kept += mask[i] & scale[i];
          if (kept > 0) for (let i = 0; i < V; i++) mask[i] &= scale[i];
        }
        const tok = sampleToken(probs, r * V, V, samplerOpts, rngs[r], mask);
        st.push(tok);
        out[r].push(tok);
        input[r] = tok;
        if (!st.done) active++;
      }
      if (active === 0) break;
      probs = stepper.step(input, stepperT);
    }
    return out.map((tokens, i) => {
      const decoded = decodeTokens(tokens, vocab, encoding, {
        name: `${req.name ?? 'Generated'}${variations > 1 ? ` ${i + 1}` : ''}`,
        bpm,
        timeSignature,
        meters,
        velocity: req.velocity,
      });
      // Close cleanly at the requested length: nothing rings past the last bar.
      for (const n of decoded.notes)
        if (n.start + n.duration > maxSteps) n.duration = Math.max(1, maxSteps - n.start);
      return {
        ...decoded,
        lengthSteps: maxSteps,
        seed: req.seed + i,
        bars: totalBars,
        primerNotes,
        tokens: Int32Array.from(tokens),
      };
    });
  } finally {
    stepper.dispose();
  }
}
