import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeWav, encodeWav, floatTo16, rms } from './wav.js';

test('floatTo16 clamps and scales', () => {
  assert.equal(floatTo16(0), 0);
  assert.equal(floatTo16(1), 32767);
  assert.equal(floatTo16(-1), -32768);
  assert.equal(floatTo16(2), 32767);
  assert.equal(floatTo16(-3), -32768);
  assert.equal(floatTo16(0.5), 16384);
  assert.equal(floatTo16(Number.NaN), 0);
});

test('encodeWav writes a valid RIFF header', () => {
  const left = new Float32Array([0, 0.5, -0.5]);
  const right = new Float32Array([1, -1, 0]);
  const wav = encodeWav([left, right], 44100);
  assert.equal(wav.length, 44 + 3 * 2 * 2);
  const view = new DataView(wav.buffer);
  const str = (o: number) => String.fromCharCode(...wav.subarray(o, o + 4));
  assert.equal(str(0), 'RIFF');
  assert.equal(view.getUint32(4, true), wav.length - 8);
  assert.equal(str(8), 'WAVE');
  assert.equal(str(12), 'fmt ');
  assert.equal(view.getUint16(20, true), 1);
  assert.equal(view.getUint16(22, true), 2);
  assert.equal(view.getUint32(24, true), 44100);
  assert.equal(view.getUint32(28, true), 44100 * 4);
  assert.equal(view.getUint16(32, true), 4);
  assert.equal(view.getUint16(34, true), 16);
  assert.equal(str(36), 'data');
  assert.equal(view.getUint32(40, true), 12);
  // interleaved: L0 R0 L1 R1 L2 R2
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5].map((i) => view.getInt16(44 + i * 2, true)),
    [0, 32767, 16384, -32768, -16384, 0],
  );
});

test('decodeWav reads back what encodeWav wrote', () => {
  const n = 1000;
  const mono = new Float32Array(n);
  for (let i = 0; i < n; i++) mono[i] = Math.sin((2 * Math.PI * 440 * i) / 8000) * 0.8;
  const back = decodeWav(encodeWav([mono], 8000));
  assert.equal(back.sampleRate, 8000);
  assert.equal(back.channels.length, 1);
  assert.equal(back.channels[0]!.length, n);
  for (let i = 0; i < n; i++) assert.ok(Math.abs(back.channels[0]![i]! - mono[i]!) < 1 / 16000);
  assert.ok(Math.abs(rms(back.channels[0]!) - 0.8 / Math.SQRT2) < 0.01);
});

test('encodeWav rejects bad input', () => {
  assert.throws(() => encodeWav([], 44100), /at least one channel/);
  assert.throws(() => encodeWav([new Float32Array(2), new Float32Array(3)], 44100), /same length/);
  assert.throws(() => encodeWav([new Float32Array(2)], 0), /sample rate/);
  assert.throws(() => decodeWav(new Uint8Array([1, 2, 3])), /not a WAV/);
});

test('rms of silence is 0 and of a window is local', () => {
  const s = new Float32Array(100);
  s.fill(0.5, 50);
  assert.equal(rms(s, 0, 50), 0);
  assert.equal(rms(s, 50, 100), 0.5);
  assert.equal(rms(s, 80, 40), 0);
});
