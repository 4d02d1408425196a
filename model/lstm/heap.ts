/**
 * Reading tensor data in place on the wasm backend. Note: tfjs-backend-wasm's Slice/SplitV/Gather
 * kernels copy the whole source tensor out of the wasm heap on every call (backend.readSync), so
 * cutting a [T*B, 4H] tensor into T steps with tf.split costs T full copies (~7 ms each at
 * 4096x1024); the training graph therefore reads matMul results in place instead of slicing.
 */
import * as tf from '@tensorflow/tfjs';

interface WasmHeapBackend {
  typedArrayFromHeap(t: { shape: number[]; dtype: string; dataId: object }): Float32Array;
  dataIdMap: { has(dataId: object): boolean };
}

function wasmBackend(): WasmHeapBackend | null {
  if (tf.getBackend() !== 'wasm') return null;
  const b = tf.backend() as unknown as Partial<WasmHeapBackend>;
  return typeof b.typedArrayFromHeap === 'function' ? (b as WasmHeapBackend) : null;
}

/**
 * The values of a float32 tensor for reading, without a copy on wasm (a view into the heap, valid
 * only until the next tensor is allocated) and through dataSync elsewhere. Never write to it.
 */
export function readView(x: tf.Tensor): Float32Array {
  const backend = wasmBackend();
  if (backend && x.dtype === 'float32' && backend.dataIdMap.has(x.dataId)) {
    return backend.typedArrayFromHeap(x as never);
  }
  return x.dataSync() as Float32Array;
}
