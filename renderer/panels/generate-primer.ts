/**
 * The Generate panel's primer: none, the first bars of a corpus file (the user's or a bundled
 * chorale) or a MIDI file; once chosen, its tempo, meter and key become the defaults.
 */
import type { GenerateOptions, ImportFile } from '../../main/shared/api.js';
// The browser-safe part of the core: the primer's row of the option table.
import { PRIMER_OPTIONS } from '../../model/common/generate-options.js';
import { setTempo } from '../actions.js';
import { getApi } from '../api/index.js';
import { store } from '../state.js';
import { clear, errorMessage, h } from '../ui/dom.js';
import { optionControl, readNumberField } from '../ui/option-field.js';
import { toast } from '../ui/toast.js';

type Primer = GenerateOptions['primer'];

export interface PrimerPicker {
  /** The Primer field's controls. */
  controls: HTMLElement[];
  /** The primer as chosen; throws an Error when it is incomplete or its bars are out of bounds. */
  read(): Primer;
  /** Chooses the corpus file `id` (the corpus panel's "Use as primer"). */
  useCorpusFile(id: string): void;
}

function corpusSelect(): { select: HTMLSelectElement; render(): void } {
  const select = h('select', { 'data-field': 'primer-file' });
  const render = () => {
    const prev = select.value;
    clear(select);
    const ok = store.get('corpus').filter((f) => f.status === 'ok');
    const bundled = store.get('bundledCorpus').filter((f) => f.status === 'ok');
    if (!ok.length && !bundled.length)
      select.append(h('option', { value: '', text: 'Import MIDI files first' }));
    const group = (label: string, files: typeof ok) => {
      if (files.length)
        select.append(
          h(
            'optgroup',
            { label },
            files.map((f) => h('option', { value: f.id, text: f.name })),
          ),
        );
    };
    group('Your corpus', ok);
    group('Bundled Bach chorales', bundled);
    if ([...ok, ...bundled].some((f) => f.id === prev)) select.value = prev;
  };
  return { select, render };
}

/** `adoptKey` receives the key of each primer chosen (its tempo goes to the transport). */
export function primerPicker(adoptKey: (key: string, mode: 'major' | 'minor') => void): PrimerPicker {
  const kind = h(
    'select',
    { 'data-field': 'primer' },
    h('option', { value: 'none', text: 'None: start from silence' }),
    h('option', { value: 'corpus', text: 'First bars of a corpus file' }),
    h('option', { value: 'file', text: 'A MIDI file…' }),
  );
  const corpus = corpusSelect();
  const bars = optionControl(PRIMER_OPTIONS.bars, 'primer-bars') as HTMLInputElement;
  const input = h('input', {
    type: 'file',
    accept: '.mid,.midi,.kar,.rmi',
    class: 'hidden-input',
    'data-testid': 'primer-input',
  });
  const pick = h('button', { class: 'small', text: 'Choose MIDI file…' });
  const fileName = h('span', { class: 'muted small-text', text: 'no file chosen' });
  const summary = h('div', { class: 'field-help', 'data-testid': 'primer-info' });
  let file: ImportFile | null = null;

  /** The primer as chosen so far (bars aside), or null when none is complete. */
  const chosen = (): Primer | null => {
    if (kind.value === 'corpus' && corpus.select.value)
      return { kind: 'corpus', fileId: corpus.select.value, bars: 1 };
    if (kind.value === 'file' && file) return { kind: 'file', file, bars: 1 };
    return null;
  };
  let asked = 0;
  const adopt = async () => {
    const primer = chosen();
    summary.textContent = '';
    if (!primer) return;
    const ticket = ++asked;
    try {
      const info = await getApi().primerInfo(primer);
      if (ticket !== asked) return;
      setTempo(info.bpm);
      adoptKey(info.key, info.scale);
      summary.textContent = `${Math.round(info.bpm)} bpm · ${info.timeSignature.join('/')} · ${info.key} ${info.scale}: the tempo, meter and key of the result`;
    } catch (err) {
      if (ticket === asked) summary.textContent = `Could not read the primer: ${errorMessage(err)}`;
    }
  };

  pick.addEventListener('click', () => input.click());
  input.addEventListener('change', async () => {
    const f = input.files?.[0];
    input.value = '';
    if (!f) return;
    try {
      file = { name: f.name, data: new Uint8Array(await f.arrayBuffer()) };
      fileName.textContent = f.name;
    } catch (err) {
      toast(`Could not read ${f.name}: ${errorMessage(err)}`, 'error');
      return;
    }
    void adopt();
  });
  corpus.select.addEventListener('change', () => void adopt());
  const corpusRow = h('div', { class: 'inline' }, corpus.select);
  const fileRow = h('div', { class: 'inline' }, pick, fileName, input);
  const barsRow = h(
    'div',
    { class: 'inline' },
    h('span', { class: 'muted small-text', text: 'primer bars' }),
    bars,
  );
  const showKind = () => {
    corpusRow.hidden = kind.value !== 'corpus';
    fileRow.hidden = kind.value !== 'file';
    barsRow.hidden = kind.value === 'none';
  };
  kind.addEventListener('change', () => {
    showKind();
    void adopt();
  });
  showKind();
  store.on(['corpus', 'bundledCorpus'], corpus.render);
  corpus.render();

  const readBars = () => readNumberField(PRIMER_OPTIONS.bars, bars.value, PRIMER_OPTIONS.bars.label);
  return {
    controls: [kind, corpusRow, fileRow, barsRow, summary],
    read: () => {
      if (kind.value === 'corpus') {
        if (!corpus.select.value)
          throw new Error('Choose a corpus file for the primer (import MIDI files first).');
        return { kind: 'corpus', fileId: corpus.select.value, bars: readBars() };
      }
      if (kind.value === 'file') {
        if (!file) throw new Error('Choose a MIDI file for the primer.');
        return { kind: 'file', file, bars: readBars() };
      }
      return { kind: 'none' };
    },
    useCorpusFile: (id) => {
      kind.value = 'corpus';
      showKind();
      corpus.select.value = id;
      void adopt();
    },
  };
}
