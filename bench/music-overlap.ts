/**
 * Overlapping area of two distributions estimated from samples (Yang & Lerch 2020, "On the
 * evaluation of generative models in music", Neural Computing and Applications 32).
 *
 * - `overlapArea(a, b)`: Gaussian kernel density estimates of both samples (Scott's rule bandwidth,
 *   as scipy.stats.gaussian_kde, which the paper uses), then the integral of min(f_a, f_b) on a fine
 *   grid (trapezoid rule). 1 = the same distribution, 0 = disjoint.
 * - `intraInterOverlap(real, generated)`: the paper's method, which works for scalar and vector
 *   features alike: the distances between the pieces of the real set (intra-set) and the distances
 *   between every real and every generated piece (inter-set), then the overlap of those two
 *   distance distributions. Distances are Euclidean (absolute difference for scalars).
 */

export type FeatureValue = number | readonly number[];

/** Scott's rule: n^(-1/5) times the sample standard deviation (ddof 1), as scipy. */
export function scottBandwidth(x: readonly number[]): number {
  const n = x.length;
  if (n < 2) return 0;
  let mean = 0;
  for (const v of x) mean += v;
  mean /= n;
  let ss = 0;
  for (const v of x) ss += (v - mean) ** 2;
  return Math.sqrt(ss / (n - 1)) * Math.pow(n, -1 / 5);
}

/** Density of a Gaussian KDE with bandwidth h at each point of `grid`. */
export function kdeDensity(samples: readonly number[], h: number, grid: Float64Array): Float64Array {
  if (!(h > 0)) throw new Error(`kdeDensity: bandwidth must be > 0, got ${h}`);
  const out = new Float64Array(grid.length);
  const sorted = Float64Array.from(samples).sort();
  const norm = 1 / (sorted.length * h * Math.sqrt(2 * Math.PI));
  const reach = 8 * h; // exp(-32): contributions beyond are negligible
  for (let g = 0; g < grid.length; g++) {
    const x = grid[g];
    let lo = lowerBound(sorted, x - reach);
    let s = 0;
    for (; lo < sorted.length && sorted[lo] <= x + reach; lo++) {
      const z = (x - sorted[lo]) / h;
      s += Math.exp(-0.5 * z * z);
    }
    out[g] = s * norm;
  }
  return out;
}

function lowerBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (a[m] < x) lo = m + 1;
    else hi = m;
  }
  return lo;
}

export interface OverlapOptions {
  /** Grid points for the integral (default 4096). */
  points?: number;
}

/**
 * Overlap area of the KDEs of `a` and `b`. A sample with zero spread (every value equal) gets the
 * bandwidth of the other sample, or 1e-3 of the combined range (1e-3 if that is 0 too), so that two
 * equal constants overlap fully and two different constants do not.
 */
export function overlapArea(a: readonly number[], b: readonly number[], opts: OverlapOptions = {}): number {
  if (a.length === 0 || b.length === 0) throw new Error('overlapArea: both samples need at least one value');
  for (const v of [...a, ...b])
    if (!Number.isFinite(v)) throw new Error(`overlapArea: non-finite value ${v}`);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of [...a, ...b]) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const fallback = (hi - lo) * 1e-3 || 1e-3;
  let ha = scottBandwidth(a);
  let hb = scottBandwidth(b);
  if (!(ha > 0)) ha = hb > 0 ? hb : fallback;
  if (!(hb > 0)) hb = ha;
  const pad = 8 * Math.max(ha, hb);
  const n = opts.points ?? 4096;
  const x0 = lo - pad;
  const x1 = hi + pad;
  const dx = (x1 - x0) / (n - 1);
  // The grid must resolve the narrower kernel; refine when needed.
  const step = Math.min(dx, Math.min(ha, hb) / 4);
  const m = Math.min(2_000_000, Math.ceil((x1 - x0) / step) + 1);
  const grid = new Float64Array(m);
  const h = (x1 - x0) / (m - 1);
  for (let i = 0; i < m; i++) grid[i] = x0 + i * h;
  const fa = kdeDensity(a, ha, grid);
  const fb = kdeDensity(b, hb, grid);
  let area = 0;
  for (let i = 0; i < m; i++) {
    const v = Math.min(fa[i], fb[i]);
    area += i === 0 || i === m - 1 ? v / 2 : v;
  }
  return Math.min(1, area * h);
}

export function distance(a: FeatureValue, b: FeatureValue): number {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b);
  if (typeof a === 'number' || typeof b === 'number' || a.length !== b.length)
    throw new Error('distance: both values must be numbers or vectors of the same length');
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}

/** Pairwise distances within one set (each unordered pair once). */
export function intraSetDistances(set: readonly FeatureValue[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < set.length; i++)
    for (let j = i + 1; j < set.length; j++) out.push(distance(set[i], set[j]));
  return out;
}

/** Distances between every element of `a` and every element of `b`. */
export function interSetDistances(a: readonly FeatureValue[], b: readonly FeatureValue[]): number[] {
  const out: number[] = [];
  for (const x of a) for (const y of b) out.push(distance(x, y));
  return out;
}

/** Overlap of the real set's intra-set distances with the real-to-generated inter-set distances. */
export function intraInterOverlap(real: readonly FeatureValue[], generated: readonly FeatureValue[]): number {
  if (real.length < 2) throw new Error('intraInterOverlap: the real set needs at least 2 pieces');
  if (generated.length < 1) throw new Error('intraInterOverlap: the generated set is empty');
  return overlapArea(intraSetDistances(real), interSetDistances(real, generated));
}
