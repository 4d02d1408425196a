/**
 * 16-bit PCM WAV encoding (RIFF/WAVE, little endian). Pure: no DOM, no Web Audio, so it is unit
 * tested under Node and used by the WAV export (renderer/audio/render.ts) with an AudioBuffer's
 * channel data.
 */

/** Clamps a float sample to [-1, 1] and scales it to a signed 16-bit integer (symmetric rounding). */
export function floatTo16(sample: number): number {
  if (Number.isNaN(sample)) return 0;
  const s = Math.max(-1, Math.min(1, sample));
  return s < 0 ? Math.round(s * 0x8000) : Math.round(s * 0x7fff);
}

/**
 * Encodes channels of float samples (all the same length) as a 16-bit PCM WAV file. Channels are
 * interleaved frame by frame.
 */
export function encodeWav(channels: Float32Array[], sampleRate: number): Uint8Array {
  if (channels.length < 1) throw new Error('WAV needs at least one channel');
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) throw new Error(`invalid sample rate ${sampleRate}`);
  const frames = channels[0]!.length;
  for (const c of channels) {
    if (c.length !== frames) throw new Error('all WAV channels must have the same length');
  }
  const numChannels = channels.length;
  const bytesPerSample = 2;
  const blockAlign = numChannels * bytesPerSample;
  const dataBytes = frames * blockAlign;
  const out = new Uint8Array(44 + dataBytes);
  const view = new DataView(out.buffer);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) out[offset + i] = text.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, numChannels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * blockAlign, true); // byte rate
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  let offset = 44;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < numChannels; c++) {
      view.setInt16(offset, floatTo16(channels[c]![i]!), true);
      offset += 2;
    }
  }
  return out;
}

export interface DecodedWav {
  sampleRate: number;
  channels: Float32Array[];
}

/** Reads a 16-bit PCM WAV (as written by encodeWav, or any file with fmt before data). */
export function decodeWav(bytes: Uint8Array): DecodedWav {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  if (bytes.length < 12 || text(0) !== 'RIFF' || text(8) !== 'WAVE') throw new Error('not a WAV file');
  let offset = 12;
  let numChannels = 0;
  let sampleRate = 0;
  let bits = 0;
  while (offset + 8 <= bytes.length) {
    const id = text(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (view.getUint16(body, true) !== 1) throw new Error('WAV is not PCM');
      numChannels = view.getUint16(body + 2, true);
      sampleRate = view.getUint32(body + 4, true);
      bits = view.getUint16(body + 14, true);
    } else if (id === 'data') {
      if (bits !== 16 || numChannels < 1) throw new Error('WAV is not 16-bit PCM');
      const frames = Math.floor(Math.min(size, bytes.length - body) / (2 * numChannels));
      const channels = Array.from({ length: numChannels }, () => new Float32Array(frames));
      for (let i = 0; i < frames; i++) {
        for (let c = 0; c < numChannels; c++) {
          const v = view.getInt16(body + (i * numChannels + c) * 2, true);
          channels[c]![i] = v < 0 ? v / 0x8000 : v / 0x7fff;
        }
      }
      return { sampleRate, channels };
    }
    offset = body + size + (size % 2);
  }
  throw new Error('WAV has no data chunk');
}

/** Root mean square of samples[from, to). */
export function rms(samples: Float32Array, from = 0, to = samples.length): number {
  const a = Math.max(0, Math.floor(from));
  const b = Math.min(samples.length, Math.floor(to));
  if (b <= a) return 0;
  let sum = 0;
  for (let i = a; i < b; i++) sum += samples[i]! * samples[i]!;
  return Math.sqrt(sum / (b - a));
}
