/**
 * Generate panel: the model, the primer (generate-primer.ts), the settings (generate-form.ts), the
 * Generate action and its commands, the piano roll and the variations (variations-list.ts).
 */
import type { GenerateOptions } from '../../main/shared/api.js';
import { qualityLine } from './model-quality-line.js';
import { getApi } from '../api/index.js';
import { registerCommand } from '../commands.js';
import { resetHistory } from '../edit/editing.js';
import { continuePrimer } from '../edit/primer.js';
import { rollToolbar } from '../pianoroll/roll-toolbar.js';
import { syncMidi } from './piece-midi.js';
import type { PianoRoll } from '../pianoroll/view.js';
import { store } from '../state.js';
import { clear, errorMessage, h } from '../ui/dom.js';
import { task, toast } from '../ui/toast.js';
import { generateForm } from './generate-form.js';
import { primerPicker } from './generate-primer.js';
import { variationsList, type VariationHooks } from './variations-list.js';

export interface GenerateHooks extends VariationHooks {
  roll: PianoRoll;
}

function field(label: string, controls: HTMLElement[], title: string): HTMLElement {
  return h('label', { class: 'field', title }, h('span', { class: 'field-label', text: label }), controls);
}

/** The model select (the library's selection) with its quality line; `genBtn` is enabled by it. */
function modelPicker(genBtn: HTMLButtonElement): HTMLElement {
  const select = h('select', { 'data-field': 'model' });
  const noModel = h('span', {
    class: 'field-help warn-text',
    text: 'Train a model on your corpus (Train) or open a model file (Models) first.',
  });
  const quality = h('div', { class: 'quality-slot' });
  select.addEventListener('change', () => store.set({ selectedModelId: select.value }));
  const render = () => {
    clear(select);
    const models = store.get('models');
    for (const m of models)
      select.append(h('option', { value: m.id, text: m.bundled ? `${m.name} (bundled)` : m.name }));
    if (!models.length) select.append(h('option', { value: '', text: 'No models yet' }));
    select.value = store.get('selectedModelId') ?? '';
    noModel.hidden = models.length > 0;
    quality.replaceChildren(qualityLine(store.selectedModel(), 'generate-quality'));
    genBtn.disabled = store.get('generating') || !store.get('selectedModelId');
  };
  store.on(['models', 'selectedModelId', 'generating'], render);
  render();
  return field(
    'Model',
    [select, noModel, quality],
    'Choose in the library; the bundled model is trained on Bach chorales.',
  );
}

/** Asks the host for the pieces, showing the time it takes on the button and in a task toast. */
async function runGeneration(options: GenerateOptions, genBtn: HTMLButtonElement): Promise<void> {
  store.set({ generating: true });
  const label = `Generating ${options.variations} variation${options.variations === 1 ? '' : 's'} of ${options.bars} bars…`;
  const t = task(label);
  const started = performance.now();
  const timer = setInterval(() => {
    const s = Math.round((performance.now() - started) / 1000);
    genBtn.textContent = `Generating… ${s}s`;
    t.update(null, `${label} ${s}s`);
  }, 500);
  genBtn.textContent = 'Generating…';
  try {
    const pieces = await getApi().generate(options);
    if (!pieces.length) throw new Error('the model returned no music');
    await syncMidi(pieces);
    resetHistory();
    store.set({ pieces, selectedPieceId: pieces[0]!.id });
    const notes = pieces.reduce((s, p) => s + p.notes.length, 0);
    toast(
      `Generated ${pieces.length} variation${pieces.length === 1 ? '' : 's'} (${notes} notes) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      'success',
    );
  } catch (err) {
    toast(`Generation failed: ${errorMessage(err)}`, 'error');
  } finally {
    clearInterval(timer);
    t.done();
    genBtn.textContent = 'Generate';
    store.set({ generating: false });
  }
}

/** "Continue from here": the selected notes or the loop region of the selected piece, or null. */
function primerHere(): GenerateOptions['primer'] | null {
  const piece = store.selectedPiece();
  return piece ? continuePrimer(piece, store.selectedNotes(), store.get('loopRegion')) : null;
}

/** Generate, Continue from here and the previous / next variation keys. */
function registerGenerateCommands(generate: (primer?: GenerateOptions['primer']) => Promise<void>): void {
  registerCommand(
    'continue-from-here',
    () => {
      const primer = primerHere();
      if (!primer) throw new Error('Select some notes or set a loop region on the ruler first.');
      return generate(primer);
    },
    () => store.get('view') === 'generate' && !store.get('generating') && !!primerHere(),
  );
  registerCommand(
    'generate',
    () => {
      store.set({ view: 'generate' });
      return generate();
    },
    () => !store.get('generating'),
  );
  const step = (by: number) => {
    const pieces = store.get('pieces');
    const at = pieces.findIndex((p) => p.id === store.get('selectedPieceId'));
    const next = pieces[Math.max(0, Math.min(pieces.length - 1, at + by))];
    if (next) store.set({ selectedPieceId: next.id });
  };
  const hasPieces = () => store.get('view') === 'generate' && store.get('pieces').length > 0;
  registerCommand('select-previous', () => step(-1), hasPieces);
  registerCommand('select-next', () => step(1), hasPieces);
}

export function generatePanel(hooks: GenerateHooks): HTMLElement {
  const genBtn = h('button', { class: 'primary big-btn', text: 'Generate', 'data-testid': 'generate' });
  const settings = generateForm();
  const primer = primerPicker(settings.adoptKey);
  const form = h(
    'div',
    { class: 'gen-form' },
    modelPicker(genBtn),
    field('Primer', primer.controls, 'Music the model continues from.'),
    settings.rows,
    genBtn,
  );

  const readOptions = (): GenerateOptions => {
    const modelId = store.get('selectedModelId');
    if (!modelId) throw new Error('Select a model first (Model library).');
    return { modelId, primer: primer.read(), ...settings.read(), tempo: store.get('tempo') };
  };
  /** Generates with the form's options (a primer given replaces the form's: Continue from here). */
  const generate = async (given?: GenerateOptions['primer']) => {
    let options: GenerateOptions;
    try {
      options = { ...readOptions(), ...(given ? { primer: given } : {}) };
    } catch (err) {
      toast(errorMessage(err), 'error');
      return;
    }
    await runGeneration(options, genBtn);
  };
  genBtn.addEventListener('click', () => void generate());
  registerGenerateCommands(generate);

  store.on(['primerRequest'], () => {
    const id = store.get('primerRequest');
    if (!id) return;
    store.set({ primerRequest: null });
    primer.useCorpusFile(id);
  });
  const results = variationsList(hooks);
  store.on(['pieces'], () => void syncMidi(store.get('pieces')));
  store.on(['selectedPieceId', 'pieces'], () => hooks.roll.setPiece(store.selectedPiece()));

  return h(
    'section',
    { class: 'panel generate-panel', 'data-testid': 'generate-panel' },
    h(
      'header',
      { class: 'panel-head' },
      h(
        'div',
        {},
        h('h2', { text: 'Generate' }),
        h('div', { class: 'panel-stats', text: 'New melodies and chord passages from the selected model.' }),
      ),
    ),
    h(
      'div',
      { class: 'gen-layout' },
      h('div', { class: 'card gen-options' }, form),
      h(
        'div',
        { class: 'gen-main' },
        h(
          'div',
          { class: 'card roll-card' },
          rollToolbar(() => !!primerHere()),
          hooks.roll.element,
        ),
        h(
          'div',
          { class: 'card' },
          h('div', { class: 'card-head' }, h('h3', { text: 'Variations' })),
          results,
        ),
      ),
    ),
  );
}
