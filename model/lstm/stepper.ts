/**
 * Stateful LSTM inference, one token per row per step, all rows of the batch at once. The cell math
 * runs in plain JavaScript (cell.ts, shared with training); the matrix products run through tfjs
 * when a fast backend (wasm, tfjs-node) is already initialised, else in JavaScript loops, so the
 * stepper needs no backend at all (see stepperEngine). The first layer's input projection is
 * folded into a [vocab, 4H] table (embedding x kernel + bias): a token costs one row lookup there.
 */
import type { LstmConfig, LstmStepper, NamedTensorData } from './types';
import { checkWeights, validateConfig } from './weights';
import * as tf from '@tensorflow/tfjs';
import { addInto, cellOutput, cellState, gateScale, sigmoidInPlace, softmaxInPlace } from './cell';
import { readView } from './heap';
import { InputError } from '../common/options.js';

/** z[0..n) += x[0..k) * W[k, n] (row-major), unrolled by 4 rows. */
export function addMatVec(
  z: Float32Array,
  zOff: number,
  x: Float32Array,
  xOff: number,
  w: Float32Array,
  k: number,
  n: number,
): void {
  let r = 0;
  for (; r + 3 < k; r += 4) {
    const x0 = x[xOff + r]!;
    const x1 = x[xOff + r + 1]!;
    const x2 = x[xOff + r + 2]!;
    const x3 = x[xOff + r + 3]!;
    const o0 = r * n;
    const o1 = o0 + n;
    const o2 = o1 + n;
    const o3 = o2 + n;
    for (let j = 0; j < n; j++) {
      z[zOff + j] = z[zOff + j]! + x0 * w[o0 + j]! + x1 * w[o1 + j]! + x2 * w[o2 + j]! + x3 * w[o3 + j]!;
    }
  }
  for (; r < k; r++) {
    const xr = x[xOff + r]!;
    const o = r * n;
    for (let j = 0; j < n; j++) z[zOff + j] = z[zOff + j]! + xr * w[o + j]!;
  }
}

/** x [rows, k] times a fixed matrix [k, n], added into z [rows, n]. */
interface MatrixTimes {
  addTo(z: Float32Array, x: Float32Array, rows: number): void;
  dispose(): void;
}

class JsMatrix implements MatrixTimes {
  constructor(
    private readonly w: Float32Array,
    private readonly k: number,
    private readonly n: number,
  ) {}
  addTo(z: Float32Array, x: Float32Array, rows: number): void {
    for (let r = 0; r < rows; r++) addMatVec(z, r * this.n, x, r * this.k, this.w, this.k, this.n);
  }
  dispose(): void {}
}

/** The same through tfjs (XNNPACK on wasm packs the fixed matrix once): ~3x faster than JS loops
 * at hidden 256, despite two tfjs calls per product. */
class TfMatrix implements MatrixTimes {
  private readonly w: tf.Tensor2D;
  constructor(
    w: Float32Array,
    private readonly k: number,
    private readonly n: number,
  ) {
    this.w = tf.keep(tf.tensor2d(w, [k, n])); // survives a tf.tidy around createLstmStepper
  }
  addTo(z: Float32Array, x: Float32Array, rows: number): void {
    const xt = tf.tensor2d(x.subarray(0, rows * this.k), [rows, this.k]);
    const y = tf.matMul(xt, this.w);
    xt.dispose();
    addInto(z, readView(y), rows * this.n);
    y.dispose();
  }
  dispose(): void {
    this.w.dispose();
  }
}

/** 'tfjs' when a fast tfjs backend is already running (wasm, tfjs-node), else 'js'; the
 * OSTINATO_STEPPER environment variable (js|tfjs) overrides. */
export function stepperEngine(): 'js' | 'tfjs' {
  const forced = typeof process === 'undefined' ? undefined : process.env.OSTINATO_STEPPER;
  if (forced === 'js' || forced === 'tfjs') return forced;
  const name = tf.engine().backendName;
  return name === 'wasm' || name === 'tensorflow' ? 'tfjs' : 'js';
}

interface StepLayer {
  kernel: MatrixTimes | null; // layers > 0: input kernel [H, 4H] (scaled)
  bias: Float32Array; // scaled
  recurrent: MatrixTimes; // [H, 4H] (scaled)
}

class LstmStepperImpl implements LstmStepper {
  readonly config: LstmConfig;
  readonly engine: 'js' | 'tfjs';
  private table: Float32Array; // [V, 4H] = (embedding @ kernel_0 + bias_0), scaled
  private readonly layers: StepLayer[];
  private readonly out: MatrixTimes;
  private readonly outBias: Float32Array;
  private batch = 0;
  private h: Float32Array[] = [];
  private c: Float32Array[] = [];
  private z = new Float32Array(0);
  private tc = new Float32Array(0);
  private c2 = new Float32Array(0);
  private disposed = false;

