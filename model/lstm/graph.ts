/**
 * The training graph of the LSTM language model on tfjs ops, with a hand-written backward pass
 * through time. Layout is time-major: row t*B + b is step t of sequence b.
 *
 * Per layer the input projection of all steps is one matMul (layer 0: one gather from the
 * [vocab, 4H] table embedding x kernel, since the embedding input is one-hot), then one recurrent
 * matMul per step. The backward pass runs one matMul per step (dZ_t x R^T) and computes the weight
 * gradients of all steps at once in one matMul each. Transposes are explicit: on wasm
 * matMul(a, b, true/false, false/true) is 10-30x slower than a transpose followed by a plain matMul.
 */
import * as tf from '@tensorflow/tfjs';
import type { LstmConfig } from './types';

export type ParamMap = Map<string, tf.Tensor>;

/** A batch on the device, time-major. */
export interface DeviceBatch {
  B: number;
  T: number;
  idx: tf.Tensor1D; // int32 [T*B] input tokens
  inputOneHotT: tf.Tensor2D; // [V, T*B]: for the embedding gradient
  targetOneHot: tf.Tensor2D; // [T*B, V], all-zero rows at padding
  count: number; // non-padding targets in this (part of the) batch
  targets: Int32Array; // time-major, -1 = padding
}

/** Dropout masks (already scaled by 1/(1-p)), [T*B, H] each: masks[l] applies to the output of
 * layer l (the input of layer l+1, or of the softmax for the top layer). Empty when no dropout. */
export type DropoutMasks = tf.Tensor2D[];

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
  const idx = new Int32Array(n);
  const tgt = new Int32Array(n);
  const onehotT = new Float32Array(V * n);
  const targetOneHot = new Float32Array(n * V);
  let count = 0;
  for (let t = 0; t < T; t++) {
    for (let r = 0; r < rows; r++) {
      const src = (rowStart + r) * T + t;
      const dst = t * rows + r;
      const x = inputs[src]!;
      const y = targets[src]!;
      idx[dst] = x;
      tgt[dst] = y;
      onehotT[x * n + dst] = 1;
      if (y >= 0) {
        targetOneHot[dst * V + y] = 1;
        count++;
      }
    }
  }
  return {
    B: rows,
    T,
    idx: tf.tensor1d(idx, 'int32'),
    inputOneHotT: tf.tensor2d(onehotT, [V, n]),
    targetOneHot: tf.tensor2d(targetOneHot, [n, V]),
    count,
    targets: tgt,
  };
}

export function disposeDeviceBatch(b: DeviceBatch): void {
  b.idx.dispose();
  b.inputOneHotT.dispose();
  b.targetOneHot.dispose();
}

interface LayerCache {
  x: tf.Tensor2D | null; // layer input [TB, in] after dropout (null for layer 0: one-hot)
  i: tf.Tensor2D[];
  f: tf.Tensor2D[];
  g: tf.Tensor2D[];
  o: tf.Tensor2D[];
  c: tf.Tensor2D[];
  tc: tf.Tensor2D[];
  h: tf.Tensor2D[];
  hAll: tf.Tensor2D; // [TB, H]
}

export interface ForwardResult {
  logits: tf.Tensor2D; // [TB, V]
  top: tf.Tensor2D; // input of the output layer (after dropout) [TB, H]
  layers: LayerCache[];
}

function layerForward(
  zx: tf.Tensor2D,
  R: tf.Tensor2D,
  B: number,
  T: number,
  H: number,
  x: tf.Tensor2D | null,
): LayerCache {
  const zs = tf.split(zx, T, 0) as tf.Tensor2D[];
  const cache: LayerCache = {
    x,
    i: [],
    f: [],
    g: [],
    o: [],
    c: [],
    tc: [],
    h: [],
    hAll: null as unknown as tf.Tensor2D,
  };
  let h: tf.Tensor2D | null = null;
  let c: tf.Tensor2D | null = null;
  for (let t = 0; t < T; t++) {
    const z: tf.Tensor2D = h ? tf.add(zs[t]!, tf.matMul(h, R)) : zs[t]!;
    const [zi, zf, zg, zo] = tf.split(z, 4, 1) as tf.Tensor2D[];
    const i = tf.sigmoid(zi!);
    const f = tf.sigmoid(zf!);
    const g = tf.tanh(zg!);
    const o = tf.sigmoid(zo!);
    const cn: tf.Tensor2D = c ? tf.add(tf.mul(f, c), tf.mul(i, g)) : tf.mul(i, g);
    const tc = tf.tanh(cn);
    const hn: tf.Tensor2D = tf.mul(o, tc);
    cache.i.push(i);
    cache.f.push(f);
    cache.g.push(g);
    cache.o.push(o);
    cache.c.push(cn);
    cache.tc.push(tc);
    cache.h.push(hn);
    h = hn;
    c = cn;
  }
  cache.hAll = tf.concat(cache.h, 0);
  return cache;
}

