/** True for names ending in .mid or .midi (any case). */
export function isMidiName(name: string): boolean {
  return /\.midi?$/i.test(name);
}

/** Splits a list of files into import batches of at most `maxBytes` (and at least one file each). */
export function batches<T extends { data: Uint8Array }>(files: T[], maxBytes: number): T[][] {
  const out: T[][] = [];
  let cur: T[] = [];
  let size = 0;
  for (const f of files) {
    if (cur.length && size + f.data.length > maxBytes) {
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
