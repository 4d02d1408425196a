/** Training panel: hyperparameters (core defaults), start / resume / cancel, progress, loss curves. */
import type { TrainingOptions } from '../../main/shared/api.js';
// The browser-safe part of the core: the option table the host checks with.
import { TRAINING_OPTIONS } from '../../model/common/training-options.js';
import { refreshModels } from '../actions.js';
import { getApi } from '../api/index.js';
import { emptyTraining, store } from '../state.js';
import { applyTrainingEvent } from './training-events.js';
import { clear, errorMessage, formatCount, formatDuration, h } from '../ui/dom.js';
import { LossChart } from '../ui/loss-chart.js';
import { optionControl, optionRow, readNumberField } from '../ui/option-field.js';
import { toast } from '../ui/toast.js';

type Field = keyof typeof TRAINING_OPTIONS;
type NumKey = { [K in Field]: (typeof TRAINING_OPTIONS)[K]['kind'] extends 'number' ? K : never }[Field];

/** The form's number fields: every number row of the table, in its order. */
const NUMBER_FIELDS = (Object.keys(TRAINING_OPTIONS) as Field[]).filter(
  (k): k is NumKey => TRAINING_OPTIONS[k].kind === 'number',
);

export function trainingPanel(): HTMLElement {
  const inputs = new Map<NumKey, HTMLInputElement>();
  const nameInput = optionControl(TRAINING_OPTIONS.name, 'name') as HTMLInputElement;
  const gridSelect = optionControl(TRAINING_OPTIONS.grid, 'grid') as HTMLSelectElement;
  const fieldRows = NUMBER_FIELDS.map((k) => {
    const input = optionControl(TRAINING_OPTIONS[k], k) as HTMLInputElement;
    inputs.set(k, input);
    return optionRow(TRAINING_OPTIONS[k], input);
  });
  const form = h(
    'div',
    { class: 'form-grid' },
    optionRow(TRAINING_OPTIONS.name, nameInput, true, 'wide'),
    fieldRows,
    optionRow(TRAINING_OPTIONS.grid, gridSelect),
  );

  const applyDefaults = (d: TrainingOptions) => {
    nameInput.value = d.name || TRAINING_OPTIONS.name.default;
    for (const k of NUMBER_FIELDS) inputs.get(k)!.value = String(d[k]);
    gridSelect.value = d.grid;
  };

  const readOptions = (): TrainingOptions => {
    const out = {
      name: nameInput.value.trim() || TRAINING_OPTIONS.name.default,
      grid: gridSelect.value,
    } as TrainingOptions;
    for (const k of NUMBER_FIELDS)
      out[k] = readNumberField(TRAINING_OPTIONS[k], inputs.get(k)!.value, TRAINING_OPTIONS[k].label);
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
