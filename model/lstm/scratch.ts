/**
 * Scratch arrays for the training graph, reused from batch to batch, one per name (grown when a
 * batch needs more). A batch at hidden 256 writes ~60 MB of intermediate arrays; allocating them
 * fresh each time (page faults, and unmapping them again) cost one thread ~15% and made two
 * training threads of one process slow each other down (docs/benchmarks.md, issue 12). Only
 * arrays that no live tensor outlasts the batch with may come from here (on the cpu backend a
 * tensor made from an array may keep that array).
 */
import type * as tf from '@tensorflow/tfjs';
import { readView } from './heap';

const arrays = new Map<string, Float32Array<ArrayBuffer>>();

/** The scratch array `name` with `n` elements; `zero` clears it (a new one is zero already). */
export function scratch(name: string, n: number, zero: boolean): Float32Array<ArrayBuffer> {
  let buf = arrays.get(name);
  if (!buf || buf.length < n) {
    buf = new Float32Array(n);
    arrays.set(name, buf);
    return buf.subarray(0, n);
  }
  const out = buf.subarray(0, n);
  if (zero) out.fill(0);
  return out;
}

/** A float32 tensor's values copied into the scratch array `name`. */
export function readInto(name: string, x: tf.Tensor): Float32Array<ArrayBuffer> {
  const v = readView(x);
  const out = scratch(name, v.length, false);
  out.set(v);
  return out;
}
