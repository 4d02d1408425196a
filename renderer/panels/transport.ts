/**
 * The transport bar: play/stop (space bar), loop (the piece or the region dragged on the roll's
 * ruler), metronome, count-in, position, the tempo (the one tempo control: the selected piece's,
 * and the next generation's), volume, instrument, level meter, Export MIDI and Export WAV. Drives
 * the piano roll's playhead every animation frame.
 */
import type { GeneratedPiece } from '../../main/shared/api.js';
// The browser-safe part of the core: the tempo's row of the generate options (the next generation's).
import { GENERATE_OPTIONS } from '../../model/common/generate-options.js';
import { exportMidi, setTempo } from '../actions.js';
import { INSTRUMENTS, type InstrumentKind } from '../audio/instruments.js';
import type { Player } from '../audio/player.js';
import { renderWav } from '../audio/render.js';
import { barSeconds, barStep, beatSeconds } from '../audio/schedule.js';
import { registerCommand } from '../commands.js';
import type { PianoRoll } from '../pianoroll/view.js';
import { store } from '../state.js';
import { downloadBytes, safeFileName } from '../ui/download.js';
import { errorMessage, formatDuration, h } from '../ui/dom.js';
import { readNumberField } from '../ui/option-field.js';
import { task, toast } from '../ui/toast.js';

const TEMPO = GENERATE_OPTIONS.tempo;

