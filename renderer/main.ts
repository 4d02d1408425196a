/** Entry point: builds the window (header, panels, transport), loads state from the host. */
import type { HostNotice, MenuCommand } from '../main/shared/api.js';
import { exportMidi, refreshCorpus, refreshModels } from './actions.js';
import { getApi, onConnection, type ConnectionState } from './api/index.js';
import { Player } from './audio/player.js';
import { registerCommand, runCommand } from './commands.js';
import { corpusPanel, installDropZone } from './panels/corpus.js';
import { generatePanel } from './panels/generate.js';
import { modelsPanel } from './panels/models.js';
import { installProjects, recentMenu, showOpened } from './panels/projects.js';
import { restoreSession } from './session.js';
import { listenTraining, trainingPanel } from './panels/training.js';
import { rollSeek, transportBar } from './panels/transport.js';
import { registerEditCommands } from './edit/edit-commands.js';
import { installRollInput } from './pianoroll/roll-input.js';
import { PianoRoll } from './pianoroll/view.js';
import { installShortcuts } from './shortcuts.js';
import { store, type AppState } from './state.js';
import { errorMessage, h } from './ui/dom.js';
import { shortcutSheet } from './ui/shortcut-sheet.js';
import { toast } from './ui/toast.js';

function aboutDialog(): HTMLDialogElement {
  const version = h('span', { text: '…' });
  const backend = h('span', { text: '…' });
  const dir = h('code', { text: '' });
  store.on(['info'], () => {
    const i = store.get('info');
    version.textContent = i?.version ?? '?';
    backend.textContent = i ? `${i.backend} · ${i.host}` : '?';
    dir.textContent = i?.userDataDir ?? '';
  });
  const close = h('button', { class: 'primary', text: 'Close' });
  const dlg = h(
    'dialog',
    { class: 'about' },
    h('h2', { text: 'Ostinato' }),
    h('p', {}, 'Version ', version, ' · backend ', backend),
    h('p', {
      text: 'Learns from your own MIDI files with an LSTM, writes new melodies and chord passages, plays them and exports MIDI.',
    }),
    h('p', { class: 'muted' }, 'Your data: ', dir),
    h('h3', { text: 'Credits' }),
    h(
      'ul',
      {},
      h('li', { text: 'Piano: Salamander Grand Piano (Yamaha C5) samples by Alexander Holm, CC-BY 3.0.' }),
      h('li', { text: 'Bundled corpus: J. S. Bach chorales (public domain).' }),
      h('li', { text: 'Built with TensorFlow.js, Tone.js and @tonejs/midi.' }),
    ),
    h('div', { class: 'dialog-actions' }, close),
  );
  close.addEventListener('click', () => dlg.close());
  return dlg;
}

/** The app mark: a little piano roll (built with DOM calls: no inline markup under the CSP). */
function logo(): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', 'logo');
  svg.setAttribute('aria-hidden', 'true');
  const rect = (x: number, y: number, w: number, h: number, fill: string, rx = 1.5) => {
    const r = document.createElementNS(ns, 'rect');
    for (const [k, v] of Object.entries({ x, y, width: w, height: h, rx, fill }))
      r.setAttribute(k, String(v));
    svg.append(r);
  };
  rect(1, 1, 22, 22, '#1f2a3d', 5);
  rect(4, 15, 6, 3, '#5eb1ff');
  rect(9, 10, 5, 3, '#5eb1ff');
  rect(13, 6, 7, 3, '#ffb454');
  rect(15, 15, 5, 3, '#5eb1ff');
  return svg;
}

/** A header button that runs a command; its test id is the command's name. */
function headerButton(text: string, command: MenuCommand, title?: string): HTMLButtonElement {
  const b = h('button', { class: 'ghost', text, title, 'data-testid': command });
  b.addEventListener('click', () => void runCommand(command));
  return b;
}

function header(): HTMLElement {
  const tabs: { view: AppState['view']; label: string }[] = [
    { view: 'corpus', label: 'Corpus' },
    { view: 'train', label: 'Train' },
    { view: 'models', label: 'Models' },
    { view: 'generate', label: 'Generate' },
  ];
  const nav = h(
    'nav',
    { class: 'tabs', role: 'tablist' },
    tabs.map((t) => {
      const b = h('button', { class: 'tab', role: 'tab', 'data-view': t.view, text: t.label });
      b.addEventListener('click', () => store.set({ view: t.view }));
      return b;
    }),
  );
  const counts = () => {
    for (const b of Array.from(nav.querySelectorAll<HTMLButtonElement>('.tab'))) {
      const v = b.dataset.view as AppState['view'];
      b.classList.toggle('active', v === store.get('view'));
      b.setAttribute('aria-selected', String(v === store.get('view')));
      const n =
        v === 'corpus'
          ? store.get('corpus').length
          : v === 'models'
            ? store.get('models').length
            : v === 'generate'
              ? store.get('pieces').length
              : 0;
      const label = tabs.find((t) => t.view === v)!.label;
      b.textContent = label;
      if (v === 'train' && store.get('training').running)
        b.append(h('span', { class: 'tab-dot', title: 'training' }));
      else if (n) b.append(h('span', { class: 'tab-count', text: n }));
    }
  };
  store.on(['view', 'corpus', 'models', 'pieces', 'training'], counts);
  counts();
  const dot = h('span', { class: 'conn-dot' });
  const conn = h(
    'span',
    { class: 'conn', 'data-testid': 'connection' },
    dot,
    h('span', { class: 'conn-text', text: 'connecting…' }),
  );
  onConnection((s, detail) => {
    conn.dataset.state = s;
    conn.querySelector('.conn-text')!.textContent =
      s === 'connected'
        ? store.get('info')
          ? `${store.get('info')!.backend} backend`
          : 'connected'
        : s === 'connecting'
          ? 'connecting…'
          : 'host offline';
    conn.title = detail;
  });
  store.on(['info'], () => {
    if (conn.dataset.state === 'connected' || store.get('info')?.host === 'electron')
      conn.querySelector('.conn-text')!.textContent = `${store.get('info')!.backend} backend`;
  });
  const about = headerButton('About', 'about');
  const keys = headerButton('Shortcuts', 'show-shortcuts', 'Keyboard shortcuts (?)');
  const open = headerButton('Open…', 'open-project', 'Open a project');
  const saveAs = headerButton('Save As…', 'save-project-as', 'Save the generated pieces as a project');
  return h(
    'header',
    { class: 'app-header' },
    h('div', { class: 'brand' }, logo(), h('span', { text: 'Ostinato' })),
    nav,
    h('div', { class: 'header-right' }, conn, open, recentMenu(), saveAs, keys, about),
  );
}

