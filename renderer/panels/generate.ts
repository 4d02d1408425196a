/** Generate panel: options (primer, length, sampling, seed, tempo, key/scale, variations) and results. */
import type { GeneratedPiece, GenerateOptions, ImportFile, ScaleName } from '../../main/shared/api.js';
// Browser-safe module of the core: the key names it reads.
import { PITCH_CLASS_NAMES } from '../../model/common/transpose.js';
import { DEFAULT_SAMPLING } from '../../model/common/generate-options.js';
import { setTempo } from '../actions.js';
import { qualityLine } from './model-quality-line.js';
import { getApi } from '../api/index.js';
import { pieceLength } from '../audio/schedule.js';
import { registerCommand } from '../commands.js';
import { deletePiece, resetHistory } from '../edit/editing.js';
import { continuePrimer } from '../edit/primer.js';
import { rollToolbar } from '../pianoroll/roll-toolbar.js';
import { preparedMidi, syncMidi } from './piece-midi.js';
import type { PianoRoll } from '../pianoroll/view.js';
import { store } from '../state.js';
import { clear, errorMessage, formatDuration, h } from '../ui/dom.js';
import { task, toast } from '../ui/toast.js';

/** The label of every scale the core knows (the type makes the list complete). */
const SCALE_LABELS: Record<ScaleName, string> = {
  none: 'Any',
  major: 'Major',
  minor: 'Natural minor',
  dorian: 'Dorian',
  mixolydian: 'Mixolydian',
  pentatonic: 'Major pentatonic',
  blues: 'Blues',
};

function field(
  label: string,
  control: HTMLElement | HTMLElement[],
  help?: string,
  cls = '',
  title?: string,
): HTMLElement {
  return h(
    'label',
    { class: `field ${cls}`, title },
    h('span', { class: 'field-label', text: label }),
    control,
    help ? h('span', { class: 'field-help', text: help }) : null,
  );
}

function num(value: number, min: number, max: number, step: number, testid: string): HTMLInputElement {
  return h('input', { type: 'number', value, min, max, step, 'data-field': testid });
}

export interface GenerateHooks {
  roll: PianoRoll;
  play(piece: GeneratedPiece): void;
  exportMidi(piece: GeneratedPiece): void;
}

