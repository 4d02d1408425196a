/**
 * Stateful LSTM inference in plain JavaScript (Float32Array loops, no tfjs): for batch 1-8 and hidden
 * sizes up to 512 this is faster than dispatching tfjs ops per token, needs no backend, and runs
 * anywhere (worker, renderer, CLI). The first layer's input projection is folded into a [vocab, 4H]
 * table (embedding x kernel + bias), so a token costs one row lookup there.
 */
import type { LstmConfig, LstmStepper, NamedTensorData } from './types';
import { checkWeights, validateConfig } from './weights';
import { cellOutput, cellState, gateScale, sigmoidInPlace } from './cell';

interface Layer {
  /** Input kernel [in, 4H] (layers > 0) with its bias. Layer 0 uses `table` instead. */
  kernel: Float32Array | null;
  bias: Float32Array;
  recurrent: Float32Array; // [H, 4H]
}

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

class JsLstmStepper implements LstmStepper {
  readonly config: LstmConfig;
  private table: Float32Array; // [V, 4H] = embedding @ kernel_0 + bias_0
  private readonly layers: Layer[];
  private readonly outKernel: Float32Array;
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
        kernel: l === 0 ? null : scaled(w.get(`lstm_${l}/kernel`)!),
        bias: scaled(w.get(`lstm_${l}/bias`)!),
        recurrent: scaled(w.get(`lstm_${l}/recurrent_kernel`)!),
      });
    }
    this.outKernel = w.get('output/kernel')!;
    this.outBias = w.get('output/bias')!;
    this.reset(1);
  }

  reset(batch: number): void {
    this.assertLive();
    if (!Number.isInteger(batch) || batch < 1)
      throw new Error(`LSTM stepper: batch must be a positive integer, got ${batch}`);
    const H = this.config.hiddenSize;
    this.batch = batch;
    this.h = this.layers.map(() => new Float32Array(batch * H));
    this.c = this.layers.map(() => new Float32Array(batch * H));
    this.z = new Float32Array(4 * H);
    this.tc = new Float32Array(batch * H);
    this.c2 = new Float32Array(H);
  }

  step(tokens: Int32Array, temperature = 1): Float32Array {
    this.assertLive();
    const { vocabSize: V, hiddenSize: H } = this.config;
    const B = this.batch;
    if (tokens.length !== B)
      throw new Error(`LSTM stepper: expected ${B} tokens (one per row), got ${tokens.length}`);
    if (!(temperature > 0) || !Number.isFinite(temperature)) {
      throw new Error(`LSTM stepper: temperature must be a positive number, got ${temperature}`);
    }
    const G = 4 * H;
    const z = this.z;
    const probs = new Float32Array(B * V);
    for (let b = 0; b < B; b++) {
      const tok = tokens[b]!;
      if (!Number.isInteger(tok) || tok < 0 || tok >= V)
        throw new Error(`LSTM stepper: token ${tok} is outside 0..${V - 1}`);
      for (let l = 0; l < this.layers.length; l++) {
        const layer = this.layers[l]!;
        const h = this.h[l]!;
        const c = this.c[l]!;
        if (layer.kernel === null) z.set(this.table.subarray(tok * G, tok * G + G));
        else {
          z.set(layer.bias);
          addMatVec(z, 0, this.h[l - 1]!, b * H, layer.kernel, H, G);
        }
        addMatVec(z, 0, h, b * H, layer.recurrent, H, G);
        // Gates, c and h are updated in place: each value is read before it is written.
        sigmoidInPlace(z, 0, G);
        cellState(1, H, z, 0, z, 0, c, b * H, c, b * H, this.c2);
        sigmoidInPlace(this.c2, 0, H);
        cellOutput(1, H, z, 0, this.c2, this.tc, h, b * H);
      }
      // Output layer and softmax with temperature.
      const out = probs.subarray(b * V, b * V + V);
      out.set(this.outBias);
      addMatVec(out, 0, this.h[this.layers.length - 1]!, b * H, this.outKernel, H, V);
      let max = -Infinity;
      for (let v = 0; v < V; v++) {
        const x = out[v]! / temperature;
        out[v] = x;
        if (x > max) max = x;
      }
      let sum = 0;
      for (let v = 0; v < V; v++) {
        const e = Math.exp(out[v]! - max);
        out[v] = e;
        sum += e;
      }
      for (let v = 0; v < V; v++) out[v] = out[v]! / sum;
    }
    return probs;
  }

  broadcastRow(from: number): void {
    this.assertLive();
    if (!Number.isInteger(from) || from < 0 || from >= this.batch) {
      throw new Error(`LSTM stepper: row ${from} is outside 0..${this.batch - 1}`);
    }
    const H = this.config.hiddenSize;
    for (const arr of [...this.h, ...this.c]) {
      const row = arr.slice(from * H, from * H + H);
      for (let b = 0; b < this.batch; b++) if (b !== from) arr.set(row, b * H);
    }
  }

  dispose(): void {
    this.disposed = true;
    this.h = [];
    this.c = [];
  }

  private assertLive(): void {
    if (this.disposed) throw new Error('LSTM stepper: used after dispose()');
  }
}

/** Creates a stepper over a copy-free view of `weights` (the arrays must not be changed later). */
export function createLstmStepper(config: LstmConfig, weights: NamedTensorData[]): LstmStepper {
  return new JsLstmStepper(config, weights);
}
