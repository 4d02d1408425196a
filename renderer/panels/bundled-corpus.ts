/**
 * The bundled corpus in the Corpus panel: the Bach chorales shipped with the app (the default
 * model's training data), listed read-only under the user's files. Each can be the primer of a
 * generation ("Use as primer" switches to Generate with it chosen).
 */
import type { CorpusFile } from '../../main/shared/api.js';
import { store } from '../state.js';
import { clear, formatDuration, h } from '../ui/dom.js';

export function bundledCorpusSection(usePrimer: (file: CorpusFile) => void): HTMLElement {
  const count = h('span', { class: 'muted' });
  const body = h('tbody');
  const section = h(
    'details',
    { class: 'card bundled-corpus', 'data-testid': 'bundled-corpus' },
    h(
      'summary',
      {},
      h('strong', { text: 'Bundled corpus: Bach chorales' }),
      ' ',
      count,
      h('span', {
        class: 'muted small-text',
        text: ' · read-only · public domain · the default model learned from these; use any as a primer',
      }),
    ),
    h(
      'div',
      { class: 'table-wrap bundled-wrap' },
      h(
        'table',
        { class: 'corpus-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['File', 'Voices', 'Notes', 'Length', 'Tempo', 'Meter', ''].map((t) => h('th', { text: t })),
          ),
        ),
        body,
      ),
    ),
  );
  const render = () => {
    const files = store.get('bundledCorpus');
    section.hidden = files.length === 0;
    count.textContent = `(${files.length} files)`;
    clear(body);
    for (const f of files) {
      const use = h('button', {
        class: 'small',
        text: 'Use as primer',
        title: `Generate from the first bars of ${f.name}`,
        disabled: f.status !== 'ok',
      });
      use.addEventListener('click', () => usePrimer(f));
      body.append(
        h(
          'tr',
          { 'data-file': f.name, class: f.status === 'error' ? 'row-error' : '' },
          h('td', { text: f.status === 'ok' ? f.name : `${f.name}: ${f.error ?? 'unreadable'}` }),
          h('td', { text: f.tracks.map((t) => t.name).join(', ') }),
          h('td', { class: 'num', text: f.notes }),
          h('td', { class: 'num', text: formatDuration(f.durationSeconds) }),
          h('td', { class: 'num', text: `${Math.round(f.bpm)} bpm` }),
          h('td', { class: 'num', text: `${f.timeSignature[0]}/${f.timeSignature[1]}` }),
          h('td', {}, use),
        ),
      );
    }
  };
  store.on(['bundledCorpus'], render);
  render();
  return section;
}
