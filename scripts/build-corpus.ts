/**
 * Builds the app's bundled default corpus: the 382 Bach chorales of ../shared/data/jsb/jsb-16th-voices.json
 * (public domain; train/valid/test splits of Boulanger-Lewandowski et al. 2012) as MIDI files in
 * assets/corpus/, one track per voice (Soprano, Alto, Tenor, Bass), 4/4, 90 bpm, PPQ 480.
 *
 * The source has one frame per 16th note, each [S, A, T, B] MIDI pitches, -1 for a silent voice. It
 * does not tell a held note from a repeated one, so a voice keeping the same pitch over consecutive
 * frames is one note (see SOURCE-README.md); a change of pitch or a -1 ends it.
 *
 * Run: npm run build-corpus
 */
import { readFileSync, readdirSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { midiPieceToBytes, writeFileAtomic, type MidiNote, type MidiPiece } from '../model/index.js';

export const VOICES = ['Soprano', 'Alto', 'Tenor', 'Bass'] as const;
export const CORPUS_PPQ = 480;
export const CORPUS_BPM = 90;
const TICKS_PER_FRAME = CORPUS_PPQ / 4; // a 16th note
const SPLITS = ['train', 'valid', 'test'] as const;

export type Chorale = number[][]; // frames of [S, A, T, B]; -1 = silent

/** The notes of one voice: a run of equal pitches is one note. */
export function voiceNotes(frames: Chorale, voice: number, velocity = 80): MidiNote[] {
  const notes: MidiNote[] = [];
  let start = 0;
  for (let f = 1; f <= frames.length; f++) {
    const prev = frames[f - 1][voice];
    if (f < frames.length && frames[f][voice] === prev) continue;
    if (prev >= 0) {
      notes.push({
        pitch: prev,
        startTick: start * TICKS_PER_FRAME,
        durationTicks: (f - start) * TICKS_PER_FRAME,
        velocity,
      });
    }
    start = f;
  }
  return notes;
}

export function choraleToPiece(frames: Chorale, name: string): MidiPiece {
  for (const [i, frame] of frames.entries()) {
    if (
      !Array.isArray(frame) ||
      frame.length !== 4 ||
      !frame.every((p) => Number.isInteger(p) && p >= -1 && p <= 127)
    ) {
      throw new Error(`${name}: frame ${i} is not four MIDI pitches (or -1): ${JSON.stringify(frame)}`);
    }
  }
  return {
    name,
    format: 1,
    ppq: CORPUS_PPQ,
    durationTicks: frames.length * TICKS_PER_FRAME,
    tempos: [{ tick: 0, bpm: CORPUS_BPM }],
    timeSignatures: [{ tick: 0, numerator: 4, denominator: 4 }],
    keySignatures: [],
    tracks: VOICES.map((voiceName, v) => ({
      index: v,
      name: voiceName,
      channel: v,
      program: 0,
      instrument: 'acoustic grand piano',
      isDrum: false,
      notes: voiceNotes(frames, v),
    })),
  };
}

export function corpusFileName(split: string, index: number): string {
  return `jsb-${split}-${String(index + 1).padStart(3, '0')}.mid`;
}

export function readChorales(path: string): Record<(typeof SPLITS)[number], Chorale[]> {
  const data = JSON.parse(readFileSync(path, 'utf8')) as Record<string, Chorale[]>;
  for (const s of SPLITS) if (!Array.isArray(data[s])) throw new Error(`${path}: no '${s}' split`);
  return data as Record<(typeof SPLITS)[number], Chorale[]>;
}

export async function buildCorpus(source: string, outDir: string): Promise<{ files: number; notes: number }> {
  const data = readChorales(source);
  mkdirSync(outDir, { recursive: true });
  for (const old of readdirSync(outDir)) if (/^jsb-.*\.mid$/.test(old)) rmSync(join(outDir, old));
  let files = 0;
  let notes = 0;
  for (const split of SPLITS) {
    for (const [i, frames] of data[split].entries()) {
      const file = corpusFileName(split, i);
      const piece = choraleToPiece(frames, `JSB chorale ${split} ${String(i + 1).padStart(3, '0')}`);
      notes += piece.tracks.reduce((s, t) => s + t.notes.length, 0);
      await writeFileAtomic(join(outDir, file), midiPieceToBytes(piece));
      files++;
    }
  }
  return { files, notes };
}

if (require.main === module) {
  const root = resolve(__dirname, '..');
  const source = resolve(root, '../shared/data/jsb/jsb-16th-voices.json');
  const out = resolve(root, 'assets/corpus');
  buildCorpus(source, out).then(
    ({ files, notes }) => console.log(`wrote ${files} chorales (${notes} notes) to ${out}`),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
