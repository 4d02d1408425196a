/** Training panel: hyperparameters (core defaults), start / resume / cancel, progress, loss curves. */
import type { GridName, TrainingOptions } from '../../main/shared/api.js';
// Browser-safe modules of the core: the grids and the option ranges the host checks.
import { GRID_NAMES } from '../../model/common/types.js';
import { TRAINING_OPTION_RANGES, type OptionRange } from '../../model/common/training-options.js';
import { refreshModels } from '../actions.js';
import { getApi } from '../api/index.js';
import { emptyTraining, store } from '../state.js';
import { applyTrainingEvent } from './training-events.js';
import { clear, errorMessage, formatCount, formatDuration, h } from '../ui/dom.js';
import { LossChart } from '../ui/loss-chart.js';
import { toast } from '../ui/toast.js';

type NumKey = Exclude<keyof TrainingOptions, 'name' | 'grid' | 'resumeModelId'>;

const FIELD_TEXT: { key: NumKey; label: string; help: string; step: number }[] = [
  {
    key: 'epochs',
    label: 'Epochs',
    help: 'Passes over the whole corpus. More epochs learn more but can overfit.',
    step: 1,
  },
  {
    key: 'maxSeconds',
    label: 'Time limit (s)',
    help: 'Stop after this many seconds; 0 = no limit. The last checkpoint is kept.',
    step: 1,
  },
  {
    key: 'hiddenSize',
    label: 'Hidden size',
    help: 'Units per LSTM layer: the model’s memory. Larger is slower but more expressive.',
    step: 1,
  },
  {
    key: 'numLayers',
    label: 'Layers',
    help: 'Stacked LSTM layers. One (the default) trains about 3x faster; two or three can learn more from a large corpus.',
    step: 1,
  },
  {
    key: 'embeddingDim',
    label: 'Embedding size',
    help: 'Size of the vector each note/chord event is turned into before the LSTM.',
    step: 1,
  },
  {
    key: 'dropout',
    label: 'Dropout',
    help: 'Fraction of activations dropped while training; fights overfitting on small corpora.',
    step: 0.05,
  },
  {
    key: 'seqLen',
    label: 'Sequence length',
    help: 'Events per training window: how far back the model looks while learning.',
    step: 1,
  },
  {
    key: 'batchSize',
    label: 'Batch size',
    help: 'Windows trained on at once. Larger is smoother and faster per event, uses more memory.',
    step: 1,
  },
  {
    key: 'learningRate',
    label: 'Learning rate',
    help: 'Step size of the optimizer. Lower if the loss jumps around; higher if it barely moves.',
    step: 0.0001,
  },
  {
    key: 'transpose',
    label: 'Transpose ± (semitones)',
    help: 'Augmentation: each piece is also learned shifted up and down by up to this many semitones. Off (0) by default: the model then writes in your music’s keys and registers; try 3–5 for a very small corpus.',
    step: 1,
  },
];

/** The form's fields; their bounds are the ranges the host accepts (one table in the core). */
const FIELDS = FIELD_TEXT.map((f) => {
  const r: OptionRange = TRAINING_OPTION_RANGES[f.key];
  return { ...f, min: r.min, max: r.max, above: r.above === true };
});

