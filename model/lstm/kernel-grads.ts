/**
 * The weight gradients of each LSTM layer that are sums over all steps and rows: for the rows n of
 * a slice, [dR; dK; db] = sum over n of [hPrev_n | x_n | 1]^T dZ_n (dK only above layer 0, whose
 * input is one-hot: its gradient is a scatter-add, graph.ts). Computed as products over chunks of
 * steps, which any training thread may take: a thread that finishes its recurrences early takes
 * chunks of a slower thread's slice instead of waiting for it (docs/benchmarks.md, "Using several
 * cores"). The slices' dZ and [hPrev | x | 1] rows live in shared memory for that; each chunk is
 * claimed once, through an atomic counter per slice, so every product is summed exactly once.
 *
 * One product: (dZ_chunk^T [G, n]) x (rhs_chunk [n, cols]) = [G, cols]. XNNPACK packs the right
 * operand on every call, and rhs is 4x narrower than dZ: over a whole 4096-row slice this order
 * took 110-115 ms at hidden 256, rhs^T x dZ 131-133 ms; in chunks of 256-512 rows both took
 * 119-122 ms (the price of sharing, paid only where there are other threads).
 */
import * as tf from '@tensorflow/tfjs';
import type { LstmConfig } from './types';
import { readView } from './heap';
import { scratch } from './scratch';

/** One slice's rows, per layer: dZ [T*rows, 4H] and rhs [T*rows, cols(l)]. */
export interface TailOwner {
  rows: number;
  dZ: Float32Array[];
  rhs: Float32Array[];
}

/** The slices of one batch. control holds, per slice k, the next unclaimed chunk (at 2k) and
 * whether the slice's rows are written (at 2k + 1). */
export interface TailShare {
  T: number;
  chunkSteps: number; // steps per chunk, about (chunkPlan)
  plan: Chunk[]; // the chunks of every slice, in the order they are claimed
  control: Int32Array;
  owners: TailOwner[];
}

/** Row-major [rows, cols] -> [cols, rows], in 32 x 32 tiles to stay in cache. */
export function transposeBlocked(
  src: Float32Array,
  rows: number,
  cols: number,
  out = new Float32Array(rows * cols),
): Float32Array {
  const S = 32;
  for (let r0 = 0; r0 < rows; r0 += S) {
    const r1 = Math.min(rows, r0 + S);
    for (let c0 = 0; c0 < cols; c0 += S) {
      const c1 = Math.min(cols, c0 + S);
      for (let r = r0; r < r1; r++) {
        const o = r * cols;
        for (let c = c0; c < c1; c++) out[c * rows + r] = src[o + c]!;
      }
    }
  }
  return out;
}

/** Where a thread's backward pass writes its slice's rows (owners[me]) and takes chunks from,
 * and how long it waits for other slices' rows. */
export interface TailPart {
  share: TailShare;
  me: number;
  waitMs: number;
}

let own: TailShare | null = null;

/** A private share for a slice computed alone: one chunk per layer, nothing to wait for. */
export function ownTail(config: LstmConfig, rows: number, T: number): TailPart {
  own = reuseTailShare(own, config, [rows], T, T) ?? makeTailShare(config, [rows], T, false, T);
  return { share: own, me: 0, waitMs: 0 };
}

/** Columns of layer l's right operand: hPrev (H), the layer input above layer 0 (H), and a 1. */
export function rhsCols(config: LstmConfig, l: number): number {
  return config.hiddenSize * (l > 0 ? 2 : 1) + 1;
}

/** Steps t0..t1 of layer l. */
export type Chunk = [l: number, t0: number, t1: number];

/**
 * The chunks of a slice: one per layer when `chunkSteps` covers all T steps (nothing to share);
 * else the first half of each layer's steps in chunks of 2 x chunkSteps, then the rest in chunks of
 * chunkSteps / 2 (the first half rounded down to whole big chunks), big ones first for every layer: the thread that takes the last chunk keeps the
 * others waiting for at most a small one.
 */
