/**
 * The scales generation can keep to (the grammar's scale masks, model/encoding/grammar.ts, read
 * them): pitch classes relative to the root, and the names the Generate panel shows. Pure data.
 */
export type ScaleName = 'none' | 'major' | 'minor' | 'dorian' | 'mixolydian' | 'pentatonic' | 'blues';

/** Pitch classes of each scale, relative to its root. */
export const SCALES: Record<ScaleName, readonly number[]> = {
  none: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
  major: [0, 2, 4, 5, 7, 9, 11],
  minor: [0, 2, 3, 5, 7, 8, 10],
  dorian: [0, 2, 3, 5, 7, 9, 10],
  mixolydian: [0, 2, 4, 5, 7, 9, 10],
  pentatonic: [0, 2, 4, 7, 9],
  blues: [0, 3, 5, 6, 7, 10],
};

export const SCALE_NAMES = Object.keys(SCALES) as readonly ScaleName[];

/** How the Generate panel names each scale. */
export const SCALE_LABELS: Readonly<Record<ScaleName, string>> = {
  none: 'Any',
  major: 'Major',
  minor: 'Natural minor',
  dorian: 'Dorian',
  mixolydian: 'Mixolydian',
  pentatonic: 'Major pentatonic',
  blues: 'Blues',
};
