/**
 * The training graph of the LSTM language model, with a hand-written backward pass through time.
 * Layout is time-major: row t*B + b is step t of sequence b.
 *
 * Matrix products run on tfjs (wasm: XNNPACK, SIMD); the per-step elementwise cell math runs in
 * JavaScript on the matMul results read in place from the wasm heap (cell.ts), which replaces ~30
 * small tfjs ops per step by one loop. Per layer and step there is one recurrent matMul forward and
 * one backward (dZ_t x R^T); the input projection of all steps is one matMul (layer 0: a row lookup
 * in the [vocab, 4H] table embedding x kernel + bias, since the input is one-hot), and the weight
 * gradients of all steps are one matMul each at the end. Transposes are explicit: on wasm
 * matMul(a, b, transposeA/B) is 10-30x slower than a transpose followed by a plain matMul.
 */
import * as tf from '@tensorflow/tfjs';
import type { LstmConfig } from './types';
import { readView } from './heap';
import { readInto, scratch } from './scratch';
import { cellBackward, cellOutput, cellState, gateScale } from './cell';
import { fillRhs, kernelProducts, markReady, unpackKernelGrads, type TailPart } from './kernel-grads';

export type ParamMap = Map<string, tf.Tensor>;

/** CPU time of this process per phase of the training graph (ms), accumulated while
 * `phaseTimes.enabled` (for the benchmark's profile; CPU time is robust to other load). */
export const phaseTimes = { enabled: false, ms: {} as Record<string, number> };
let phaseStart = 0;
export function phase(name: string | null): void {
  if (!phaseTimes.enabled) return;
  const u = process.cpuUsage();
  const now = (u.user + u.system) / 1000;
  if (name !== null) phaseTimes.ms[name] = (phaseTimes.ms[name] ?? 0) + now - phaseStart;
  phaseStart = now;
}

/** A batch on the device, time-major. */
export interface DeviceBatch {
  B: number;
  T: number;
  tokens: Int32Array; // [T*B] input ids
  targetOneHot: tf.Tensor2D; // [T*B, V], all-zero rows at padding
  valid: tf.Tensor2D; // [T*B, 1]: 1 where the target is not padding
  ones: tf.Tensor2D; // [1, T*B]: column sums as a matMul (tf.sum over axis 0 is slow on wasm)
  count: number; // non-padding targets
  targets: Int32Array; // [T*B], -1 = padding
}

/** Dropout masks (already scaled by 1/(1-p)), [T*B, H] each: masks[l] applies to the output of
 * layer l (the input of layer l+1, or of the softmax for the top layer). Empty when no dropout. */
export type DropoutMasks = tf.Tensor2D[];

/** Rows `rowStart..rowStart+rows` of a batch-major [B, T] batch, laid out time-major. */
export function toDeviceBatch(
  config: LstmConfig,
  inputs: Int32Array,
  targets: Int32Array,
  B: number,
  T: number,
  rowStart = 0,
  rows = B,
): DeviceBatch {
  const V = config.vocabSize;
  const n = rows * T;
  const tokens = new Int32Array(n);
  const tgt = new Int32Array(n);
  const targetOneHot = scratch('targetOneHot', n * V, true);
  const valid = scratch('valid', n, true);
  let count = 0;
  for (let t = 0; t < T; t++) {
    for (let r = 0; r < rows; r++) {
      const src = (rowStart + r) * T + t;
      const dst = t * rows + r;
      const y = targets[src]!;
      tokens[dst] = inputs[src]!;
      tgt[dst] = y;
      if (y >= 0) {
        targetOneHot[dst * V + y] = 1;
        valid[dst] = 1;
        count++;
      }
    }
  }
  return {
    B: rows,
    T,
    tokens,
    targetOneHot: tf.tensor2d(targetOneHot, [n, V]),
    valid: tf.tensor2d(valid, [n, 1]),
    ones: tf.ones([1, n]),
    count,
    targets: tgt,
  };
}