export function transportBar(player: Player, roll: PianoRoll): HTMLElement {
  const playBtn = h(
    'button',
    { class: 'play-btn', title: 'Play / stop (space bar)', 'aria-label': 'Play', 'data-testid': 'play' },
    '▶',
  );
  const loopBtn = h(
    'button',
    { class: 'toggle', title: 'Loop the piece', 'aria-pressed': 'false', 'data-testid': 'loop' },
    '⟲ Loop',
  );
  const clickBtn = h(
    'button',
    {
      class: 'toggle',
      title: 'Metronome: a click on every beat (K)',
      'aria-pressed': 'false',
      'data-testid': 'metronome',
    },
    'Click',
  );
  const countInBtn = h(
    'button',
    {
      class: 'toggle',
      title: 'Count-in: one bar of clicks before playback (Shift+K)',
      'aria-pressed': 'false',
      'data-testid': 'count-in',
    },
    'Count-in',
  );
  const position = h('div', { class: 'position', 'data-testid': 'position' }, '0:00 / 0:00');
  const barBeat = h('div', { class: 'barbeat' }, '1.1');
  const tempo = h('input', {
    type: 'number',
    min: TEMPO.min,
    max: TEMPO.max,
    step: TEMPO.step,
    value: TEMPO.default,
    class: 'tempo-input',
    'data-testid': 'tempo',
    title: 'Tempo (bpm) of the selected piece and of the next generation; a primer file sets it when chosen',
  });
  const volume = h('input', {
    type: 'range',
    min: -60,
    max: 0,
    step: 1,
    value: store.get('volumeDb'),
    title: 'Volume',
    'data-testid': 'volume',
  });
  const instrument = h(
    'select',
    { 'data-testid': 'instrument', title: 'Sound (instrument)', 'aria-label': 'Sound' },
    INSTRUMENTS.map((i) => h('option', { value: i.kind, text: i.label })),
  );
  const meterBar = h('div', { class: 'meter-bar' });
  const meter = h(
    'div',
    { class: 'meter', 'data-testid': 'meter', 'data-level': '0', title: 'Output level' },
    meterBar,
  );
  const midiBtn = h('button', {
    text: '⤓ MIDI',
    title: 'Export the selected variation as MIDI (Ctrl+E)',
    'aria-label': 'Export MIDI',
    'data-testid': 'export-midi',
  });
  const wavBtn = h('button', {
    text: '⤓ WAV',
    title: 'Export the selected variation as WAV (Ctrl+Shift+E)',
    'aria-label': 'Export WAV',
    'data-testid': 'export-wav',
  });
  const nowPlaying = h('div', { class: 'now-playing', text: 'No piece selected' });

  const play = async () => {
    try {
      await player.play();
      store.set({ playing: true });
    } catch (err) {
      store.set({ playing: player.playing });
      toast(errorMessage(err), 'error');
    }
  };
  const stop = () => {
    player.stop();
    store.set({ playing: false });
  };
  const toggle = () => (player.playing ? stop() : play());
  playBtn.addEventListener('click', () => void toggle());
  registerCommand('play-stop', () => toggle());

  const toggleLoop = () => store.set({ loop: !store.get('loop') });
  loopBtn.addEventListener('click', toggleLoop);
  registerCommand('toggle-loop', toggleLoop);
  const showLoop = () => {
    const on = store.get('loop');
    const r = store.get('loopRegion');
    const piece = store.selectedPiece();
    player.setLoop(on);
    player.setLoopRegion(r);
    roll.setLoopRegion(r);
    loopBtn.setAttribute('aria-pressed', String(on));
    loopBtn.classList.toggle('on', on);
    const bar = piece ? barSeconds(piece) : 0;
    loopBtn.textContent = r && bar ? `⟲ Loop ${fmtBar(r.start / bar)}–${fmtBar(r.end / bar)}` : '⟲ Loop';
    loopBtn.title = r
      ? 'Loop the region dragged on the ruler (double-click the ruler to clear it) (L)'
      : 'Loop the piece; drag on the roll’s ruler to loop a part of it (L)';
  };
  store.on(['loop', 'loopRegion'], showLoop);
  const toggleMetronome = () => store.set({ metronome: !store.get('metronome') });
  const toggleCountIn = () => store.set({ countIn: !store.get('countIn') });
  clickBtn.addEventListener('click', toggleMetronome);
  countInBtn.addEventListener('click', toggleCountIn);
  registerCommand('toggle-metronome', toggleMetronome);
  registerCommand('toggle-count-in', toggleCountIn);
  store.on(['metronome', 'countIn'], () => {
    player.setMetronome(store.get('metronome'));
    player.setCountIn(store.get('countIn'));
    for (const [b, on] of [
      [clickBtn, store.get('metronome')],
      [countInBtn, store.get('countIn')],
    ] as const) {
      b.setAttribute('aria-pressed', String(on));
      b.classList.toggle('on', on);
    }
  });
  tempo.addEventListener('change', () => {
    let v: number;
    try {
      v = readNumberField(TEMPO, tempo.value, TEMPO.label);
    } catch (err) {
      toast(errorMessage(err), 'error');
      tempo.value = String(store.get('tempo'));
      return;
    }
    setTempo(v);
  });
  store.on(['tempo'], () => {
    player.setTempo(store.get('tempo'));
    tempo.value = String(Math.round(store.get('tempo')));
  });
  volume.addEventListener('input', () => store.set({ volumeDb: Number(volume.value) }));
  store.on(['volumeDb'], () => player.setVolume(store.get('volumeDb')));
  player.setVolume(store.get('volumeDb'));

  const loadInstrument = async (kind: InstrumentKind) => {
    const t = kind === 'piano' ? task('Loading piano samples…') : null;
    try {
      await player.setInstrument(kind);
    } catch (err) {
      toast(
        `Could not load the ${kind} instrument: ${errorMessage(err)}. Using the soft synth instead.`,
        'error',
      );
      if (kind !== 'synth') store.set({ instrument: 'synth' });
    } finally {
      t?.done();
    }
  };
  instrument.addEventListener('change', () => store.set({ instrument: instrument.value as InstrumentKind }));
  store.on(['instrument'], () => {
    instrument.value = store.get('instrument');
    void loadInstrument(store.get('instrument'));
  });

  const load = (piece: GeneratedPiece | null) => {
    player.load(piece);
    store.set({ playing: false, loopRegion: null, ...(piece ? { tempo: piece.bpm } : {}) });
    showLoop();
    nowPlaying.textContent = piece ? piece.name : 'No piece selected';
    nowPlaying.title = piece?.name ?? '';
    midiBtn.disabled = wavBtn.disabled = playBtn.disabled = !piece;
  };
  let loaded: GeneratedPiece | null = null;
  store.on(['selectedPieceId', 'pieces'], () => {
    const p = store.selectedPiece();
    if (p === loaded) return;
    const same = !!p && p.id === loaded?.id;
    loaded = p;
    if (same) player.update(p);
    else load(p);
  });
  load(null);

  store.on(['playing'], () => {
    const on = store.get('playing');
    roll.follow = on;
    playBtn.textContent = on ? '■' : '▶';
    playBtn.setAttribute('aria-label', on ? 'Stop' : 'Play');
    playBtn.classList.toggle('on', on);
    playBtn.dataset.state = on ? 'playing' : 'stopped';
  });
  player.onEnd(() => store.set({ playing: false }));

  const exportMidiCmd = async () => exportMidi();
  midiBtn.addEventListener(
    'click',
    () => void exportMidiCmd().catch((err) => toast(`MIDI export failed: ${errorMessage(err)}`, 'error')),
  );
  registerCommand('export-midi', exportMidiCmd);

  let rendering = false;
  const exportWav = async () => {
    const piece = store.selectedPiece();
    if (!piece) throw new Error('Nothing to export: generate a piece and select a variation first.');
    if (rendering) throw new Error('A WAV export is already running.');
    rendering = true;
    wavBtn.disabled = true;
    const t = task('Rendering WAV…');
    try {
      const wav = await renderWav(piece, store.get('instrument'), store.get('tempo'), (f) =>
        t.update(f, `Rendering WAV… ${Math.round(f * 100)}%`),
      );
      downloadBytes(safeFileName(piece.name, '.wav'), wav, 'audio/wav');
      toast(
        `Exported ${safeFileName(piece.name, '.wav')} (${(wav.length / 1024 / 1024).toFixed(1)} MB)`,
        'success',
      );
    } finally {
      t.done();
      rendering = false;
      wavBtn.disabled = false;
    }
  };
  wavBtn.addEventListener(
    'click',
    () => void exportWav().catch((err) => toast(`WAV export failed: ${errorMessage(err)}`, 'error')),
  );
  registerCommand('export-wav', exportWav);

  // seek from the piano roll
  rollSeek = (s) => {
    player.seek(s);
    roll.setPlayhead(player.position());
  };
  const byBar = (bars: number) => {
    const piece = store.selectedPiece();
    if (!piece) return;
    rollSeek(barStep(player.position(), barSeconds(piece), bars));
  };
  const hasPiece = () => !!store.selectedPiece();
  registerCommand('playhead-back', () => byBar(-1), hasPiece);
  registerCommand('playhead-forward', () => byBar(1), hasPiece);

  // animation loop
  let peak = 0;
  const frame = () => {
    player.tick();
    const pos = player.position();
    roll.setPlayhead(pos);
    const piece = store.selectedPiece();
    const len = player.length();
    position.textContent = `${formatDuration(pos)} / ${formatDuration(len)}`;
    position.dataset.seconds = pos.toFixed(3);
    if (piece) {
      const beat = Math.floor(pos / beatSeconds(piece) + 1e-6);
      barBeat.textContent = `${Math.floor(beat / piece.timeSignature[0]) + 1}.${(beat % piece.timeSignature[0]) + 1}`;
    }
    const level = player.level();
    peak = Math.max(level, peak * 0.92);
    const db = 20 * Math.log10(Math.max(peak, 1e-5));
    meterBar.style.width = `${Math.max(0, Math.min(100, ((db + 60) / 60) * 100))}%`;
    meter.dataset.level = level.toFixed(5);
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);

  return h(
    'footer',
    { class: 'transport', 'data-testid': 'transport' },
    h('div', { class: 't-group' }, playBtn, loopBtn, clickBtn, countInBtn),
    h('div', { class: 't-group t-time' }, barBeat, position),
    h('div', { class: 't-group t-now' }, nowPlaying),
    h('label', { class: 't-group t-labeled' }, h('span', { text: 'Tempo' }), tempo),
    h('label', { class: 't-group t-labeled' }, h('span', { text: 'Vol' }), volume, meter),
    h('div', { class: 't-group' }, instrument),
    h('div', { class: 't-group' }, midiBtn, wavBtn),
  );
}

/** Set by the transport: seeks the player (the piano roll calls it on click). */
export let rollSeek: (seconds: number) => void = () => undefined;

function fmtBar(bars: number): string {
  return String(Math.round(bars * 100) / 100 + 1);
}
