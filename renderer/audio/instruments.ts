/**
 * The instruments: the Salamander grand piano (Tone.Sampler on the bundled mp3s) and three
 * polyphonic synths. Created in Tone's current context, so the same factory serves live playback
 * and offline WAV rendering (inside Tone.Offline). Piano samples are fetched once and shared.
 */
import * as Tone from 'tone';

export type InstrumentKind = 'piano' | 'synth' | 'fm' | 'am';

export const INSTRUMENTS: { kind: InstrumentKind; label: string; release: number }[] = [
  { kind: 'piano', label: 'Grand piano (Salamander)', release: 1.0 },
  { kind: 'synth', label: 'Soft synth (triangle)', release: 0.08 },
  { kind: 'fm', label: 'FM electric piano', release: 0.4 },
  { kind: 'am', label: 'AM organ', release: 0.2 },
];

export function instrumentRelease(kind: InstrumentKind): number {
  return INSTRUMENTS.find((i) => i.kind === kind)?.release ?? 1;
}

/** The sample files: A, C, D#, F# of every octave, A0..C8, named like "Ds4.mp3". */
export function salamanderFiles(): Record<string, string> {
  const map: Record<string, string> = { A0: 'A0.mp3' };
  for (let octave = 1; octave <= 7; octave++) {
    for (const [note, file] of [
      ['C', 'C'],
      ['D#', 'Ds'],
      ['F#', 'Fs'],
      ['A', 'A'],
    ] as const) {
      map[`${note}${octave}`] = `${file}${octave}.mp3`;
    }
  }
  map.C8 = 'C8.mp3';
  return map;
}

/**
 * Where the samples are served: the host serves the repository's assets/ at /assets/ (browser);
 * from Electron's file:// page (dist/renderer/index.html) the same folder is ../../assets/.
 */
export function samplesBaseUrl(): string {
  const rel =
    window.location.protocol === 'file:' ? '../../assets/samples/salamander/' : '/assets/samples/salamander/';
  return new URL(rel, window.location.href).href;
}

let pianoBuffers: Promise<Record<string, AudioBuffer>> | null = null;

/** Fetches and decodes the piano samples once (rejects with a readable message). */
export function loadPianoSamples(): Promise<Record<string, AudioBuffer>> {
  if (!pianoBuffers) {
    const base = samplesBaseUrl();
    const ctx = Tone.getContext().rawContext as BaseAudioContext;
    pianoBuffers = (async () => {
      const entries = await Promise.all(
        Object.entries(salamanderFiles()).map(async ([note, file]) => {
          let res: Response;
          try {
            res = await fetch(base + file);
          } catch {
            throw new Error(`piano sample ${file} could not be fetched from ${base}`);
          }
          if (!res.ok) throw new Error(`piano sample ${file} is missing (HTTP ${res.status} from ${base})`);
          const bytes = await res.arrayBuffer();
          try {
            return [note, await ctx.decodeAudioData(bytes)] as const;
          } catch {
            throw new Error(`piano sample ${file} could not be decoded`);
          }
        }),
      );
      return Object.fromEntries(entries);
    })();
    pianoBuffers.catch(() => {
      pianoBuffers = null; // try again next time
    });
  }
  return pianoBuffers;
}

export interface Instrument {
  kind: InstrumentKind;
  release: number;
  output: Tone.ToneAudioNode;
  play(pitch: number, durationSeconds: number, time: number, velocity: number): void;
  releaseAll(time?: number): void;
  dispose(): void;
}

/** Creates an instrument in Tone's current context (call inside Tone.Offline for rendering). */
export async function createInstrument(kind: InstrumentKind): Promise<Instrument> {
  const release = instrumentRelease(kind);
  let node: Tone.Sampler | Tone.PolySynth;
  if (kind === 'piano') {
    const urls = await loadPianoSamples();
    node = new Tone.Sampler({ urls, release, volume: -2 });
  } else if (kind === 'synth') {
    node = new Tone.PolySynth(Tone.Synth, {
      oscillator: { type: 'triangle' },
      envelope: { attack: 0.005, decay: 0.15, sustain: 0.5, release },
      volume: -10,
    });
  } else if (kind === 'fm') {
    node = new Tone.PolySynth(Tone.FMSynth, {
      harmonicity: 3,
      modulationIndex: 6,
      envelope: { attack: 0.005, decay: 0.4, sustain: 0.35, release },
      modulationEnvelope: { attack: 0.01, decay: 0.3, sustain: 0.2, release },
      volume: -12,
    });
  } else {
    node = new Tone.PolySynth(Tone.AMSynth, {
      harmonicity: 2,
      envelope: { attack: 0.01, decay: 0.1, sustain: 0.8, release },
      volume: -12,
    });
  }
  if (node instanceof Tone.PolySynth) node.maxPolyphony = 48;
  const freq = (pitch: number) => Tone.Frequency(pitch, 'midi').toFrequency();
  return {
    kind,
    release,
    output: node,
    play(pitch, duration, time, velocity) {
      node.triggerAttackRelease(freq(pitch), Math.max(0.01, duration), time, velocity);
    },
    releaseAll(time) {
      node.releaseAll(time);
    },
    dispose() {
      node.dispose();
    },
  };
}