export function chunkPlan(T: number, chunkSteps: number, layers: number): Chunk[] {
  const ls = Array.from({ length: layers }, (_, l) => l);
  if (chunkSteps >= T) return ls.map((l) => [l, 0, T]);
  const cut = (l: number, from: number, to: number, size: number): Chunk[] => {
    const out: Chunk[] = [];
    for (let t = from; t < to; t += size) out.push([l, t, Math.min(to, t + size)]);
    return out;
  };
  const half = Math.floor(T / 2 / (2 * chunkSteps)) * 2 * chunkSteps; // whole big chunks only
  return [
    ...ls.flatMap((l) => cut(l, 0, half, 2 * chunkSteps)),
    ...ls.flatMap((l) => cut(l, half, T, Math.max(1, Math.floor(chunkSteps / 2)))),
  ];
}

/** Buffers for slices of up to `capacity[k]` rows (default: `rows`), used for `rows`: in shared
 * memory when other threads take part. */
export function makeTailShare(
  config: LstmConfig,
  rows: number[],
  T: number,
  shared: boolean,
  chunkSteps: number,
  capacity: number[] = rows,
): TailShare {
  const G = 4 * config.hiddenSize;
  const buffer = (n: number) => (shared ? new SharedArrayBuffer(4 * n) : new ArrayBuffer(4 * n));
  const layers = Array.from({ length: config.numLayers }, (_, l) => l);
  const blank: TailShare = {
    T,
    chunkSteps,
    plan: [],
    control: new Int32Array(
      shared ? new SharedArrayBuffer(8 * rows.length) : new ArrayBuffer(8 * rows.length),
    ),
    owners: capacity.map((c) => ({
      rows: c,
      dZ: layers.map(() => new Float32Array(buffer(T * c * G))),
      rhs: layers.map((l) => new Float32Array(buffer(T * c * rhsCols(config, l)))),
    })),
  };
  return reuseTailShare(blank, config, rows, T, chunkSteps)!;
}

/**
 * `share`'s buffers for a batch of slices of `rows` rows (a new share object: views of the same
 * memory), or null when they are too small or shaped for other slices. The control words are
 * cleared; no thread may be using the share.
 */
export function reuseTailShare(
  share: TailShare | null,
  config: LstmConfig,
  rows: number[],
  T: number,
  chunkSteps: number,
): TailShare | null {
  if (!share || share.owners.length !== rows.length || share.owners[0]!.dZ.length !== config.numLayers)
    return null;
  const G = 4 * config.hiddenSize;
  const view = (a: Float32Array, n: number) =>
    a.buffer.byteLength >= 4 * n ? new Float32Array(a.buffer, 0, n) : null;
  const owners: TailOwner[] = [];
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k]!;
    const o = share.owners[k]!;
    const dZ = o.dZ.map((a) => view(a, T * r * G));
    const rhs = o.rhs.map((a, l) => view(a, T * r * rhsCols(config, l)));
    if (dZ.includes(null) || rhs.includes(null)) return null;
    owners.push({ rows: r, dZ: dZ as Float32Array[], rhs: rhs as Float32Array[] });
  }
  share.control.fill(0);
  const steps = Math.max(1, Math.min(T, chunkSteps));
  return {
    T,
    chunkSteps: steps,
    plan: chunkPlan(T, steps, config.numLayers),
    control: share.control,
    owners,
  };
}

/** Writes layer l's right operand for slice rows h (this layer's outputs) and x (its input). */
export function fillRhs(
  config: LstmConfig,
  l: number,
  owner: TailOwner,
  T: number,
  h: Float32Array,
  x: Float32Array | null,
): void {
  const H = config.hiddenSize;
  const B = owner.rows;
  const cols = rhsCols(config, l);
  const rhs = owner.rhs[l]!;
  rhs.fill(0, 0, B * cols);
  for (let n = 0; n < T * B; n++) {
    const o = n * cols;
    if (n >= B) rhs.set(h.subarray((n - B) * H, (n - B + 1) * H), o);
    if (x) rhs.set(x.subarray(n * H, (n + 1) * H), o + H);
    rhs[o + cols - 1] = 1;
  }
}

/** Marks slice `me`'s rows as written, and wakes threads waiting to take its chunks. */
export function markReady(share: TailShare, me: number): void {
  Atomics.store(share.control, 2 * me + 1, 1);
  Atomics.notify(share.control, 2 * me + 1);
}

