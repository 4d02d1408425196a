/**
 * Live playback of one piece through Tone.js: a Part scheduled in transport ticks at the piece's
 * tempo, loop (the whole piece or a region), metronome and count-in clicks, seek, volume,
 * instrument switching and a level tap (an AnalyserNode on the output, used by the level meter).
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
  private region: { start: number; end: number } | null = null;
  private readonly click = new Tone.Synth({
    oscillator: { type: 'triangle' },
    envelope: { attack: 0.001, decay: 0.06, sustain: 0, release: 0.02 },
    volume: -4,
  });
  private metronomeId: number | null = null;
  private metronomeOn = false;
  private countIn = false;
  /** Audio-context time when the count-in ends and the transport starts (0: none pending). */
  private countInUntil = 0;
  private endListeners = new Set<() => void>();

  constructor() {
    this.gate.connect(this.volume);
    this.click.connect(this.gate);
    this.volume.connect(this.analyser);
    this.volume.toDestination();
  }

  /** Playing, or counting in before it plays. */
  get playing(): boolean {
    return this.transport.state === 'started' || this.countingIn;
  }

  get countingIn(): boolean {
    return this.countInUntil > Tone.immediate();
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
    this.region = null;
    if (!piece) return;
    this.part = this.makePart(piece);
    this.applyLoop();
    this.scheduleMetronome();
  }

  /**
   * The same piece changed (its notes edited, or re-timed to a new tempo): reschedules it without
   * stopping; the playhead stays on the same beat. Another piece is loaded afresh.
   */
  update(piece: GeneratedPiece): void {
    const old = this.piece;
    if (!old || old.id !== piece.id) {
      this.load(piece);
      return;
    }
    this.cueSeconds = (this.cueSeconds * old.bpm) / piece.bpm;
    this.part?.dispose();
    this.piece = piece;
    this.part = this.makePart(piece);
    this.applyLoop();
    this.scheduleMetronome();
  }

  private makePart(piece: GeneratedPiece): Tone.Part {
    const events = scheduleNotes(piece.notes, piece.bpm, this.transport.PPQ).map((n) => ({
      time: `${n.ticks}i`,
      note: n,
    }));
    const part = new Tone.Part((time, ev: (typeof events)[number]) => {
      const seconds = this.transport.toSeconds(`${ev.note.durationTicks}i`);
      this.instrument?.play(ev.note.pitch, seconds, time, ev.note.velocity);
    }, events);
    part.start(0);
    return part;
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

  /** The part of the piece the loop repeats (piece seconds); null: the whole piece. */
  setLoopRegion(region: { start: number; end: number } | null): void {
    this.region = region && region.end > region.start ? { ...region } : null;
    this.applyLoop();
  }

  private applyLoop(): void {
    const len = this.length();
    this.transport.loop = this.looping && len > 0;
    if (len > 0 && this.piece) {
      const [start, end] = this.region ? [this.region.start, Math.min(len, this.region.end)] : [0, len];
      const ticks = (s: number) => `${Math.round(secondsToTicks(s, this.piece!.bpm, this.transport.PPQ))}i`;
      this.transport.setLoopPoints(ticks(start), ticks(end));
    }
  }

  /** A click on every beat while playing, louder on the bar's first. */
  setMetronome(on: boolean): void {
    this.metronomeOn = on;
    this.scheduleMetronome();
  }

  /** The metronome repeats on the piece's beat (a quarter in 4/4, an eighth in 6/8). */
  private scheduleMetronome(): void {
    if (this.metronomeId !== null) this.transport.clear(this.metronomeId);
    this.metronomeId = null;
    const piece = this.piece;
    if (!this.metronomeOn || !piece) return;
    const [num, den] = piece.timeSignature;
    const beatTicks = Math.round(this.transport.PPQ * (4 / den));
    this.metronomeId = this.transport.scheduleRepeat(
      (time) => {
        const beat = Math.round(this.transport.getTicksAtTime(time) / beatTicks);
        this.clickAt(time, beat % num === 0);
      },
      `${beatTicks}i`,
      0,
    );
  }

  /** Play starts after one bar of clicks. */
  setCountIn(on: boolean): void {
    this.countIn = on;
  }

  private clickAt(time: number, downbeat: boolean): void {
    this.click.triggerAttackRelease(downbeat ? 1760 : 1175, 0.03, time, downbeat ? 1 : 0.6);
  }

  async play(): Promise<void> {
    if (!this.piece) throw new Error('Nothing to play: generate a piece and select a variation first.');
    await Tone.start();
    await this.ready();
    if (this.playing) return;
    const len = this.length();
    if (this.cueSeconds >= len) this.cueSeconds = 0;
    // From past the loop region's end the transport would never wrap: start at the region instead.
    if (this.looping && this.region && this.cueSeconds >= this.region.end)
      this.cueSeconds = this.region.start;
    const ticks = Math.round(secondsToTicks(this.cueSeconds, this.piece.bpm, this.transport.PPQ));
    if (this.releaseTimer) clearTimeout(this.releaseTimer);
    this.releaseTimer = null;
    const now = Tone.now();
    this.gate.gain.cancelScheduledValues(now);
    this.gate.gain.setValueAtTime(1, now);
    let at = now;
    if (this.countIn) {
      // one bar of the piece's beats at the playback tempo, before the transport starts
      const [num, den] = this.piece.timeSignature;
      const beat = (60 / this.transport.bpm.value) * (4 / den);
      for (let i = 0; i < num; i++) this.clickAt(now + i * beat, i === 0);
      at = now + num * beat;
      this.countInUntil = at;
    }
    this.transport.start(at, `${ticks}i`);
  }

  stop(): void {
    // stopping also cancels a start still waiting for the count-in
    if (this.transport.state !== 'stopped' || this.countInUntil) this.transport.stop();
    this.countInUntil = 0;
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
    if (this.transport.state === 'started') {
      this.instrument?.releaseAll();
      this.transport.ticks = Math.round(secondsToTicks(this.cueSeconds, this.piece.bpm, this.transport.PPQ));
    }
  }

  /** Where the audible playhead is, in piece seconds (the cue point when stopped). */
  position(): number {
    if (!this.piece) return 0;
    if (this.transport.state !== 'started') return this.cueSeconds;
    const ticks = this.transport.getTicksAtTime(Tone.immediate());
    return playheadSeconds(
      ticksToSeconds(ticks, this.piece.bpm, this.transport.PPQ),
      this.length(),
      this.looping,
    );
  }

  /** Call every animation frame: stops at the end when not looping. Returns true when it stopped. */
  tick(): boolean {
    if (this.transport.state === 'started' && !this.looping && this.piece) {
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
