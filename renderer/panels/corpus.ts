/**
 * Corpus panel: import (files, folder, drag and drop; with or without the sustain pedal), the file
 * list with tracks, what each import left out or changed, removal, and the bundled corpus below
 * (read-only).
 */
import type { CorpusFile } from '../../main/shared/api.js';
import { importCollected, refreshCorpus } from '../actions.js';
import { getApi } from '../api/index.js';
import { bundledCorpusSection } from './bundled-corpus.js';
import { registerCommand } from '../commands.js';
import { store } from '../state.js';
import { clear, errorMessage, formatDuration, h } from '../ui/dom.js';
import { fromDataTransfer, fromFileList } from '../ui/files.js';
import { toast } from '../ui/toast.js';

export function corpusPanel(): HTMLElement {
  const fileInput = h('input', {
    type: 'file',
    multiple: true,
    accept: '.mid,.midi,.kar,.rmi,audio/midi,audio/x-midi',
    class: 'hidden-input',
    'data-testid': 'import-files-input',
  });
  const folderInput = h('input', {
    type: 'file',
    multiple: true,
    class: 'hidden-input',
    'data-testid': 'import-folder-input',
  });
  folderInput.setAttribute('webkitdirectory', '');
  fileInput.addEventListener('change', () => {
    if (fileInput.files?.length) void importCollected(fromFileList(fileInput.files, false));
    fileInput.value = '';
  });
  folderInput.addEventListener('change', () => {
    if (folderInput.files?.length) void importCollected(fromFileList(folderInput.files, true));
    folderInput.value = '';
  });
  registerCommand('import-midi', () => fileInput.click());

  const importFilesBtn = h('button', { class: 'primary', text: 'Import MIDI files…' });
  importFilesBtn.addEventListener('click', () => fileInput.click());
  const importFolderBtn = h('button', { text: 'Import folder…' });
  importFolderBtn.addEventListener('click', () => folderInput.click());
  const sustainBox = h('input', {
    type: 'checkbox',
    checked: store.get('importSustain'),
    'data-testid': 'import-sustain',
  });
  sustainBox.addEventListener('change', () => store.set({ importSustain: sustainBox.checked }));
  const sustainToggle = h(
    'label',
    {
      class: 'import-option',
      title:
        'Piano files: notes released while the sustain pedal (CC64) is down sound on until it is lifted. Off: key-up lengths.',
    },
    sustainBox,
    h('span', { text: 'Hold notes through the sustain pedal' }),
  );
  const removeBtn = h('button', { class: 'danger', text: 'Remove selected', disabled: true });
  const selectAll = h('input', { type: 'checkbox', title: 'Select all', 'aria-label': 'Select all files' });

  const stats = h('div', { class: 'panel-stats' });
  const summary = h('div', { class: 'import-summary', 'data-testid': 'import-summary', hidden: true });
  const tbody = h('tbody');
  const emptyImport = h('button', { class: 'primary', text: 'Import MIDI files…' });
  emptyImport.addEventListener('click', () => fileInput.click());
  const emptyTry = h('button', { class: 'ghost', text: 'Or generate with a model now →' });
  emptyTry.addEventListener('click', () => store.set({ view: 'generate' }));
  const emptyRow = h(
    'div',
    { class: 'empty-state' },
    h('div', { class: 'empty-title', text: 'No MIDI files yet' }),
    h('div', {
      text: 'Import files or a folder, or drop them anywhere on this window. Every track is read; choose which tracks to learn from with the checkboxes.',
    }),
    h('div', { class: 'empty-actions' }, emptyImport, emptyTry),
  );
  const table = h(
    'table',
    { class: 'corpus-table', 'data-testid': 'corpus-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { class: 'col-check' }, selectAll),
        h('th', { text: 'File' }),
        h('th', { text: 'Tracks used for training' }),
        h('th', { class: 'num', text: 'Notes' }),
        h('th', { class: 'num', text: 'Length' }),
        h('th', { class: 'num', text: 'Tempo' }),
        h('th', { class: 'num', text: 'Meter' }),
        h('th', { text: 'Quantization' }),
        h('th', { class: 'col-actions' }),
      ),
    ),
    tbody,
  );
  const checked = new Set<string>();

  const updateRemove = () => {
    removeBtn.disabled = checked.size === 0;
    removeBtn.textContent = checked.size ? `Remove ${checked.size} selected` : 'Remove selected';
    const files = store.get('corpus');
    selectAll.checked = files.length > 0 && files.every((f) => checked.has(f.id));
  };

  const remove = async (ids: string[]) => {
    try {
      await getApi().corpusRemove(ids);
      ids.forEach((id) => checked.delete(id));
      await refreshCorpus();
      toast(`Removed ${ids.length} file${ids.length === 1 ? '' : 's'} from the corpus`, 'info');
    } catch (err) {
      toast(`Could not remove: ${errorMessage(err)}`, 'error');
    }
  };
  removeBtn.addEventListener('click', () => void remove([...checked]));
  selectAll.addEventListener('change', () => {
    for (const f of store.get('corpus')) {
      if (selectAll.checked) checked.add(f.id);
      else checked.delete(f.id);
    }
    render();
  });

  const trackList = (file: CorpusFile) => {
    if (!file.tracks.length) return h('span', { class: 'muted', text: 'no tracks with notes' });
    return h(
      'div',
      { class: 'tracks' },
      file.tracks.map((t) => {
        const box = h('input', { type: 'checkbox', checked: t.selected, 'data-track': t.index });
        box.addEventListener('change', async () => {
          const selected = file.tracks
            .filter((x) => (x.index === t.index ? box.checked : x.selected))
            .map((x) => x.index);
          box.disabled = true;
          try {
            const updated = await getApi().corpusSetTracks(file.id, selected);
            store.set({ corpus: store.get('corpus').map((f) => (f.id === updated.id ? updated : f)) });
          } catch (err) {
            box.checked = !box.checked;
            toast(`Could not change tracks of ${file.name}: ${errorMessage(err)}`, 'error');
          } finally {
            box.disabled = false;
          }
        });
        const label = t.name || `Track ${t.index + 1}`;
        return h(
          'label',
          { class: `track${t.isDrum ? ' drum' : ''}`, title: `${t.instrument} · channel ${t.channel + 1}` },
          box,
          h('span', { class: 'track-name', text: label }),
          h('span', { class: 'track-meta', text: `${t.notes} notes${t.isDrum ? ' · drums' : ''}` }),
        );
      }),
    );
  };

  const row = (file: CorpusFile) => {
    const check = h('input', {
      type: 'checkbox',
      checked: checked.has(file.id),
      'aria-label': `Select ${file.name}`,
    });
    check.addEventListener('change', () => {
      if (check.checked) checked.add(file.id);
      else checked.delete(file.id);
      updateRemove();
    });
    const del = h('button', {
      class: 'icon danger-text',
      title: `Remove ${file.name}`,
      'aria-label': `Remove ${file.name}`,
      text: '✕',
    });
    del.addEventListener('click', () => void remove([file.id]));
    const q = file.quantization;
    const dropped = file.dropped.outOfRange + file.dropped.overPolyphony;
    const warnings = file.warnings ?? [];
    const nameCell = h(
      'td',
      { class: 'file-name' },
      h('div', { text: file.name, title: file.name }),
      file.status === 'error'
        ? h('div', { class: 'file-error', text: file.error ?? 'could not be read' })
        : null,
      file.status === 'ok' && file.untrainable
        ? h('div', {
            class: 'file-untrainable warn-text',
            'data-testid': 'untrainable',
            text: file.untrainable,
          })
        : null,
      file.status === 'ok' && warnings.length
        ? h(
            'details',
            { class: 'file-warnings', 'data-testid': 'file-warnings' },
            h('summary', {
              class: 'muted',
              text: `${warnings.length} import note${warnings.length === 1 ? '' : 's'}: what was kept, changed or left out`,
            }),
            h(
              'ul',
              {},
              warnings.map((w) => h('li', { text: w })),
            ),
          )
        : null,
    );
    return h(
      'tr',
      { class: file.status === 'error' ? 'row-error' : '', 'data-file': file.name },
      h('td', { class: 'col-check' }, check),
      nameCell,
      h('td', {}, file.status === 'ok' ? trackList(file) : null),
      h('td', { class: 'num', text: file.notes }),
      h('td', { class: 'num', text: formatDuration(file.durationSeconds) }),
      h('td', { class: 'num', text: file.bpm ? `${Math.round(file.bpm)} bpm` : '–' }),
      h('td', { class: 'num', text: `${file.timeSignature[0]}/${file.timeSignature[1]}` }),
      h(
        'td',
        { class: 'quant' },
        h('span', { text: `${q.grid} grid` }),
        q.moved ? h('span', { class: 'muted', text: ` · ${q.moved} moved` }) : null,
        dropped
          ? h('span', {
              class: 'warn-text',
              text: ` · ${dropped} dropped`,
              title: `${file.dropped.outOfRange} out of range, ${file.dropped.overPolyphony} over the polyphony limit`,
            })
          : null,
      ),
      h('td', { class: 'col-actions' }, del),
    );
  };

  const render = () => {
    const files = store.get('corpus');
    for (const id of [...checked]) if (!files.some((f) => f.id === id)) checked.delete(id);
    clear(tbody);
    files.forEach((f) => tbody.append(row(f)));
    table.hidden = files.length === 0;
    emptyRow.hidden = files.length > 0;
    const ok = files.filter((f) => f.status === 'ok');
    const notes = ok.reduce(
      (s, f) => s + f.tracks.filter((t) => t.selected).reduce((a, t) => a + t.notes, 0),
      0,
    );
    const secs = ok.reduce((s, f) => s + f.durationSeconds, 0);
    stats.textContent = files.length
      ? `${files.length} file${files.length === 1 ? '' : 's'} · ${notes.toLocaleString()} notes in selected tracks · ${formatDuration(secs)} of music`
      : '';
    updateRemove();
  };

  const renderSummary = () => {
    const last = store.get('lastImport');
    clear(summary);
    summary.hidden = !last;
    if (!last) return;
    const okFiles = last.imported.filter((f) => f.status === 'ok');
    const bad = [
      ...last.imported
        .filter((f) => f.status === 'error')
        .map((f) => ({ name: f.name, reason: f.error ?? 'error' })),
      ...last.skipped,
      ...last.localSkipped,
    ];
    const close = h('button', {
      class: 'icon',
      title: 'Hide',
      'aria-label': 'Hide import summary',
      text: '✕',
    });
    close.addEventListener('click', () => store.set({ lastImport: null }));
    summary.append(
      h(
        'div',
        { class: 'summary-head' },
        h('strong', {
          text: `Last import: ${okFiles.length} imported${bad.length ? `, ${bad.length} skipped` : ''}`,
        }),
        close,
      ),
    );
    if (bad.length)
      summary.append(
        h(
          'ul',
          { class: 'skipped' },
          bad.map((b) =>
            h(
              'li',
              {},
              h('span', { class: 'skip-name', text: b.name }),
              h('span', { text: ` — ${b.reason}` }),
            ),
          ),
        ),
      );
    summary.classList.toggle('has-errors', bad.length > 0);
  };

  store.on(['corpus'], render);
  store.on(['lastImport'], renderSummary);
  render();

  return h(
    'section',
    { class: 'panel corpus-panel', 'data-testid': 'corpus-panel' },
    h(
      'header',
      { class: 'panel-head' },
      h('div', {}, h('h2', { text: 'Corpus' }), stats),
      h(
        'div',
        { class: 'toolbar' },
        sustainToggle,
        importFilesBtn,
        importFolderBtn,
        removeBtn,
        fileInput,
        folderInput,
      ),
    ),
    summary,
    h('div', { class: 'table-wrap' }, table, emptyRow),
    bundledCorpusSection((f) => store.set({ primerRequest: f.id, view: 'generate' })),
  );
}

/** Drag and drop of files and folders anywhere on the window. */
export function installDropZone(root: HTMLElement): void {
  const overlay = h(
    'div',
    { class: 'drop-overlay', hidden: true },
    h('div', { text: 'Drop MIDI files or folders to import' }),
  );
  root.append(overlay);
  let depth = 0;
  const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');
  window.addEventListener('dragenter', (e) => {
    if (!hasFiles(e)) return;
    depth++;
    overlay.hidden = false;
  });
  window.addEventListener('dragleave', (e) => {
    if (!hasFiles(e)) return;
    depth = Math.max(0, depth - 1);
    if (!depth) overlay.hidden = true;
  });
  window.addEventListener('dragover', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
  });
  window.addEventListener('drop', (e) => {
    depth = 0;
    overlay.hidden = true;
    if (!e.dataTransfer || !hasFiles(e)) return;
    e.preventDefault();
    const pending = fromDataTransfer(e.dataTransfer);
    store.set({ view: 'corpus' });
    void pending
      .then(importCollected)
      .catch((err) => toast(`Could not read the dropped files: ${errorMessage(err)}`, 'error'));
  });
}