let connection: ConnectionState = 'connecting';
onConnection((s) => (connection = s));

async function loadAll(): Promise<void> {
  const api = getApi();
  const results = await Promise.allSettled([
    api.info().then((info) => store.set({ info })),
    refreshCorpus(),
    api.corpusBundled().then((bundledCorpus) => store.set({ bundledCorpus })),
    refreshModels(),
    api.trainDefaults().then((defaults) => store.set({ defaults })),
  ]);
  const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
  // A lost connection has its own message, and the reconnect loads everything again.
  if (failed && connection === 'connected')
    toast(`Could not load from the host: ${errorMessage(failed.reason)}`, 'error');
}

function start(): void {
  const app = document.getElementById('app')!;
  const player = new Player();
  const roll = new PianoRoll();
  installRollInput(roll, (s) => rollSeek(s));
  registerEditCommands();
  const views: Record<AppState['view'], HTMLElement> = {
    corpus: corpusPanel(),
    train: trainingPanel(),
    models: modelsPanel(),
    generate: generatePanel({
      roll,
      play: (p) => {
        store.set({ selectedPieceId: p.id });
        if (!player.playing) void runCommand('play-stop');
      },
      exportMidi: (p) =>
        void exportMidi(p).catch((err) => toast(`MIDI export failed: ${errorMessage(err)}`, 'error')),
    }),
  };
  const main = h('main', { class: 'views' }, Object.values(views));
  const about = aboutDialog();
  registerCommand('about', () => about.showModal());
  const sheet = shortcutSheet();
  registerCommand('show-shortcuts', () => sheet.toggle());
  const projectDialogs = installProjects();
  app.append(header(), main, transportBar(player, roll), about, sheet.dialog, ...projectDialogs);
  const showView = () => {
    for (const [k, el] of Object.entries(views)) el.hidden = k !== store.get('view');
    if (store.get('view') === 'generate') roll.redraw();
  };
  store.on(['view'], showView);
  showView();
  installDropZone(document.body);
  installShortcuts();
  listenTraining();
  getApi().onMenu((c: MenuCommand) => void runCommand(c));
  // Electron's File menu imports through native dialogs in the main process and reports here.
  getApi().onNotice?.((n: HostNotice) => {
    if (n.kind === 'corpus-imported') {
      store.set({ lastImport: { ...n.result, localSkipped: [] }, view: 'corpus' });
      void refreshCorpus().catch((err) =>
        toast(`Could not refresh the corpus: ${errorMessage(err)}`, 'error'),
      );
      const ok = n.result.imported.length;
      const bad = n.result.skipped.length;
      toast(
        `Imported ${ok} file${ok === 1 ? '' : 's'}${bad ? `, skipped ${bad} (see the import summary)` : ''}.`,
        bad && !ok ? 'error' : 'success',
      );
    } else if (n.kind === 'model-imported') {
      void refreshModels(n.model.id).catch((err) =>
        toast(`Could not refresh the models: ${errorMessage(err)}`, 'error'),
      );
      store.set({ view: 'models' });
      toast(`Opened model “${n.model.name}”`, 'success');
    } else if (n.kind === 'project-opened') {
      void showOpened(n.opened).catch((err) => toast(errorMessage(err), 'error'));
    } else {
      toast(n.message, 'error');
    }
  });
  // Reload lists after a reconnect (the host may have restarted).
  let wasDown = false;
  onConnection((s) => {
    if (s === 'disconnected' && !wasDown) {
      wasDown = true;
      toast('Lost the connection to the Ostinato host. Reconnecting…', 'error');
    } else if (s === 'connected' && wasDown) {
      wasDown = false;
      toast('Reconnected to the host.', 'success');
      void loadAll();
    }
  });
  void loadAll();
  void restoreSession();
  store.set({ instrument: store.get('instrument') }); // loads the default instrument
}

start();