export function generatePanel(hooks: GenerateHooks): HTMLElement {
  const modelSelect = h('select', { 'data-field': 'model' });
  const noModel = h('span', {
    class: 'field-help warn-text',
    text: 'Train a model on your corpus (Train) or open a model file (Models) first.',
  });
  modelSelect.addEventListener('change', () => store.set({ selectedModelId: modelSelect.value }));
  const quality = h('div', { class: 'quality-slot' });

  const primerKind = h(
    'select',
    { 'data-field': 'primer' },
    h('option', { value: 'none', text: 'None: start from silence' }),
    h('option', { value: 'corpus', text: 'First bars of a corpus file' }),
    h('option', { value: 'file', text: 'A MIDI file…' }),
  );
  const primerCorpus = h('select', { 'data-field': 'primer-file' });
  const primerBars = num(2, 1, 32, 1, 'primer-bars');
  const primerInput = h('input', {
    type: 'file',
    accept: '.mid,.midi,.kar,.rmi',
    class: 'hidden-input',
    'data-testid': 'primer-input',
  });
  const primerPick = h('button', { class: 'small', text: 'Choose MIDI file…' });
  const primerName = h('span', { class: 'muted small-text', text: 'no file chosen' });
  let primerFile: ImportFile | null = null;
  primerPick.addEventListener('click', () => primerInput.click());
  primerInput.addEventListener('change', async () => {
    const f = primerInput.files?.[0];
    primerInput.value = '';
    if (!f) return;
    try {
      primerFile = { name: f.name, data: new Uint8Array(await f.arrayBuffer()) };
      primerName.textContent = f.name;
    } catch (err) {
      toast(`Could not read ${f.name}: ${errorMessage(err)}`, 'error');
      return;
    }
    void adoptPrimer();
  });
  const primerSummary = h('div', { class: 'field-help', 'data-testid': 'primer-info' });
  /** The chosen primer's tempo, meter and key become the defaults (the tempo is the transport's). */
  let asked = 0;
  const adoptPrimer = async () => {
    const primer = currentPrimer();
    primerSummary.textContent = '';
    if (!primer) return;
    const ticket = ++asked;
    try {
      const info = await getApi().primerInfo(primer);
      if (ticket !== asked) return;
      setTempo(info.bpm);
      key.value = info.key;
      if (scale.value === 'major' || scale.value === 'minor') scale.value = info.scale;
      primerSummary.textContent = `${Math.round(info.bpm)} bpm · ${info.timeSignature.join('/')} · ${info.key} ${info.scale}: the tempo, meter and key of the result`;
    } catch (err) {
      if (ticket === asked) primerSummary.textContent = `Could not read the primer: ${errorMessage(err)}`;
    }
  };
  /** The primer as chosen so far (bars aside), or null when none is complete. */
  const currentPrimer = (): GenerateOptions['primer'] | null => {
    if (primerKind.value === 'corpus' && primerCorpus.value)
      return { kind: 'corpus', fileId: primerCorpus.value, bars: 1 };
    if (primerKind.value === 'file' && primerFile) return { kind: 'file', file: primerFile, bars: 1 };
    return null;
  };
  primerCorpus.addEventListener('change', () => void adoptPrimer());
  const corpusRow = h('div', { class: 'inline' }, primerCorpus);
  const fileRow = h('div', { class: 'inline' }, primerPick, primerName, primerInput);
  const barsRow = h(
    'div',
    { class: 'inline' },
    h('span', { class: 'muted small-text', text: 'primer bars' }),
    primerBars,
  );
  const updatePrimer = () => {
    corpusRow.hidden = primerKind.value !== 'corpus';
    fileRow.hidden = primerKind.value !== 'file';
    barsRow.hidden = primerKind.value === 'none';
  };
  primerKind.addEventListener('change', () => {
    updatePrimer();
    void adoptPrimer();
  });
  updatePrimer();

  const bars = num(8, 1, 256, 1, 'bars');
  const temperature = h('input', {
    type: 'range',
    min: 0.1,
    max: 2,
    step: 0.05,
    value: DEFAULT_SAMPLING.temperature,
    'data-field': 'temperature',
  });
  const tempOut = h('output', { class: 'range-value', text: DEFAULT_SAMPLING.temperature.toFixed(2) });
  temperature.addEventListener('input', () => (tempOut.textContent = Number(temperature.value).toFixed(2)));
  const topK = num(DEFAULT_SAMPLING.topK, 0, 500, 1, 'topk');
  const topP = num(DEFAULT_SAMPLING.topP, 0.05, 1, 0.01, 'topp');
  const seed = num(Math.floor(Math.random() * 1e6), 0, 2 ** 31 - 1, 1, 'seed');
  const dice = h('button', {
    class: 'icon-btn dice',
    title: 'Roll a new seed',
    'aria-label': 'Roll a new seed',
    text: '⚄ New',
  });
  dice.addEventListener('click', () => (seed.value = String(Math.floor(Math.random() * 2 ** 31))));
  const key = h(
    'select',
    { 'data-field': 'key' },
    PITCH_CLASS_NAMES.map((k) => h('option', { value: k, text: k })),
  );
  const scale = h(
    'select',
    { 'data-field': 'scale' },
    Object.entries(SCALE_LABELS).map(([value, label]) => h('option', { value, text: label })),
  );
  const variations = num(3, 1, 8, 1, 'variations');

  const genBtn = h('button', { class: 'primary big-btn', text: 'Generate', 'data-testid': 'generate' });
  const form = h(
    'div',
    { class: 'gen-form' },
    field(
      'Model',
      [modelSelect, noModel, quality],
      undefined,
      '',
      'Choose in the library; the bundled model is trained on Bach chorales.',
    ),
    field(
      'Primer',
      [primerKind, corpusRow, fileRow, barsRow, primerSummary],
      undefined,
      '',
      'Music the model continues from.',
    ),
    h(
      'div',
      { class: 'two' },
      field('Bars', bars, undefined, '', 'Bars to generate (after the primer, if any).'),
      field('Variations', variations, undefined, '', 'How many pieces, from consecutive seeds.'),
    ),
    field(
      'Temperature',
      h('div', { class: 'inline' }, temperature, tempOut),
      'Low = safe and repetitive, high = adventurous.',
    ),
    h(
      'div',
      { class: 'two' },
      field('Top-k', topK, undefined, '', 'Sample only from the k likeliest events (0 = off).'),
      field(
        'Top-p',
        topP,
        undefined,
        '',
        'Sample from the smallest set of events with this much probability (1 = off).',
      ),
    ),
    field('Seed', h('div', { class: 'inline' }, seed, dice), 'Same seed and settings = same music.'),
    h(
      'div',
      { class: 'two' },
      field('Key', key, undefined, '', 'Tonic of the scale below.'),
      field('Scale', scale, undefined, '', 'Keeps notes in the scale of the key (Any = no constraint).'),
    ),
    genBtn,
  );

  const results = h('div', { class: 'variations', 'data-testid': 'variations' });

  const renderModels = () => {
    clear(modelSelect);
    const models = store.get('models');
    for (const m of models)
      modelSelect.append(h('option', { value: m.id, text: m.bundled ? `${m.name} (bundled)` : m.name }));
    if (!models.length) modelSelect.append(h('option', { value: '', text: 'No models yet' }));
    modelSelect.value = store.get('selectedModelId') ?? '';
    noModel.hidden = models.length > 0;
    quality.replaceChildren(qualityLine(store.selectedModel(), 'generate-quality'));
    genBtn.disabled = store.get('generating') || !store.get('selectedModelId');
  };
  const renderCorpus = () => {
    const prev = primerCorpus.value;
    clear(primerCorpus);
    const ok = store.get('corpus').filter((f) => f.status === 'ok');
    const bundled = store.get('bundledCorpus').filter((f) => f.status === 'ok');
    if (!ok.length && !bundled.length)
      primerCorpus.append(h('option', { value: '', text: 'Import MIDI files first' }));
    const group = (label: string, files: typeof ok) =>
      files.length
        ? primerCorpus.append(
            h(
              'optgroup',
              { label },
              files.map((f) => h('option', { value: f.id, text: f.name })),
            ),
          )
        : undefined;
    group('Your corpus', ok);
    group('Bundled Bach chorales', bundled);
    if ([...ok, ...bundled].some((f) => f.id === prev)) primerCorpus.value = prev;
  };

  const renderResults = () => {
    clear(results);
    const pieces = store.get('pieces');
    if (!pieces.length) {
      results.append(
        h(
          'div',
          { class: 'empty-state' },
          h('div', { class: 'empty-title', text: 'No variations yet' }),
          h('div', {
            text: 'Press Generate. Each variation can be played, exported or dragged into your DAW.',
          }),
        ),
      );
      return;
    }
    pieces.forEach((p, i) => {
      const selected = p.id === store.get('selectedPieceId');
      const playBtn = h('button', {
        class: 'icon-btn',
        title: `Play ${p.name}`,
        'aria-label': `Play ${p.name}`,
        text: '▶',
      });
      playBtn.addEventListener('click', (e) => {
        e.stopPropagation();
        store.set({ selectedPieceId: p.id });
        hooks.play(p);
      });
      const midiBtn = h('button', {
        class: 'var-export',
        title: `Export ${p.name} as a MIDI file`,
        'aria-label': `Export ${p.name} as MIDI`,
        'data-testid': 'variation-midi',
        text: '⤓ MIDI',
      });
      midiBtn.addEventListener('click', (e) => {
        e.stopPropagation();
        hooks.exportMidi(p);
      });
      const deleteBtn = h('button', {
        class: 'icon-btn var-delete',
        title: `Delete ${p.name} (Delete with no notes selected; Ctrl/⌘+Z brings it back)`,
        'aria-label': `Delete ${p.name}`,
        'data-testid': 'variation-delete',
        text: '×',
      });
      deleteBtn.addEventListener('click', (e) => {
        e.stopPropagation();
        deletePiece(p.id);
      });
      const item = h(
        'div',
        {
          class: `variation${selected ? ' selected' : ''}`,
          draggable: 'true',
          tabindex: 0,
          role: 'button',
          'aria-pressed': String(selected),
          'data-piece': p.id,
          title: 'Click to select · drag into a DAW or onto the desktop to save as MIDI',
        },
        h('div', { class: 'var-index', text: String(i + 1) }),
        h(
          'div',
          { class: 'var-body' },
          h('div', { class: 'var-name', text: p.name }),
          h('div', {
            class: 'var-meta',
            text: `seed ${p.seed} · ${p.notes.length} notes · ${p.bars} bars · ${formatDuration(pieceLength(p))} at ${Math.round(p.bpm)} bpm`,
          }),
        ),
        playBtn,
        midiBtn,
        deleteBtn,
      );
      item.addEventListener('click', () => store.set({ selectedPieceId: p.id }));
      item.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') store.set({ selectedPieceId: p.id });
      });
      item.addEventListener('dragstart', (e) => {
        const prepared = preparedMidi(p.id);
        if (prepared && e.dataTransfer) {
          e.dataTransfer.setData('DownloadURL', `audio/midi:${prepared.name}:${prepared.url}`);
          e.dataTransfer.setData('text/uri-list', prepared.url);
          e.dataTransfer.effectAllowed = 'copy';
        }
        if (store.get('info')?.host === 'electron') e.preventDefault(); // the native drag takes over
        void getApi()
          .startDrag(p)
          .catch((err) => toast(`Could not drag ${p.name}: ${errorMessage(err)}`, 'error'));
      });
      results.append(item);
    });
  };

  const readOptions = (): GenerateOptions => {
    const modelId = store.get('selectedModelId');
    if (!modelId) throw new Error('Select a model first (Model library).');
    const n = (el: HTMLInputElement, label: string) => {
      const v = Number(el.value);
      if (el.value.trim() === '' || !Number.isFinite(v)) throw new Error(`${label} must be a number.`);
      const min = Number(el.min);
      const max = Number(el.max);
      if (v < min || v > max) throw new Error(`${label} must be between ${min} and ${max}.`);
      return v;
    };
    let primer: GenerateOptions['primer'] = { kind: 'none' };
    if (primerKind.value === 'corpus') {
      if (!primerCorpus.value)
        throw new Error('Choose a corpus file for the primer (import MIDI files first).');
      primer = { kind: 'corpus', fileId: primerCorpus.value, bars: n(primerBars, 'Primer bars') };
    } else if (primerKind.value === 'file') {
      if (!primerFile) throw new Error('Choose a MIDI file for the primer.');
      primer = { kind: 'file', file: primerFile, bars: n(primerBars, 'Primer bars') };
    }
    return {
      modelId,
      primer,
      bars: Math.round(n(bars, 'Bars')),
      temperature: Number(temperature.value),
      topK: Math.round(n(topK, 'Top-k')),
      topP: n(topP, 'Top-p'),
      seed: Math.round(n(seed, 'Seed')),
      tempo: store.get('tempo'),
      key: key.value,
      scale: scale.value as ScaleName,
      variations: Math.round(n(variations, 'Variations')),
    };
  };

  /** Generates with the form's options (a primer given replaces the form's: Continue from here). */
  const generate = async (primer?: GenerateOptions['primer']) => {
    let options: GenerateOptions;
    try {
      options = { ...readOptions(), ...(primer ? { primer } : {}) };
    } catch (err) {
      toast(errorMessage(err), 'error');
      return;
    }
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
  };
  genBtn.addEventListener('click', () => void generate());
  const primerHere = () => {
    const piece = store.selectedPiece();
    return piece ? continuePrimer(piece, store.selectedNotes(), store.get('loopRegion')) : null;
  };
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

  store.on(['models', 'selectedModelId', 'generating'], renderModels);
  store.on(['corpus', 'bundledCorpus'], renderCorpus);
  store.on(['primerRequest'], () => {
    const id = store.get('primerRequest');
    if (!id) return;
    store.set({ primerRequest: null });
    primerKind.value = 'corpus';
    updatePrimer();
    primerCorpus.value = id;
    void adoptPrimer();
  });
  store.on(['pieces', 'selectedPieceId'], renderResults);
  store.on(['pieces'], () => void syncMidi(store.get('pieces')));
  store.on(['selectedPieceId', 'pieces'], () => hooks.roll.setPiece(store.selectedPiece()));
  renderModels();
  renderCorpus();
  renderResults();

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