export function disposeDeviceBatch(b: DeviceBatch): void {
  b.targetOneHot.dispose();
  b.valid.dispose();
  b.ones.dispose();
}

interface LayerCache {
  x: tf.Tensor2D | null; // layer input [TB, H] after dropout (null for layer 0: one-hot)
  acts: Float32Array; // activated gates [TB, 4H]
  c: Float32Array; // [TB, H]
  tc: Float32Array; // tanh(c) [TB, H]
  h: Float32Array; // [TB, H]
}

export interface ForwardResult {
  logits: tf.Tensor2D; // [TB, V]
  top: tf.Tensor2D; // input of the output layer (after dropout) [TB, H]
  layers: LayerCache[];
}

/**
 * Runs one layer over all steps. R2: recurrent kernel with the candidate columns doubled (see
 * gateScale); zx(t, dst) writes step t's scaled input projection + bias into dst [B, 4H].
 */
function layerForward(
  l: number,
  R2: tf.Tensor2D,
  B: number,
  T: number,
  H: number,
  zx: (t: number, dst: Float32Array) => void,
): Omit<LayerCache, 'x'> {
  const G = 4 * H;
  const acts = scratch(`acts${l}`, T * B * G, false);
  const c = scratch(`c${l}`, T * B * H, false);
  const tc = scratch(`tc${l}`, T * B * H, false);
  const h = scratch(`h${l}`, T * B * H, false);
  const z = scratch('z', B * G, false);
  const c2 = scratch('c2', B * H, false);
  let hPrev: tf.Tensor2D | null = null;
  phase('fwd: input projection');
  for (let t = 0; t < T; t++) {
    zx(t, z);
    let pre = tf.tensor2d(z, [B, G]);
    phase('fwd: input rows (js+upload)');
    if (hPrev) {
      const rec = tf.matMul(hPrev, R2);
      phase('fwd: recurrent matMul');
      const sum = tf.add(pre, rec);
      pre.dispose();
      rec.dispose();
      hPrev.dispose();
      pre = sum as tf.Tensor2D;
    }
    const st = tf.sigmoid(pre);
    pre.dispose();
    phase('fwd: add + gate sigmoid');
    cellState(B, H, readView(st), 0, acts, t * B * G, t > 0 ? c : null, (t - 1) * B * H, c, t * B * H, c2);
    st.dispose();
    phase('fwd: cell state (js)');
    const ct = tf.tensor2d(c2, [B, H]);
    const sct = tf.sigmoid(ct);
    ct.dispose();
    phase('fwd: tanh(c) sigmoid (upload+op)');
    cellOutput(B, H, acts, t * B * G, readView(sct), tc, h, t * B * H);
    sct.dispose();
    if (t < T - 1) hPrev = tf.tensor2d(h.subarray(t * B * H, (t + 1) * B * H), [B, H]);
    phase('fwd: cell output (js+upload)');
  }
  return { acts, c, tc, h };
}