  constructor(config: LstmConfig, weights: NamedTensorData[]) {
    validateConfig(config);
    this.config = { ...config };
    const w = checkWeights(config, weights);
    const { vocabSize: V, embeddingDim: E, hiddenSize: H, numLayers: L } = config;
    const G = 4 * H;
    this.engine = stepperEngine();
    const matrix = (m: Float32Array, k: number, n: number): MatrixTimes =>
      this.engine === 'tfjs' ? new TfMatrix(m, k, n) : new JsMatrix(m, k, n);
    const emb = w.get('embedding')!;
    const k0 = w.get('lstm_0/kernel')!;
    const b0 = w.get('lstm_0/bias')!;
    // Every matrix with 4H columns gets its candidate columns doubled (see gateScale in cell.ts).
    const scale = gateScale(H);
    const scaled = (m: Float32Array) => m.map((x, k) => x * scale[k % G]!);
    this.table = new Float32Array(V * G);
    for (let v = 0; v < V; v++) {
      this.table.set(b0, v * G);
      addMatVec(this.table, v * G, emb, v * E, k0, E, G);
    }
    this.table = scaled(this.table);
    this.layers = [];
    for (let l = 0; l < L; l++) {
      this.layers.push({
        kernel: l === 0 ? null : matrix(scaled(w.get(`lstm_${l}/kernel`)!), H, G),
        bias: scaled(w.get(`lstm_${l}/bias`)!),
        recurrent: matrix(scaled(w.get(`lstm_${l}/recurrent_kernel`)!), H, G),
      });
    }
    this.out = matrix(w.get('output/kernel')!, H, V);
    this.outBias = w.get('output/bias')!;
    this.reset(1);
  }

  reset(batch: number): void {
    this.assertLive();
    if (!Number.isInteger(batch) || batch < 1)
      throw new InputError(`LSTM stepper: batch must be a positive integer, got ${batch}`);
    const H = this.config.hiddenSize;
    this.batch = batch;
    this.h = this.layers.map(() => new Float32Array(batch * H));
    this.c = this.layers.map(() => new Float32Array(batch * H));
    this.z = new Float32Array(batch * 4 * H);
    this.tc = new Float32Array(batch * H);
    this.c2 = new Float32Array(batch * H);
  }

  step(tokens: Int32Array, temperature = 1): Float32Array {
    this.assertLive();
    const { vocabSize: V, hiddenSize: H } = this.config;
    const B = this.batch;
    if (tokens.length !== B)
      throw new InputError(`LSTM stepper: expected ${B} tokens (one per row), got ${tokens.length}`);
    if (!(temperature > 0) || !Number.isFinite(temperature)) {
      throw new InputError(`LSTM stepper: temperature must be a positive number, got ${temperature}`);
    }
    for (let b = 0; b < B; b++) {
      const tok = tokens[b]!;
      if (!Number.isInteger(tok) || tok < 0 || tok >= V)
        throw new InputError(`LSTM stepper: token ${tok} is outside 0..${V - 1}`);
    }
    const G = 4 * H;
    const z = this.z;
    for (let l = 0; l < this.layers.length; l++) {
      const layer = this.layers[l]!;
      const h = this.h[l]!;
      const c = this.c[l]!;
      for (let b = 0; b < B; b++) {
        if (layer.kernel === null) z.set(this.table.subarray(tokens[b]! * G, tokens[b]! * G + G), b * G);
        else z.set(layer.bias, b * G);
      }
      if (layer.kernel !== null) layer.kernel.addTo(z, this.h[l - 1]!, B);
      layer.recurrent.addTo(z, h, B);
      // Gates, c and h are updated in place: each value is read before it is written.
      sigmoidInPlace(z, 0, B * G);
      cellState(B, H, z, 0, z, 0, c, 0, c, 0, this.c2);
      sigmoidInPlace(this.c2, 0, B * H);
      cellOutput(B, H, z, 0, this.c2, this.tc, h, 0);
    }
    // Output layer and softmax with temperature.
    const probs = new Float32Array(B * V);
    for (let b = 0; b < B; b++) probs.set(this.outBias, b * V);
    this.out.addTo(probs, this.h[this.layers.length - 1]!, B);
    for (let b = 0; b < B; b++) softmaxInPlace(probs, b * V, V, temperature);
    return probs;
  }

  broadcastRow(from: number): void {
    this.assertLive();
    if (!Number.isInteger(from) || from < 0 || from >= this.batch) {
      throw new InputError(`LSTM stepper: row ${from} is outside 0..${this.batch - 1}`);
    }
    const H = this.config.hiddenSize;
    for (const arr of [...this.h, ...this.c]) {
      const row = arr.slice(from * H, from * H + H);
      for (let b = 0; b < this.batch; b++) if (b !== from) arr.set(row, b * H);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const l of this.layers) {
      l.kernel?.dispose();
      l.recurrent.dispose();
    }
    this.out.dispose();
    this.h = [];
    this.c = [];
  }

  private assertLive(): void {
    if (this.disposed) throw new Error('LSTM stepper: used after dispose()');
  }
}

/** Creates a stepper over a copy-free view of `weights` (the arrays must not be changed later). */
export function createLstmStepper(config: LstmConfig, weights: NamedTensorData[]): LstmStepper {
  return new LstmStepperImpl(config, weights);
}
