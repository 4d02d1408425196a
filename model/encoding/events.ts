/**
 * The event view of a GridPiece: the token strings of the encoding (see codec.ts), before they are
 * mapped to a vocabulary. One place turns notes into SHIFT / NOTE / DUR / REPEAT events; the
 * vocabulary builder and the encoder both use it.
 */
import type { GridPiece } from '../common/types.js';
import type { EncodingConfig } from './config.js';
import { BarGrid } from './bars.js';

export const PAD = '<pad>';
export const BOS = '<bos>';
export const EOS = '<eos>';
export const UNK = '<unk>';
export const SPECIAL_TOKENS = [PAD, BOS, EOS, UNK] as const;

export type EventKind = 'SHIFT' | 'NOTE' | 'DUR' | 'REPEAT';
export interface TokenEvent {
  kind: EventKind;
  value: number;
}

export const tokenName = (kind: EventKind, value: number): string => `${kind}_${value}`;

/** Parses "NOTE_60" → {kind: 'NOTE', value: 60}; null for specials and anything else. */
export function parseTokenName(token: string): TokenEvent | null {
  const m = /^(SHIFT|NOTE|DUR|REPEAT)_(\d{1,4})$/.exec(token);
  if (!m) return null;
  return { kind: m[1] as EventKind, value: Number(m[2]) };
}

/** What the event view changed to fit the config. */
export interface EventCounts {
  notes: number; // notes encoded
  octaveShifted: number; // pitch outside pitchRange, moved by octaves into it
  clampedDurations: number; // longer than maxDuration
  droppedOverPolyphony: number; // more than maxPolyphony onsets at one step
  droppedDuplicates: number; // same pitch at the same step
  repeatedBars: number; // bars written as one REPEAT token
}

/** Moves a pitch by octaves into [lo, hi] (or clamps when the range is under an octave). */
export function foldPitch(p: number, lo: number, hi: number): number {
  let q = p;
  while (q < lo) q += 12;
  while (q > hi) q -= 12;
  return q < lo ? lo : q;
}

/**
 * The events of a piece in order (no <bos>/<eos>), and what had to change. With config.repeatBars > 0,
 * a bar whose notes (start within the bar, pitch, duration) are exactly those of a non-empty bar k
 * bars back of the same length (1 <= k <= repeatBars, the nearest such bar; `canRepeat(k)` allowing)
 * is written as SHIFTs to the bar's start, then REPEAT_k, which moves the cursor to the next bar's
 * start. Bars follow the piece's meter map (bars.ts).
 */
export function pieceEvents(
  piece: GridPiece,
  config: EncodingConfig,
  canRepeat: (k: number) => boolean = () => true,
): { events: TokenEvent[]; counts: EventCounts } {
  const [lo, hi] = config.pitchRange;
  const counts: EventCounts = {
    notes: 0,
    octaveShifted: 0,
    clampedDurations: 0,
    droppedOverPolyphony: 0,
    droppedDuplicates: 0,
    repeatedBars: 0,
  };
  const notes = piece.notes
    .filter((n) => Number.isFinite(n.start) && Number.isFinite(n.pitch) && n.start >= 0)
    .map((n) => {
      const start = Math.round(n.start);
      let pitch = Math.round(n.pitch);
      if (pitch < lo || pitch > hi) {
        pitch = foldPitch(pitch, lo, hi);
        counts.octaveShifted++;
      }
      let duration = Math.max(1, Math.round(n.duration));
      if (duration > config.maxDuration) {
        duration = config.maxDuration;
        counts.clampedDurations++;
      }
      return { start, pitch, duration };
    })
    .sort((a, b) => a.start - b.start || a.pitch - b.pitch || b.duration - a.duration);

  // Onset groups after the clean-up (duplicates and polyphony), in order of time.
  const groups: { start: number; notes: { pitch: number; duration: number }[] }[] = [];
  for (let i = 0; i < notes.length;) {
    let j = i;
    while (j < notes.length && notes[j].start === notes[i].start) j++;
    let group = notes.slice(i, j).filter((n, k, g) => {
      if (k > 0 && g[k - 1].pitch === n.pitch) {
        counts.droppedDuplicates++;
        return false;
      }
      return true;
    });
    if (group.length > config.maxPolyphony) {
      counts.droppedOverPolyphony += group.length - config.maxPolyphony;
      // Same rule as quantizePiece: keep the lowest and the highest maxPolyphony-1.
      group =
        config.maxPolyphony === 1
          ? [group[group.length - 1]]
          : [group[0], ...group.slice(group.length - (config.maxPolyphony - 1))];
    }
    groups.push({ start: notes[i].start, notes: group });
    counts.notes += group.length;
    i = j;
  }

  const bars = BarGrid.of(piece);
  const repeatBars = config.repeatBars > 0 && bars.usable ? config.repeatBars : 0;
  const events: TokenEvent[] = [];
  let time = 0;
  const shiftTo = (step: number) => {
    let gap = step - time;
    while (gap > 0) {
      const k = Math.min(gap, config.maxShift);
      events.push({ kind: 'SHIFT', value: k });
      gap -= k;
    }
    time = step;
  };
  // Without REPEAT tokens the whole piece is one run of groups.
  const barOf = (start: number) => (repeatBars ? bars.barAt(start) : 0);
  const barKeys = new Map<number, string>(); // bar index -> its content (non-empty bars only)
  for (let i = 0; i < groups.length;) {
    const b = barOf(groups[i].start);
    let j = i + 1;
    while (j < groups.length && barOf(groups[j].start) === b) j++;
    let repeatOf = 0;
    if (repeatBars) {
      const from = bars.start(b);
      const len = bars.length(b);
      const key = groups
        .slice(i, j)
        .map((g) => `${g.start - from}:${g.notes.map((n) => `${n.pitch}/${n.duration}`).join(',')}`)
        .join(' ');
      barKeys.set(b, key);
      for (let k = 1; k <= repeatBars && k <= b && !repeatOf; k++)
        if (barKeys.get(b - k) === key && bars.length(b - k) === len && canRepeat(k)) repeatOf = k;
    }
    if (repeatOf) {
      shiftTo(bars.start(b));
      events.push({ kind: 'REPEAT', value: repeatOf });
      time = bars.start(b) + bars.length(b);
      counts.repeatedBars++;
    } else {
      for (let g = i; g < j; g++) {
        shiftTo(groups[g].start);
        for (const n of groups[g].notes)
          events.push({ kind: 'NOTE', value: n.pitch }, { kind: 'DUR', value: n.duration });
      }
    }
    i = j;
  }
  return { events, counts };
}
