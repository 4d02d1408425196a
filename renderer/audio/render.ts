/** Offline rendering of a piece with an instrument (Tone.Offline) into a 16-bit WAV file. */
import * as Tone from 'tone';
import type { GeneratedPiece } from '../../main/shared/api.js';
import { createInstrument, instrumentRelease, loadPianoSamples, type InstrumentKind } from './instruments.js';
import { pieceLength, playbackSeconds } from './schedule.js';
import { encodeWav } from './wav.js';

export async function renderWav(
  piece: GeneratedPiece,
  kind: InstrumentKind,
  tempo: number,
  onProgress: (fraction: number) => void,
  sampleRate = 44100,
): Promise<Uint8Array> {
  if (!piece.notes.length) throw new Error('This piece has no notes to render.');
  if (kind === 'piano') await loadPianoSamples(); // decode in the live context, reuse offline
  const length = playbackSeconds(pieceLength(piece), piece.bpm, tempo);
  const duration = length + instrumentRelease(kind) + 0.25;
  let offline: Tone.OfflineContext | null = null;
  const timer = setInterval(() => {
    if (offline) onProgress(Math.min(0.99, offline.currentTime / duration));
  }, 100);
  try {
    const buffer = await Tone.Offline(
      async (context) => {
        offline = context as unknown as Tone.OfflineContext;
        const inst = await createInstrument(kind);
        inst.output.toDestination();
        for (const n of piece.notes) {
          inst.play(
            n.pitch,
            playbackSeconds(n.duration, piece.bpm, tempo),
            playbackSeconds(n.time, piece.bpm, tempo),
            n.velocity,
          );
        }
      },
      duration,
      2,
      sampleRate,
    );
    const channels: Float32Array[] = [];
    for (let c = 0; c < buffer.numberOfChannels; c++) channels.push(buffer.getChannelData(c));
    onProgress(1);
    return encodeWav(channels, sampleRate);
  } finally {
    clearInterval(timer);
  }
}
