/**
 * NumPy's .npy format (version 1.0), for the arrays that leave Ostinato for other engines: a magic
 * string, a header (a Python dict literal with dtype, order and shape) padded to 64 bytes, then the
 * little-endian data in C order. `numpy.load` reads it, so do PyTorch and TensorFlow through numpy.
 * Only the two dtypes the interop needs: int32 ('<i4') and float32 ('<f4').
 */

import { InputError } from '../common/options.js';

export type NpyArray =
  | { dtype: 'int32'; shape: number[]; data: Int32Array }
  | { dtype: 'float32'; shape: number[]; data: Float32Array };

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const DESCR = { int32: '<i4', float32: '<f4' } as const;

export function encodeNpy(array: NpyArray): Uint8Array {
  const n = array.shape.reduce((a, d) => a * d, 1);
  if (array.shape.some((d) => !Number.isInteger(d) || d < 0) || n !== array.data.length)
    throw new Error(`npy: shape [${array.shape}] does not hold ${array.data.length} values`);
  const shape = array.shape.length === 1 ? `(${array.shape[0]},)` : `(${array.shape.join(', ')})`;
  let header = `{'descr': '${DESCR[array.dtype]}', 'fortran_order': False, 'shape': ${shape}, }`;
  const unpadded = 10 + header.length + 1; // magic + version + length, header, '\n'
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + 4 * n);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const o = 10 + header.length;
  if (array.dtype === 'int32') for (let i = 0; i < n; i++) view.setInt32(o + 4 * i, array.data[i]!, true);
  else for (let i = 0; i < n; i++) view.setFloat32(o + 4 * i, array.data[i]!, true);
  return out;
}

/** Reads a version 1.x/2.x .npy of int32 or float32 in C order; throws a readable InputError otherwise. */
export function decodeNpy(bytes: Uint8Array, what = 'npy file'): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    throw new InputError(`${what} is not a .npy file (no \\x93NUMPY magic)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw new InputError(`${what}: unsupported .npy version ${major}`);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = (major === 1 ? 10 : 12) + headerLen;
  if (start > bytes.length) throw new InputError(`${what} is truncated (header)`);
  const header = new TextDecoder().decode(bytes.subarray(major === 1 ? 10 : 12, start));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new InputError(`${what}: malformed .npy header`);
  if (fortran === 'True') throw new InputError(`${what}: Fortran-order arrays are not supported`);
  const dtype = descr === '<i4' ? 'int32' : descr === '<f4' ? 'float32' : null;
  if (!dtype) throw new InputError(`${what}: dtype ${descr} is not supported (int32 '<i4' or float32 '<f4')`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0))
    throw new InputError(`${what}: bad shape (${shapeText})`);
  const n = shape.reduce((a, d) => a * d, 1);
  if (bytes.length - start !== 4 * n)
    throw new InputError(
      `${what}: holds ${bytes.length - start} data bytes, shape (${shapeText}) needs ${4 * n}`,
    );
  if (dtype === 'int32') {
    const data = new Int32Array(n);
    for (let i = 0; i < n; i++) data[i] = view.getInt32(start + 4 * i, true);
    return { dtype, shape, data };
  }
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = view.getFloat32(start + 4 * i, true);
  return { dtype, shape, data };
}

/** decodeNpy for an int32 array (token ids): throws when the file holds another dtype. */
export function decodeInt32Npy(bytes: Uint8Array, what = 'npy file'): { shape: number[]; data: Int32Array } {
  const a = decodeNpy(bytes, what);
  if (a.dtype !== 'int32') throw new InputError(`${what} holds ${a.dtype}, expected int32 token ids`);
  return a;
}
