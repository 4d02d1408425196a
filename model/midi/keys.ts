/**
 * Key signatures as stored in MIDI (number of sharps, negative for flats, and major/minor) and as kept
 * in a MidiPiece (the tonic's name and the mode: 1 flat + minor = "D" minor).
 */
const MAJOR_BY_SHARPS = ['Cb', 'Gb', 'Db', 'Ab', 'Eb', 'Bb', 'F', 'C', 'G', 'D', 'A', 'E', 'B', 'F#', 'C#'];
const MINOR_BY_SHARPS = ['Ab', 'Eb', 'Bb', 'F', 'C', 'G', 'D', 'A', 'E', 'B', 'F#', 'C#', 'G#', 'D#', 'A#'];
const PC: Record<string, number> = {
  C: 0,
  'B#': 0,
  'C#': 1,
  Db: 1,
  D: 2,
  'D#': 3,
  Eb: 3,
  E: 4,
  Fb: 4,
  F: 5,
  'E#': 5,
  'F#': 6,
  Gb: 6,
  G: 7,
  'G#': 8,
  Ab: 8,
  A: 9,
  'A#': 10,
  Bb: 10,
  B: 11,
  Cb: 11,
};

/** The tonic of a key signature; null when `sharps` is outside -7..7. */
export function keyFromSharps(sharps: number, scale: 'major' | 'minor'): string | null {
  if (!Number.isInteger(sharps) || sharps < -7 || sharps > 7) return null;
  return (scale === 'minor' ? MINOR_BY_SHARPS : MAJOR_BY_SHARPS)[sharps + 7];
}

/** Sharps (negative: flats) of a tonic and mode, taking the simplest spelling; null for an unknown name. */
export function sharpsOfKey(key: string, scale: 'major' | 'minor'): number | null {
  const table = scale === 'minor' ? MINOR_BY_SHARPS : MAJOR_BY_SHARPS;
  const exact = table.indexOf(key);
  if (exact >= 0) return exact - 7;
  const pc = PC[key];
  if (pc === undefined) return null;
  let best: number | null = null;
  table.forEach((name, i) => {
    if (PC[name] === pc && (best === null || Math.abs(i - 7) < Math.abs(best))) best = i - 7;
  });
  return best;
}