/** Adds the product of chunk c of slice `owner` into acc (per layer, [G, cols]). */
function addChunk(
  config: LstmConfig,
  share: TailShare,
  owner: TailOwner,
  c: number,
  acc: (tf.Tensor2D | null)[],
): void {
  const G = 4 * config.hiddenSize;
  const [l, t0, t1] = share.plan[c]!;
  const n0 = t0 * owner.rows;
  const n = (t1 - t0) * owner.rows;
  const cols = rhsCols(config, l);
  const dZT = transposeBlocked(
    owner.dZ[l]!.subarray(n0 * G, (n0 + n) * G),
    n,
    G,
    scratch('dZT', n * G, false),
  );
  const prod = tf.matMul(
    tf.tensor2d(dZT, [G, n]),
    tf.tensor2d(owner.rhs[l]!.subarray(n0 * cols, (n0 + n) * cols), [n, cols]),
  ) as tf.Tensor2D;
  const prev = acc[l];
  acc[l] = prev ? (tf.add(prev, prod) as tf.Tensor2D) : prod;
}

/** Claims and computes chunks of slice k until none is left; returns how many it took. */
function drain(config: LstmConfig, share: TailShare, k: number, acc: (tf.Tensor2D | null)[]): number {
  const total = share.plan.length;
  for (let taken = 0; ; taken++) {
    const c = Atomics.add(share.control, 2 * k, 1);
    if (c >= total) return taken;
    addChunk(config, share, share.owners[k]!, c, acc);
  }
}

/**
 * Thread `me`'s part of the products, per layer ([G, cols] tensors, tracked by the caller's tidy;
 * null where it took no chunk of that layer), and how many chunks it took of each other slice: its own
 * slice's chunks first, then those left of the
 * other slices, each once its rows are written. A slice not written within `waitMs` is left to its
 * own thread (a thread that died is noticed by the trainer, which then starts the batch over).
 */
export function kernelProducts(
  config: LstmConfig,
  share: TailShare,
  me: number,
  waitMs: number,
): { products: (tf.Tensor2D | null)[]; takenFrom: number[] } {
  const acc: (tf.Tensor2D | null)[] = Array.from({ length: config.numLayers }, () => null);
  drain(config, share, me, acc);
  const takenFrom = share.owners.map(() => 0);
  const deadline = performance.now() + waitMs;
  for (let k = 0; k < share.owners.length; k++) {
    if (k === me) continue;
    while (Atomics.load(share.control, 2 * k + 1) === 0) {
      const left = deadline - performance.now();
      if (left <= 0 || Atomics.wait(share.control, 2 * k + 1, 0, left) === 'timed-out') break;
    }
    if (Atomics.load(share.control, 2 * k + 1) === 1) takenFrom[k] = drain(config, share, k, acc);
  }
  return { products: acc, takenFrom };
}

/** Layer l's gradients from its summed product [G, cols]: recurrent kernel [H, G], bias [G], and
 * above layer 0 the kernel [H, G]. Zeros where this thread took no chunk. */
export function unpackKernelGrads(
  config: LstmConfig,
  l: number,
  prod: tf.Tensor2D | null,
): { recurrent: tf.Tensor2D; bias: tf.Tensor1D; kernel: tf.Tensor2D | null } {
  const H = config.hiddenSize;
  const G = 4 * H;
  const cols = rhsCols(config, l);
  const pv = prod ? readView(prod) : new Float32Array(G * cols);
  const dR = new Float32Array(H * G);
  const dK = l > 0 ? new Float32Array(H * G) : null;
  const db = new Float32Array(G);
  for (let k = 0; k < G; k++) {
    const o = k * cols;
    for (let j = 0; j < H; j++) dR[j * G + k] = pv[o + j]!;
    if (dK) for (let j = 0; j < H; j++) dK[j * G + k] = pv[o + H + j]!;
    db[k] = pv[o + cols - 1]!;
  }
  return {
    recurrent: tf.tensor2d(dR, [H, G]),
    bias: tf.tensor1d(db),
    kernel: dK ? tf.tensor2d(dK, [H, G]) : null,
  };
}