/** Forward pass of the whole sequence. Run inside tf.tidy; the result is used by `backward`. */
export function forward(
  config: LstmConfig,
  p: ParamMap,
  batch: DeviceBatch,
  masks: DropoutMasks,
): ForwardResult {
  const { hiddenSize: H, numLayers: L } = config;
  const { B, T, tokens } = batch;
  const G = 4 * H;
  const scale = tf.tensor1d(gateScale(H));
  const layers: LayerCache[] = [];
  let input: tf.Tensor2D | null = null;
  phase('setup: batch, masks, slices');
  for (let l = 0; l < L; l++) {
    const bias = p.get(`lstm_${l}/bias`)!;
    const R2 = tf.mul(p.get(`lstm_${l}/recurrent_kernel`)!, scale) as tf.Tensor2D;
    let zx: (t: number, dst: Float32Array) => void;
    if (l === 0) {
      const table = tf
        .mul(
          tf.add(tf.matMul(p.get('embedding') as tf.Tensor2D, p.get('lstm_0/kernel') as tf.Tensor2D), bias),
          scale,
        )
        .dataSync() as Float32Array;
      zx = (t, dst) => {
        for (let r = 0; r < B; r++) {
          const tok = tokens[t * B + r]!;
          dst.set(table.subarray(tok * G, tok * G + G), r * G);
        }
      };
    } else {
      const all = readInto(
        'inputProjection',
        tf.mul(tf.add(tf.matMul(input!, p.get(`lstm_${l}/kernel`) as tf.Tensor2D), bias), scale),
      );
      zx = (t, dst) => dst.set(all.subarray(t * B * G, (t + 1) * B * G));
    }
    phase('fwd: input projection');
    const cache: LayerCache = { x: input, ...layerForward(l, R2, B, T, H, zx) };
    layers.push(cache);
    const hAll = tf.tensor2d(cache.h, [T * B, H]);
    input = masks.length ? (tf.mul(hAll, masks[l]!) as tf.Tensor2D) : hAll;
  }
  const logits = tf.add(
    tf.matMul(input!, p.get('output/kernel') as tf.Tensor2D),
    p.get('output/bias')!,
  ) as tf.Tensor2D;
  return { logits, top: input!, layers };
}

/**
 * Over the non-padding targets (row n's target is targets[n], -1 = padding): the sum of
 * -ln softmax(row)[target] (log-sum-exp around the row's maximum), and how many rows have the
 * target as their first maximum (tf.argMax's choice). logits is [rows, V], row-major. One pass
 * in JavaScript; tf.logSoftmax, tf.argMax and the sums cost ~4x more on wasm.
 */
export function scoreLogits(
  logits: Float32Array,
  targets: Int32Array,
  V: number,
): { nll: number; correct: number } {
  let nll = 0;
  let correct = 0;
  for (let n = 0; n < targets.length; n++) {
    const y = targets[n]!;
    if (y < 0) continue;
    const o = n * V;
    let max = logits[o]!;
    let arg = 0;
    for (let v = 1; v < V; v++) {
      if (logits[o + v]! > max) {
        max = logits[o + v]!;
        arg = v;
      }
    }
    let sum = 0;
    for (let v = 0; v < V; v++) sum += Math.exp(logits[o + v]! - max);
    nll += Math.log(sum) + max - logits[o + y]!;
    if (arg === y) correct++;
  }
  return { nll, correct };
}

/** Backward through all steps of one layer: returns dZ, the gradient wrt the gate pre-activations
 * [TB, 4H], given dH, the gradient wrt the layer's outputs [TB, H]. */
function layerBackward(
  cache: LayerCache,
  dH: Float32Array,
  RT: tf.Tensor2D,
  B: number,
  T: number,
  H: number,
  dZ: Float32Array,
): Float32Array {
  const G = 4 * H;
  const dc = scratch('dc', B * H, true);
  let dhNext: tf.Tensor2D | null = null;
  phase('bwd: dH readback');
  for (let t = T - 1; t >= 0; t--) {
    const dhv = dhNext ? readView(dhNext) : null;
    cellBackward(
      B,
      H,
      cache.acts,
      t * B * G,
      t > 0 ? cache.c : null,
      (t - 1) * B * H,
      cache.tc,
      t * B * H,
      dH,
      t * B * H,
      dhv,
      0,
      dc,
      dZ,
      t * B * G,
    );
    if (dhNext) dhNext.dispose();
    dhNext = null;
    phase('bwd: cell (js)');
    if (t > 0) {
      const dZt = tf.tensor2d(dZ.subarray(t * B * G, (t + 1) * B * G), [B, G]);
      dhNext = tf.matMul(dZt, RT) as tf.Tensor2D;
      dZt.dispose();
      phase('bwd: recurrent matMul (upload+op)');
    }
  }
  return dZ;
}

/** out[index[n]] += src[n] for every row n of src [index.length, cols]; out is [outRows, cols]. */
function scatterAddRows(src: Float32Array, index: Int32Array, outRows: number, cols: number): Float32Array {
  const out = scratch('dTable', outRows * cols, true);
  for (let n = 0; n < index.length; n++) {
    const o = index[n]! * cols;
    const s = n * cols;
    for (let c = 0; c < cols; c++) out[o + c] = out[o + c]! + src[s + c]!;
  }
  return out;
}

