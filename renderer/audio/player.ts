/**
 * Live playback of one piece through Tone.js: a Part scheduled in transport ticks (so the tempo
 * control stretches the piece), loop, seek, volume, instrument switching and a level tap (an
 * AnalyserNode on the output, used by the level meter).
 */
import * as Tone from 'tone';
import type { GeneratedPiece } from '../../main/shared/api.js';
import { createInstrument, type Instrument, type InstrumentKind } from './instruments.js';
import { pieceLength, playheadSeconds, scheduleNotes, secondsToTicks, ticksToSeconds } from './schedule.js';
import { rms } from './wav.js';

export class Player {
  private readonly transport = Tone.getTransport();
  private readonly volume = new Tone.Volume(-6);
  /** Closed on stop: synth notes already handed to the instrument (Tone's look-ahead) stay silent. */
  private readonly gate = new Tone.Gain(1);
  private releaseTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly analyser = new Tone.Analyser('waveform', 1024);
  private instrument: Instrument | null = null;
  private instrumentKind: InstrumentKind = 'piano';
  private loading: Promise<Instrument> | null = null;
  private part: Tone.Part | null = null;
  private piece: GeneratedPiece | null = null;
  private cueSeconds = 0;
  private looping = false;
  private endListeners = new Set<() => void>();

  constructor() {
    this.gate.connect(this.volume);
    this.volume.connect(this.analyser);
    this.volume.toDestination();
  }

  get playing(): boolean {
    return this.transport.state === 'started';
  }

  get kind(): InstrumentKind {
    return this.instrumentKind;
  }

  /** Loads (or switches to) an instrument; rejects with a readable message. */
  async setInstrument(kind: InstrumentKind): Promise<void> {
    this.instrumentKind = kind;
    const loading = createInstrument(kind);
    this.loading = loading;
    const inst = await loading;
    if (this.loading !== loading) {
      inst.dispose();
      return;
    }
    this.instrument?.releaseAll();
    const old = this.instrument;
    inst.output.connect(this.gate);
    this.instrument = inst;
    if (old) setTimeout(() => old.dispose(), 1500);
  }

  private async ready(): Promise<Instrument> {
    if (this.instrument && this.instrument.kind === this.instrumentKind) return this.instrument;
    await this.setInstrument(this.instrumentKind);
    return this.instrument!;
  }

  load(piece: GeneratedPiece | null): void {
    this.stop();
    this.part?.dispose();
    this.part = null;
    this.piece = piece;
    this.cueSeconds = 0;
    if (!piece) return;
    const ppq = this.transport.PPQ;
    const events = scheduleNotes(piece.notes, piece.bpm, ppq).map((n) => ({ time: `${n.ticks}i`, note: n }));
    this.part = new Tone.Part((time, ev: (typeof events)[number]) => {
      const seconds = this.transport.toSeconds(`${ev.note.durationTicks}i`);
      this.instrument?.play(ev.note.pitch, seconds, time, ev.note.velocity);
    }, events);
    this.part.start(0);
    this.applyLoop();
  }

  length(): number {
    return this.piece ? pieceLength(this.piece) : 0;
  }

  setTempo(bpm: number): void {
    if (bpm >= 20 && bpm <= 400) this.transport.bpm.value = bpm;
  }

  setVolume(db: number): void {
    this.volume.volume.value = db;
    this.volume.mute = db <= -60;
  }

  setLoop(loop: boolean): void {
    this.looping = loop;
    this.applyLoop();
  }

  private applyLoop(): void {
    const len = this.length();
    this.transport.loop = this.looping && len > 0;
    if (len > 0 && this.piece) {
      this.transport.loopStart = 0;
      this.transport.loopEnd = `${Math.round(secondsToTicks(len, this.piece.bpm, this.transport.PPQ))}i`;
    }
  }

  async play(): Promise<void> {
    if (!this.piece) throw new Error('Nothing to play: generate a piece and select a variation first.');
    await Tone.start();
    await this.ready();
    if (this.playing) return;
    const len = this.length();
    if (this.cueSeconds >= len) this.cueSeconds = 0;
    const ticks = Math.round(secondsToTicks(this.cueSeconds, this.piece.bpm, this.transport.PPQ));
    if (this.releaseTimer) clearTimeout(this.releaseTimer);
    this.releaseTimer = null;
    const at = Tone.now();
    this.gate.gain.cancelScheduledValues(at);
    this.gate.gain.setValueAtTime(1, at);
    this.transport.start(at, `${ticks}i`);
  }

  stop(): void {
    if (this.transport.state !== 'stopped') this.transport.stop();
    const now = Tone.immediate();
    this.gate.gain.cancelScheduledValues(now);
    this.gate.gain.setTargetAtTime(0, now, 0.015);
    this.silenceScheduled();
  }

  /**
   * Releases every sounding note, and again once the notes already scheduled inside Tone's
   * look-ahead window have started (PolySynth starts those from a timer).
   */
  private silenceScheduled(): void {
    this.instrument?.releaseAll();
    if (this.releaseTimer) clearTimeout(this.releaseTimer);
    const inst = this.instrument;
    this.releaseTimer = setTimeout(
      () => {
        this.releaseTimer = null;
        inst?.releaseAll();
      },
      (Tone.getContext().lookAhead + 0.1) * 1000,
    );
  }

  /** Moves the playhead (piece seconds). While playing, playback jumps there. */
  seek(seconds: number): void {
    if (!this.piece) return;
    this.cueSeconds = Math.max(0, Math.min(this.length(), seconds));
    if (this.playing) {
      this.instrument?.releaseAll();
      this.transport.ticks = Math.round(secondsToTicks(this.cueSeconds, this.piece.bpm, this.transport.PPQ));
    }
  }

  /** Where the audible playhead is, in piece seconds (the cue point when stopped). */
  position(): number {
    if (!this.piece) return 0;
    if (!this.playing) return this.cueSeconds;
    const ticks = this.transport.getTicksAtTime(Tone.immediate());
    return playheadSeconds(
      ticksToSeconds(ticks, this.piece.bpm, this.transport.PPQ),
      this.length(),
      this.looping,
    );
  }

  /** Call every animation frame: stops at the end when not looping. Returns true when it stopped. */
  tick(): boolean {
    if (this.playing && !this.looping && this.piece) {
      const ticks = this.transport.getTicksAtTime(Tone.immediate());
      const release = this.instrument?.release ?? 0.5;
      if (
        ticks >= secondsToTicks(this.length() + Math.min(release, 1.5), this.piece.bpm, this.transport.PPQ)
      ) {
        this.stop();
        this.cueSeconds = 0;
        this.endListeners.forEach((l) => l());
        return true;
      }
    }
    return false;
  }

  onEnd(listener: () => void): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  /** RMS level of the last ~23 ms of output (linear, 0..1). */
  level(): number {
    const v = this.analyser.getValue();
    return rms(v instanceof Float32Array ? v : (v[0] as Float32Array));
  }
}