/** Forward pass of the whole sequence. Must run inside tf.tidy (intermediates are kept for backward). */
export function forward(
  config: LstmConfig,
  p: ParamMap,
  batch: DeviceBatch,
  masks: DropoutMasks,
): ForwardResult {
  const { hiddenSize: H, numLayers: L } = config;
  const { B, T } = batch;
  const layers: LayerCache[] = [];
  let input: tf.Tensor2D | null = null;
  for (let l = 0; l < L; l++) {
    const bias = p.get(`lstm_${l}/bias`)!;
    const R = p.get(`lstm_${l}/recurrent_kernel`) as tf.Tensor2D;
    let zx: tf.Tensor2D;
    if (l === 0) {
      const table = tf.add(
        tf.matMul(p.get('embedding') as tf.Tensor2D, p.get('lstm_0/kernel') as tf.Tensor2D),
        bias,
      );
      zx = tf.gather(table, batch.idx) as tf.Tensor2D;
    } else {
      zx = tf.add(tf.matMul(input!, p.get(`lstm_${l}/kernel`) as tf.Tensor2D), bias);
    }
    const cache = layerForward(zx, R, B, T, H, input);
    layers.push(cache);
    input = masks.length ? (tf.mul(cache.hAll, masks[l]!) as tf.Tensor2D) : cache.hAll;
  }
  const logits = tf.add(
    tf.matMul(input!, p.get('output/kernel') as tf.Tensor2D),
    p.get('output/bias')!,
  ) as tf.Tensor2D;
  return { logits, top: input!, layers };
}

/** Sum over non-padding targets of -ln softmax(logits)[target]: a scalar tensor. */
export function nllSum(logits: tf.Tensor2D, targetOneHot: tf.Tensor2D): tf.Scalar {
  return tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), targetOneHot))) as tf.Scalar;
}

function layerBackward(cache: LayerCache, dH: tf.Tensor2D, RT: tf.Tensor2D, T: number): tf.Tensor2D {
  const dHs = tf.split(dH, T, 0) as tf.Tensor2D[];
  const dZs: tf.Tensor2D[] = new Array(T);
  let dhNext: tf.Tensor2D | null = null;
  let dcNext: tf.Tensor2D | null = null;
  for (let t = T - 1; t >= 0; t--) {
    const dh: tf.Tensor2D = dhNext ? tf.add(dHs[t]!, dhNext) : dHs[t]!;
    const i = cache.i[t]!;
    const f = cache.f[t]!;
    const g = cache.g[t]!;
    const o = cache.o[t]!;
    const tc = cache.tc[t]!;
    const dO = tf.mul(dh, tc);
    let dc: tf.Tensor2D = tf.mul(tf.mul(dh, o), tf.sub(1, tf.square(tc)));
    if (dcNext) dc = tf.add(dc, dcNext);
    const dzi = tf.mul(tf.mul(dc, g), tf.mul(i, tf.sub(1, i)));
    const dzf = t > 0 ? tf.mul(tf.mul(dc, cache.c[t - 1]!), tf.mul(f, tf.sub(1, f))) : tf.zerosLike(f);
    const dzg = tf.mul(tf.mul(dc, i), tf.sub(1, tf.square(g)));
    const dzo = tf.mul(dO, tf.mul(o, tf.sub(1, o)));
    const dZ = tf.concat([dzi, dzf, dzg, dzo], 1) as tf.Tensor2D;
    dZs[t] = dZ;
    if (t > 0) {
      dhNext = tf.matMul(dZ, RT) as tf.Tensor2D;
      dcNext = tf.mul(dc, f) as tf.Tensor2D;
    }
  }
  return tf.concat(dZs, 0);
}

/**
 * Gradients of (sum of target NLL) / `normalizer` with respect to every parameter, from a forward
 * result. Must run inside tf.tidy. Returns a map with the same names as `p`.
 */
export function backward(
  config: LstmConfig,
  p: ParamMap,
  batch: DeviceBatch,
  masks: DropoutMasks,
  fwd: ForwardResult,
  normalizer: number,
): ParamMap {
  const { hiddenSize: H, numLayers: L } = config;
  const { B, T } = batch;
  const grads: ParamMap = new Map();
  // Softmax cross-entropy: dLogits = (softmax - onehot) on non-padding rows, / normalizer.
  const rowMask = tf.sum(batch.targetOneHot, 1, true);
  const dLogits = tf.mul(
    tf.sub(tf.mul(tf.softmax(fwd.logits), rowMask), batch.targetOneHot),
    1 / normalizer,
  ) as tf.Tensor2D;
  grads.set('output/kernel', tf.matMul(tf.transpose(fwd.top), dLogits));
  grads.set('output/bias', tf.sum(dLogits, 0));
  let dH = tf.matMul(dLogits, tf.transpose(p.get('output/kernel') as tf.Tensor2D)) as tf.Tensor2D;
  for (let l = L - 1; l >= 0; l--) {
    if (masks.length) dH = tf.mul(dH, masks[l]!);
    const cache = fwd.layers[l]!;
    const R = p.get(`lstm_${l}/recurrent_kernel`) as tf.Tensor2D;
    const dZ = layerBackward(cache, dH, tf.transpose(R), T);
    // Previous hidden states for every step (zeros before step 0).
    const hPrev = tf.concat([tf.zeros([B, H]), ...cache.h.slice(0, T - 1)], 0) as tf.Tensor2D;
    grads.set(`lstm_${l}/recurrent_kernel`, tf.matMul(tf.transpose(hPrev), dZ));
    grads.set(`lstm_${l}/bias`, tf.sum(dZ, 0));
    if (l === 0) {
      const dTable = tf.matMul(batch.inputOneHotT, dZ); // [V, 4H]
      const emb = p.get('embedding') as tf.Tensor2D;
      const k0 = p.get('lstm_0/kernel') as tf.Tensor2D;
      grads.set('embedding', tf.matMul(dTable, tf.transpose(k0)));
      grads.set('lstm_0/kernel', tf.matMul(tf.transpose(emb), dTable));
    } else {
      const K = p.get(`lstm_${l}/kernel`) as tf.Tensor2D;
      grads.set(`lstm_${l}/kernel`, tf.matMul(tf.transpose(cache.x!), dZ));
      dH = tf.matMul(dZ, tf.transpose(K)) as tf.Tensor2D;
    }
  }
  return grads;
}
