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
  masks: Float32Array[]; // per layer, batch-major [rows, T, H], scaled; empty = no dropout
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

/** Batch-major [rows, T, H] -> time-major [T * rows, H] tensor (layer l's). */
function timeMajorMask(mask: Float32Array, l: number, rows: number, T: number, H: number): tf.Tensor2D {
  const out = scratch(`mask${l}`, rows * T * H, false);
  for (let r = 0; r < rows; r++) {
    for (let t = 0; t < T; t++)
      out.set(mask.subarray((r * T + t) * H, (r * T + t + 1) * H), (t * rows + r) * H);
  }
  return tf.tensor2d(out, [T * rows, H]);
}

/** Forward + backward for one slice; tensors are tracked by the caller's tf.tidy. */
export function sliceGradientTensors(config: LstmConfig, params: ParamMap, job: SliceJob): SliceTensors {
  const db = toDeviceBatch(config, job.inputs, job.targets, job.rows, job.T);
  try {
    const masks = job.masks.map((m, l) => timeMajorMask(m, l, job.rows, job.T, config.hiddenSize));
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
