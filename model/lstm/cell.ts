/**
 * The LSTM cell's elementwise math in plain JavaScript, shared by the stepper (inference) and the
 * training graph (forward and backward through time). Gate order i, f, c (candidate g), o, as in
 * tfjs layers.lstm; gate pre-activations of a row are 4H consecutive values.
 */

/** 1 / (1 + e^-x), written so that large |x| never overflows. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * Gate scaling: the candidate gate uses tanh(x) = 2 sigmoid(2x) - 1, so that one sigmoid over all
 * 4H pre-activations (vectorised on wasm) serves every gate. Callers multiply the candidate columns
 * of their kernels and bias by 2 (GATE_SCALE) and pass sigmoid(scaled pre-activations) here.
 */
export function gateScale(H: number): Float32Array {
  const s = new Float32Array(4 * H).fill(1);
  s.fill(2, 2 * H, 3 * H);
  return s;
}

/**
 * First half of a step for `rows` rows: from s = sigmoid(scaled pre-activations) [rows, 4H] at sOff,
 * writes the gates i, f, g, o to acts at actOff and the new cell state c = f * cPrev + i * g to cOut
 * at cOff (cPrev may be null: zero state; it may be cOut itself), and 2c to c2 at 0 (the input of
 * the second sigmoid, tanh(c) = 2 sigmoid(2c) - 1).
 */
export function cellState(
  rows: number,
  H: number,
  s: Float32Array,
  sOff: number,
  acts: Float32Array,
  actOff: number,
  cPrev: Float32Array | null,
  cPrevOff: number,
  cOut: Float32Array,
  cOff: number,
  c2: Float32Array,
): void {
  const G = 4 * H;
  for (let r = 0; r < rows; r++) {
    const sr = sOff + r * G;
    const ar = actOff + r * G;
    for (let j = 0; j < H; j++) {
      const i = s[sr + j]!;
      const f = s[sr + H + j]!;
      const g = 2 * s[sr + 2 * H + j]! - 1;
      acts[ar + j] = i;
      acts[ar + H + j] = f;
      acts[ar + 2 * H + j] = g;
      acts[ar + 3 * H + j] = s[sr + 3 * H + j]!;
      const c = cPrev ? f * cPrev[cPrevOff + r * H + j]! + i * g : i * g;
      cOut[cOff + r * H + j] = c;
      c2[r * H + j] = 2 * c;
    }
  }
}

/** Second half: from sc = sigmoid(2c) [rows, H] at 0, writes tanh(c) and h = o * tanh(c) at off. */
export function cellOutput(
  rows: number,
  H: number,
  acts: Float32Array,
  actOff: number,
  sc: Float32Array,
  tcOut: Float32Array,
  hOut: Float32Array,
  off: number,
): void {
  const G = 4 * H;
  for (let r = 0; r < rows; r++) {
    const ar = actOff + r * G + 3 * H;
    for (let j = 0; j < H; j++) {
      const tc = 2 * sc[r * H + j]! - 1;
      tcOut[off + r * H + j] = tc;
      hOut[off + r * H + j] = acts[ar + j]! * tc;
    }
  }
}

/** In place: x[k] = sigmoid(x[k]) for k in [off, off + n). */
export function sigmoidInPlace(x: Float32Array, off: number, n: number): void {
  for (let k = off; k < off + n; k++) x[k] = sigmoid(x[k]!);
}

/**
 * Backward through one step. acts: activated gates [rows, 4H] at actOff; cPrev: cell state of the
 * previous step (null at step 0); tc: tanh(c) of this step. dh = dhA + dhB (either may be null).
 * dc: in/out [rows, H] at 0 (gradient wrt c from the next step in, wrt the previous step's c out).
 * dz: out [rows, 4H] at dzOff, gradient wrt the gate pre-activations.
 */
export function cellBackward(
  rows: number,
  H: number,
  acts: Float32Array,
  actOff: number,
  cPrev: Float32Array | null,
  cPrevOff: number,
  tc: Float32Array,
  tcOff: number,
  dhA: Float32Array,
  dhAOff: number,
  dhB: Float32Array | null,
  dhBOff: number,
  dc: Float32Array,
  dz: Float32Array,
  dzOff: number,
): void {
  const G = 4 * H;
  for (let r = 0; r < rows; r++) {
    const ar = actOff + r * G;
    const zr = dzOff + r * G;
    const hr = r * H;
    for (let j = 0; j < H; j++) {
      const i = acts[ar + j]!;
      const f = acts[ar + H + j]!;
      const g = acts[ar + 2 * H + j]!;
      const o = acts[ar + 3 * H + j]!;
      const t = tc[tcOff + hr + j]!;
      const dh = dhB ? dhA[dhAOff + hr + j]! + dhB[dhBOff + hr + j]! : dhA[dhAOff + hr + j]!;
      const dcj = dc[hr + j]! + dh * o * (1 - t * t);
      const cp = cPrev ? cPrev[cPrevOff + hr + j]! : 0;
      dz[zr + j] = dcj * g * i * (1 - i);
      dz[zr + H + j] = dcj * cp * f * (1 - f);
      dz[zr + 2 * H + j] = dcj * i * (1 - g * g);
      dz[zr + 3 * H + j] = dh * t * o * (1 - o);
      dc[hr + j] = dcj * f;
    }
  }
}

/** z[k] += x[k] for k < n. */
export function addInto(z: Float32Array, x: Float32Array, n: number): void {
  for (let k = 0; k < n; k++) z[k] = z[k]! + x[k]!;
}

/** In place: x[off..off+n) = softmax(x / temperature). */
export function softmaxInPlace(x: Float32Array, off: number, n: number, temperature: number): void {
  let max = -Infinity;
  for (let v = off; v < off + n; v++) {
    const y = x[v]! / temperature;
    x[v] = y;
    if (y > max) max = y;
  }
  let sum = 0;
  for (let v = off; v < off + n; v++) {
    const e = Math.exp(x[v]! - max);
    x[v] = e;
    sum += e;
  }
  for (let v = off; v < off + n; v++) x[v] = x[v]! / sum;
}