export function trainingPanel(): HTMLElement {
  const inputs = new Map<NumKey, HTMLInputElement>();
  const nameInput = h('input', { type: 'text', value: 'My model', 'data-field': 'name', maxlength: 80 });
  const gridSelect = h(
    'select',
    { 'data-field': 'grid' },
    GRID_NAMES.map((g) => h('option', { value: g, text: g })),
  );
  const fieldRows = FIELDS.map((f) => {
    const input = h('input', { type: 'number', min: f.min, max: f.max, step: f.step, 'data-field': f.key });
    inputs.set(f.key, input);
    return h(
      'label',
      { class: 'field' },
      h('span', { class: 'field-label', text: f.label }),
      input,
      h('span', { class: 'field-help', text: f.help }),
    );
  });
  const form = h(
    'div',
    { class: 'form-grid' },
    h(
      'label',
      { class: 'field wide' },
      h('span', { class: 'field-label', text: 'Model name' }),
      nameInput,
      h('span', { class: 'field-help', text: 'How the new model is listed in the library.' }),
    ),
    fieldRows,
    h(
      'label',
      { class: 'field' },
      h('span', { class: 'field-label', text: 'Time grid' }),
      gridSelect,
      h('span', {
        class: 'field-help',
        text: 'Quantization of note times: the finest rhythm the model can write.',
      }),
    ),
  );

  const applyDefaults = (d: TrainingOptions) => {
    nameInput.value = d.name || 'My model';
    for (const f of FIELDS) inputs.get(f.key)!.value = String(d[f.key]);
    gridSelect.value = d.grid;
  };

  const readOptions = (): TrainingOptions => {
    const out = {
      name: nameInput.value.trim() || 'My model',
      grid: gridSelect.value as GridName,
    } as TrainingOptions;
    for (const f of FIELDS) {
      const v = Number(inputs.get(f.key)!.value);
      if (!Number.isFinite(v) || inputs.get(f.key)!.value.trim() === '')
        throw new Error(`${f.label} must be a number.`);
      if (f.above && v <= f.min) throw new Error(`${f.label} must be above ${f.min}.`);
      if (v < f.min || v > f.max) throw new Error(`${f.label} must be between ${f.min} and ${f.max}.`);
      out[f.key] = v;
    }
    return out;
  };

  const startBtn = h('button', { class: 'primary', text: 'Start training', 'data-testid': 'train-start' });
  const resumeBtn = h('button', { text: 'Resume selected model', 'data-testid': 'train-resume' });
  const cancelBtn = h('button', {
    class: 'danger',
    text: 'Cancel',
    disabled: true,
    'data-testid': 'train-cancel',
  });
  const resetBtn = h('button', { class: 'ghost', text: 'Reset to defaults' });

  const start = async (resume: boolean) => {
    let options: TrainingOptions;
    try {
      options = readOptions();
    } catch (err) {
      toast(errorMessage(err), 'error');
      return;
    }
    if (resume) {
      const m = store.selectedModel();
      if (!m) {
        toast('Select a model in the library to resume.', 'error');
        return;
      }
      options.resumeModelId = m.id;
    }
    store.set({
      training: { ...emptyTraining(), running: true, message: resume ? 'Resuming…' : 'Starting…' },
    });
    try {
      const { modelId } = await getApi().trainStart(options);
      const t = store.get('training');
      store.set({ training: { ...t, modelId } });
    } catch (err) {
      store.set({
        training: {
          ...store.get('training'),
          running: false,
          message: `Could not start: ${errorMessage(err)}`,
        },
      });
      toast(`Could not start training: ${errorMessage(err)}`, 'error');
    }
  };
  startBtn.addEventListener('click', () => void start(false));
  resumeBtn.addEventListener('click', () => void start(true));
  cancelBtn.addEventListener('click', async () => {
    cancelBtn.disabled = true;
    store.set({ training: { ...store.get('training'), message: 'Cancelling…' } });
    try {
      await getApi().trainCancel();
    } catch (err) {
      toast(`Could not cancel: ${errorMessage(err)}`, 'error');
      cancelBtn.disabled = false;
    }
  });
  resetBtn.addEventListener('click', () => {
    const d = store.get('defaults');
    if (d) applyDefaults(d);
  });

  const corpusNote = h('div', { class: 'panel-stats' });
  const renderCorpus = () => {
    const ok = store.get('corpus').filter((f) => f.status === 'ok').length;
    corpusNote.textContent =
      ok >= 2
        ? `Learns from the selected tracks of your ${ok} corpus files (one part is held out for validation).`
        : `Import at least 2 MIDI files in Corpus first (${ok} now): one part is held out for validation.`;
    corpusNote.classList.toggle('warn-text', ok < 2);
  };
  store.on(['corpus'], renderCorpus);
  renderCorpus();

  // status
  const backend = h('span', { class: 'badge', 'data-testid': 'backend' });
  const setupNote = h('div', { class: 'muted small-text', 'data-testid': 'train-setup' });
  const statusText = h('div', { class: 'train-status', 'data-testid': 'train-status' });
  const bar = h('div', { class: 'bar' });
  const progress = h('div', { class: 'progress big', 'data-testid': 'train-progress' }, bar);
  const pct = h('span', { class: 'pct' });
  const eta = h('span', { class: 'eta' });
  const metrics = h('dl', { class: 'metrics' });
  const chart = new LossChart();

  const render = () => {
    const t = store.get('training');
    const info = store.get('info');
    backend.textContent = info ? `backend: ${info.backend}` : 'backend: …';
    // The run's measured choice (lstm/setup.ts): backend, threads and the timings behind them.
    if (lastSetup)
      backend.textContent = `backend: ${lastSetup.backend} · ${lastSetup.threads} thread${lastSetup.threads === 1 ? '' : 's'}`;
    setupNote.textContent = lastSetup?.setup ? `Chosen by measurement: ${lastSetup.setup}` : '';
    setupNote.hidden = !lastSetup?.setup;
    statusText.textContent = t.message;
    bar.style.width = `${(t.progress * 100).toFixed(1)}%`;
    progress.dataset.progress = t.progress.toFixed(4);
    progress.classList.toggle('running', t.running);
    pct.textContent = `${(t.progress * 100).toFixed(t.progress < 0.1 ? 1 : 0)}%`;
    eta.textContent = t.running && t.batch > 0 ? `ETA ${formatDuration(t.etaSeconds)}` : '';
    clear(metrics);
    const m = (k: string, v: string) => [
      h('div', { class: 'metric' }, h('dt', { text: k }), h('dd', { text: v })),
    ];
    const lastTrain = t.trainLoss.at(-1)?.y;
    const lastVal = t.valLoss.at(-1)?.y;
    const lastBatch = t.batchLoss.at(-1)?.y;
    metrics.append(
      ...m('Epoch', t.totalEpochs ? `${t.epoch} / ${t.totalEpochs}` : '–'),
      ...m('Batch', t.batchesPerEpoch ? `${t.batch} / ${t.batchesPerEpoch}` : '–'),
      ...m('Batch loss', lastBatch !== undefined ? lastBatch.toFixed(3) : '–'),
      ...m(
        'Train / val loss',
        lastTrain !== undefined ? `${lastTrain.toFixed(3)} / ${lastVal?.toFixed(3) ?? '–'}` : '–',
      ),
      ...m('Speed', t.tokensPerSecond ? `${formatCount(Math.round(t.tokensPerSecond))} events/s` : '–'),
      ...m('Parameters', t.parameters ? formatCount(t.parameters) : '–'),
    );
    chart.set({
      batch: t.batchLoss,
      train: t.trainLoss,
      val: t.valLoss,
      totalEpochs: Math.max(1, t.totalEpochs),
    });
    startBtn.disabled = t.running;
    const sel = store.selectedModel();
    resumeBtn.disabled = t.running || !sel || sel.bundled;
    resumeBtn.textContent = sel && !sel.bundled ? `Resume “${sel.name}”` : 'Resume selected model';
    resumeBtn.title = sel?.bundled
      ? 'The bundled model is read-only: select one of your models (or save the bundled one and open the copy)'
      : 'Continue training the model selected in the library';
    cancelBtn.disabled = !t.running;
  };
  store.on(['training', 'info', 'selectedModelId', 'models'], render);
  store.on(['defaults'], () => {
    const d = store.get('defaults');
    if (d) applyDefaults(d);
  });
  render();

  return h(
    'section',
    { class: 'panel training-panel', 'data-testid': 'training-panel' },
    h(
      'header',
      { class: 'panel-head' },
      h('div', {}, h('h2', { text: 'Train a model' }), corpusNote),
      h('div', { class: 'toolbar' }, startBtn, resumeBtn, cancelBtn),
    ),
    h(
      'div',
      { class: 'train-layout' },
      h(
        'div',
        { class: 'card' },
        h('div', { class: 'card-head' }, h('h3', { text: 'Hyperparameters' }), resetBtn),
        form,
      ),
      h(
        'div',
        { class: 'card' },
        h('div', { class: 'card-head' }, h('h3', { text: 'Progress' }), backend),
        setupNote,
        statusText,
        h('div', { class: 'progress-row' }, progress, pct, eta),
        metrics,
        chart.element,
      ),
    ),
  );
}

/** The backend and threads of the current (or last) run, from its 'started' event. */
let lastSetup: { backend: string; threads: number; setup?: string } | null = null;

export function listenTraining(): void {
  getApi().onTraining((e) => {
    if (e.type === 'started') lastSetup = { backend: e.backend, threads: e.threads ?? 1, setup: e.setup };
    store.set({ training: applyTrainingEvent(store.get('training'), e) });
    if (e.type === 'done') {
      toast(`${store.get('training').message}.`, e.reason === 'completed' ? 'success' : 'info');
      void refreshModels(e.modelId).catch(() => refreshModels());
    } else if (e.type === 'error') {
      toast(`Training failed: ${e.message}`, 'error');
      void refreshModels().catch(() => undefined);
    } else if (e.type === 'epoch' && e.checkpointSaved) {
      void refreshModels().catch(() => undefined);
    }
  });
}