/**
 * Gradients of (sum of target NLL) / `normalizer` with respect to every parameter, from a forward
 * result. Run inside tf.tidy. Returns a map with the same names as `p`, and how many chunks of
 * each other slice this thread took (kernel-grads.ts). With other slices in
 * `tail.share`, the recurrent kernel, bias and upper kernel gradients are this thread's share of
 * the batch's sum (the chunks it took), not its own slice's.
 */
export function backward(
  config: LstmConfig,
  p: ParamMap,
  batch: DeviceBatch,
  masks: DropoutMasks,
  fwd: ForwardResult,
  normalizer: number,
  tail: TailPart,
): { grads: ParamMap; takenFrom: number[] } {
  const { hiddenSize: H, numLayers: L, vocabSize: V } = config;
  const { B, T } = batch;
  const G = 4 * H;
  const grads: ParamMap = new Map();
  // Softmax cross-entropy: dLogits = (softmax - onehot) on non-padding rows, / normalizer.
  const dLogits = tf.mul(
    tf.sub(tf.mul(tf.softmax(fwd.logits), batch.valid), batch.targetOneHot),
    1 / normalizer,
  ) as tf.Tensor2D;
  grads.set('output/kernel', tf.matMul(tf.transpose(fwd.top), dLogits));
  grads.set('output/bias', tf.reshape(tf.matMul(batch.ones, dLogits), [V]));
  let dH: tf.Tensor2D = tf.matMul(dLogits, tf.transpose(p.get('output/kernel') as tf.Tensor2D));
  phase('bwd: softmax and output layer');
  for (let l = L - 1; l >= 0; l--) {
    if (masks.length) dH = tf.mul(dH, masks[l]!) as tf.Tensor2D;
    const cache = fwd.layers[l]!;
    const R = p.get(`lstm_${l}/recurrent_kernel`) as tf.Tensor2D;
    const owner = tail.share.owners[tail.me]!;
    const dZdata = layerBackward(cache, readInto('dH', dH), tf.transpose(R), B, T, H, owner.dZ[l]!);
    fillRhs(config, l, owner, T, cache.h, cache.x ? readView(cache.x) : null);
    phase('bwd: hPrev, x, 1 rows');
    if (l === 0) {
      // dTable[v] = sum of dZ rows whose input token is v (a scatter-add instead of onehot^T x dZ).
      const dTable = scatterAddRows(dZdata, batch.tokens, V, G);
      const dTableT = tf.tensor2d(dTable, [V, G]);
      const emb = p.get('embedding') as tf.Tensor2D;
      const k0 = p.get('lstm_0/kernel') as tf.Tensor2D;
      grads.set('embedding', tf.matMul(dTableT, tf.transpose(k0)));
      grads.set('lstm_0/kernel', tf.matMul(tf.transpose(emb), dTableT));
      phase('bwd: embedding and kernel gradients');
    } else {
      const K = p.get(`lstm_${l}/kernel`) as tf.Tensor2D;
      dH = tf.matMul(tf.tensor2d(dZdata, [T * B, G]), tf.transpose(K)) as tf.Tensor2D;
      phase('bwd: input gradient');
    }
  }
  markReady(tail.share, tail.me);
  const { products, takenFrom } = kernelProducts(config, tail.share, tail.me, tail.waitMs);
  for (let l = 0; l < L; l++) {
    const g = unpackKernelGrads(config, l, products[l]!);
    grads.set(`lstm_${l}/recurrent_kernel`, g.recurrent);
    grads.set(`lstm_${l}/bias`, g.bias);
    if (g.kernel) grads.set(`lstm_${l}/kernel`, g.kernel);
  }
  phase('bwd: recurrent kernel and bias gradients');
  return { grads, takenFrom };
}
