/**
 * Splits a list of files into import batches of at most `maxBytes` and `maxFiles` (at least one
 * file each), so that a big import shows steady progress and no message gets too large.
 */
export function batches<T extends { data: Uint8Array }>(
  files: T[],
  maxBytes: number,
  maxFiles = Infinity,
): T[][] {
  const out: T[][] = [];
  let cur: T[] = [];
  let size = 0;
  for (const f of files) {
    if (cur.length && (size + f.data.length > maxBytes || cur.length >= maxFiles)) {
      out.push(cur);
      cur = [];
      size = 0;
    }
    cur.push(f);
    size += f.data.length;
  }
  if (cur.length) out.push(cur);
  return out;
}
