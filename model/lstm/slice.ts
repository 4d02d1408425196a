/**
 * Loss gradients for a slice of a batch (some of its rows): the unit of work of data-parallel
 * training. Used on the main thread (tensors kept for the optimizer step) and in worker threads
 * (results as plain arrays).
 */
import * as tf from '@tensorflow/tfjs';
import type { LstmConfig } from './types';
import { backward, disposeDeviceBatch, forward, scoreLogits, toDeviceBatch, type ParamMap } from './graph';
import { readView } from './heap';
import { weightSpecs } from './weights';
import { scratch } from './scratch';
import { Rng } from '../common/rng.js';
import { ownTail, type TailPart } from './kernel-grads';
import type { SharedAdam } from './adam';

export interface WorkerInit {
  config: LstmConfig;
  backend: string;
}

export interface SliceJob {
  weights: Float32Array[]; // in weightSpecs order (sent to workers; unused on the main thread)
  inputs: Int32Array; // the slice's rows, batch-major [rows, T]
  targets: Int32Array;
  rows: number;
  T: number;
  dropout?: SliceDropout; // absent: no dropout
  normalizer: number; // non-padding targets in the whole batch
  /** The batch's slices in shared memory, when helper threads share the summed weight gradients
   * (kernel-grads.ts): this slice is share.owners[me]. Absent: computed alone. */
  tail?: TailPart;
  /** With helper threads: the Adam step this helper takes part in once its gradients are done
   * (adam.ts); its result then carries no gradients. */
  adam?: SharedAdam;
}

export interface SliceResult {
  grads: Float32Array[]; // in weightSpecs order
  nll: number;
  correct: number;
  /** Chunks of each other slice's summed weight gradients computed here (kernel-grads.ts). */
  takenFrom: number[];
}

export interface SliceTensors {
  grads: ParamMap;
  nll: number;
  correct: number;
  takenFrom: number[];
}

/**
 * A slice's dropout: its masks are draws of the trainer's stream from `state` on, in one canonical
 * order over the whole batch (layer, batch row, step, unit), so that they do not depend on the
 * split. The stream can be entered at any draw (Rng.uint32At), so each thread draws its own rows,
 * and the trainer moves its stream past the batch's draws (Rng.skip): the same masks, bit for
 * bit, as drawing the whole batch in order on one thread, which cost ~8 ms per batch of 32 x 64 at
 * hidden 256 on the trainer's thread while the helpers waited for their job.
 */
export interface SliceDropout {
  state: number;
  p: number;
  batchRows: number; // rows of the whole batch
  rowStart: number; // the slice's first row in it
}

/** The dropout masks of a slice, per layer, time-major [T * rows, H], scaled by 1 / (1 - p). */
export function sliceMasks(config: LstmConfig, job: SliceJob): tf.Tensor2D[] {
  const d = job.dropout;
  if (!d) return [];
  const { hiddenSize: H, numLayers: L } = config;
  const { rows, T } = job;
  const threshold = d.p * 4294967296; // u >= p exactly when the draw's integer is >= p * 2^32
  const scale = 1 / (1 - d.p);
  const out: tf.Tensor2D[] = [];
  for (let l = 0; l < L; l++) {
    const m = scratch(`mask${l}`, rows * T * H, false);
    for (let r = 0; r < rows; r++) {
      for (let t = 0; t < T; t++) {
        const k0 = l * d.batchRows * T * H + ((d.rowStart + r) * T + t) * H;
        const o = (t * rows + r) * H;
        for (let j = 0; j < H; j++) m[o + j] = Rng.uint32At(d.state, k0 + j) >= threshold ? scale : 0;
      }
    }
    out.push(tf.tensor2d(m, [T * rows, H]));
  }
  return out;
}

/** Forward + backward for one slice; tensors are tracked by the caller's tf.tidy. */
export function sliceGradientTensors(config: LstmConfig, params: ParamMap, job: SliceJob): SliceTensors {
  const db = toDeviceBatch(config, job.inputs, job.targets, job.rows, job.T);
  try {
    const masks = sliceMasks(config, job);
    const fwd = forward(config, params, db, masks);
    // Scored before the backward pass: after it, the other threads may be waiting for this one.
    const { nll, correct } = scoreLogits(readView(fwd.logits), db.targets, config.vocabSize);
    const { grads, takenFrom } = backward(
      config,
      params,
      db,
      masks,
      fwd,
      job.normalizer,
      job.tail ?? ownTail(config, job.rows, job.T),
    );
    return { grads, nll, correct, takenFrom };
  } finally {
    disposeDeviceBatch(db);
  }
}

/** The slice's gradients as plain arrays (worker side). The arrays are read after tf.tidy: a
 * typed array returned from tidy is walked element by element (it looks for tensors inside),
 * which cost ~130 ms per slice at hidden 256. */
export function computeSliceGradients(config: LstmConfig, params: ParamMap, job: SliceJob): SliceResult {
  let out: SliceResult | null = null;
  tf.tidy(() => {
    const r = sliceGradientTensors(config, params, job);
    out = {
      grads: weightSpecs(config).map((s) => r.grads.get(s.name)!.dataSync() as Float32Array),
      nll: r.nll,
      correct: r.correct,
      takenFrom: r.takenFrom,
    };
  });
  return out!;
}
