/** Model library: list (bundled default first), select, rename, delete, Save Model As…, Open Model…,
 * and Import PyTorch result… (the result.json + weights.bin of scale/train.py, docs/scale.md). */
import type { ModelInfo } from '../../main/shared/api.js';
import { openModelFile, refreshModels, saveModelAs } from '../actions.js';
import { getApi } from '../api/index.js';
import { registerCommand } from '../commands.js';
import { store } from '../state.js';
import { clear, errorMessage, formatCount, h } from '../ui/dom.js';
import { task, toast } from '../ui/toast.js';
import { qualityLine } from './model-quality-line.js';

/** The chosen files of a PyTorch result folder → a new model in the library, selected. */
async function importTorchResult(files: File[]): Promise<void> {
  const t = task('Importing the PyTorch model…');
  try {
    const payload = await Promise.all(
      files.map(async (f) => ({ name: f.name, data: new Uint8Array(await f.arrayBuffer()) })),
    );
    const info = await getApi().modelImportTorch(payload);
    await refreshModels(info.id);
    toast(`Imported “${info.name}” from PyTorch`, 'success');
  } finally {
    t.done();
  }
}

export function modelsPanel(): HTMLElement {
  const openInput = h('input', {
    type: 'file',
    accept: '.ostinato,.json,.zip,application/octet-stream',
    class: 'hidden-input',
    'data-testid': 'open-model-input',
  });
  openInput.addEventListener('change', () => {
    const f = openInput.files?.[0];
    openInput.value = '';
    if (f)
      void openModelFile(f).catch((err) => toast(`Could not open ${f.name}: ${errorMessage(err)}`, 'error'));
  });
  const torchInput = h('input', {
    type: 'file',
    multiple: true,
    accept: '.json,.bin',
    class: 'hidden-input',
    'data-testid': 'import-torch-input',
  });
  torchInput.addEventListener('change', () => {
    const files = [...(torchInput.files ?? [])];
    torchInput.value = '';
    if (files.length)
      void importTorchResult(files).catch((err) =>
        toast(
          `Could not import the PyTorch model: ${errorMessage(err).replace(/^Could not import the PyTorch model: /, '')}`,
          'error',
        ),
      );
  });
  const torchBtn = h('button', {
    text: 'Import PyTorch result…',
    title: 'Choose result.json and weights.bin of a scale/train.py run',
  });
  torchBtn.addEventListener('click', () => torchInput.click());
  const openBtn = h('button', { text: 'Open model…' });
  openBtn.addEventListener('click', () => openInput.click());
  const saveBtn = h('button', { class: 'primary', text: 'Save model as…', 'data-testid': 'save-model' });
  saveBtn.addEventListener(
    'click',
    () => void saveModelAs().catch((err) => toast(`Could not save the model: ${errorMessage(err)}`, 'error')),
  );
  registerCommand('open-model', () => openInput.click());
  registerCommand('save-model-as', () => saveModelAs());

  const list = h('div', { class: 'model-list', 'data-testid': 'model-list' });
  const editing = new Set<string>();
  const confirming = new Set<string>();

  const card = (m: ModelInfo) => {
    const selected = store.get('selectedModelId') === m.id;
    const radio = h('input', {
      type: 'radio',
      name: 'model',
      checked: selected,
      'aria-label': `Select ${m.name}`,
    });
    radio.addEventListener('change', () => store.set({ selectedModelId: m.id }));
    let title: HTMLElement;
    if (editing.has(m.id)) {
      const input = h('input', { type: 'text', value: m.name, maxlength: 80, class: 'rename-input' });
      const commit = async () => {
        const name = input.value.trim();
        editing.delete(m.id);
        if (!name || name === m.name) return render();
        try {
          await getApi().modelRename(m.id, name);
          await refreshModels();
        } catch (err) {
          toast(`Could not rename: ${errorMessage(err)}`, 'error');
          render();
        }
      };
      input.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') void commit();
        if (e.key === 'Escape') {
          editing.delete(m.id);
          render();
        }
      });
      input.addEventListener('blur', () => void commit());
      queueMicrotask(() => input.focus());
      title = input;
    } else {
      title = h('div', { class: 'model-name', text: m.name });
    }
    const actions = h('div', { class: 'model-actions' });
    if (!m.bundled) {
      const rename = h('button', { class: 'ghost small', text: 'Rename' });
      rename.addEventListener('click', () => {
        editing.add(m.id);
        render();
      });
      actions.append(rename);
      if (confirming.has(m.id)) {
        const yes = h('button', { class: 'danger small', text: 'Delete for good' });
        const no = h('button', { class: 'ghost small', text: 'Keep' });
        yes.addEventListener('click', async () => {
          confirming.delete(m.id);
          try {
            await getApi().modelDelete(m.id);
            await refreshModels();
            toast(`Deleted “${m.name}”`, 'info');
          } catch (err) {
            toast(`Could not delete: ${errorMessage(err)}`, 'error');
            render();
          }
        });
        no.addEventListener('click', () => {
          confirming.delete(m.id);
          render();
        });
        actions.append(yes, no);
      } else {
        const del = h('button', { class: 'ghost small danger-text', text: 'Delete' });
        del.addEventListener('click', () => {
          confirming.add(m.id);
          render();
        });
        actions.append(del);
      }
    }
    const save = h('button', { class: 'ghost small', text: 'Save as…' });
    save.addEventListener(
      'click',
      () =>
        void saveModelAs(m.id).catch((err) =>
          toast(`Could not save the model: ${errorMessage(err)}`, 'error'),
        ),
    );
    actions.append(save);
    const facts = [
      `${m.epochs} epoch${m.epochs === 1 ? '' : 's'}`,
      `${formatCount(m.parameters)} parameters`,
      `vocabulary ${m.vocabSize}`,
      `${m.grid} grid`,
      `${m.corpusFiles} corpus file${m.corpusFiles === 1 ? '' : 's'}`,
    ];
    const date = new Date(m.createdAt);
    const el = h(
      'label',
      { class: `model-card${selected ? ' selected' : ''}`, 'data-model': m.id },
      radio,
      h(
        'div',
        { class: 'model-body' },
        h(
          'div',
          { class: 'model-title' },
          title,
          m.bundled ? h('span', { class: 'badge', text: 'bundled' }) : null,
        ),
        h('div', { class: 'model-facts', text: facts.join(' · ') }),
        qualityLine(m, 'model-quality'),
        h('div', {
          class: 'muted small-text',
          text: Number.isNaN(date.getTime()) ? '' : `created ${date.toLocaleString()}`,
        }),
      ),
      actions,
    );
    return el;
  };

  const render = () => {
    clear(list);
    const models = store.get('models');
    if (!models.length)
      list.append(
        h(
          'div',
          { class: 'empty-state' },
          h('div', { class: 'empty-title', text: 'No models yet' }),
          h('div', { text: 'Train one, or open a model file.' }),
        ),
      );
    models.forEach((m) => list.append(card(m)));
    saveBtn.disabled = !store.get('selectedModelId');
  };
  store.on(['models', 'selectedModelId'], render);
  render();

  return h(
    'section',
    { class: 'panel models-panel', 'data-testid': 'models-panel' },
    h(
      'header',
      { class: 'panel-head' },
      h(
        'div',
        {},
        h('h2', { text: 'Model library' }),
        h('div', {
          class: 'panel-stats',
          text: 'The selected model is used to generate and to resume training.',
        }),
      ),
      h('div', { class: 'toolbar' }, openBtn, torchBtn, saveBtn, openInput, torchInput),
    ),
    list,
  );
}
