/**
 * Projects in the page: the commands Save Project As… and Open Project… (Electron: the host's native
 * dialogs; browser: the in-app dialogs below), and the header's Recent menu.
 */
import type { OpenedProject, ProjectRef } from '../../main/shared/api.js';
import { getApi } from '../api/index.js';
import { registerCommand } from '../commands.js';
import { currentSession, applySession } from '../session.js';
import { store } from '../state.js';
import { clear, errorMessage, h } from '../ui/dom.js';
import { toast } from '../ui/toast.js';

const isElectron = () => store.get('info')?.host === 'electron';
let lastName = 'Untitled';

/** Shows an opened project (its pieces replace the current ones). */
export async function showOpened(opened: OpenedProject | null): Promise<void> {
  if (!opened) return; // cancelled
  await applySession(opened.session);
  lastName = opened.project.name;
  store.set({ view: 'generate' });
  const n = opened.session.pieces.length;
  toast(`Opened project “${opened.project.name}” (${n} piece${n === 1 ? '' : 's'})`, 'success');
}

async function saveAs(name: string): Promise<boolean> {
  const ref = await getApi().projectSaveAs(currentSession(), name);
  if (!ref) return false;
  lastName = ref.name;
  toast(`Saved project “${ref.name}”`, 'success');
  return true;
}

async function openRecent(ref: ProjectRef): Promise<void> {
  await showOpened(await getApi().projectOpen({ kind: 'recent', path: ref.path }));
}

async function openFile(file: File): Promise<void> {
  const data = new Uint8Array(await file.arrayBuffer());
  await showOpened(await getApi().projectOpen({ kind: 'file', file: { name: file.name, data } }));
}

/** Runs `work`, showing its error in the dialog (which stays open); closes it when done. */
function guarded(dlg: HTMLDialogElement, error: HTMLElement, work: () => Promise<unknown>): void {
  error.textContent = '';
  work().then(
    () => dlg.close(),
    (err) => (error.textContent = errorMessage(err)),
  );
}

function saveDialog(): HTMLDialogElement {
  const name = h('input', { type: 'text', 'data-testid': 'project-name', maxlength: 200 });
  const error = h('p', { class: 'warn-text', 'data-testid': 'project-error' });
  const ok = h('button', { class: 'primary', text: 'Save', 'data-testid': 'project-save' });
  const cancel = h('button', { class: 'ghost', text: 'Cancel' });
  const dlg = h(
    'dialog',
    { class: 'project-dialog', 'data-testid': 'project-save-dialog' },
    h('h2', { text: 'Save Project As' }),
    h('label', { class: 'field' }, h('span', { text: 'Name' }), name),
    error,
    h('div', { class: 'dialog-actions' }, cancel, ok),
  );
  const submit = () => guarded(dlg, error, () => saveAs(name.value.trim()));
  ok.addEventListener('click', submit);
  name.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') submit();
  });
  cancel.addEventListener('click', () => dlg.close());
  dlg.addEventListener('open-with', () => {
    name.value = lastName;
    error.textContent = '';
  });
  return dlg;
}

function recentItems(list: ProjectRef[], pick: (ref: ProjectRef) => void): HTMLElement {
  if (!list.length) return h('p', { class: 'muted', text: 'No recent projects' });
  return h(
    'ul',
    { class: 'recent-list' },
    list.map((ref) => {
      const b = h('button', {
        class: 'ghost',
        text: ref.name,
        title: ref.path,
        'data-testid': 'recent-project',
      });
      b.addEventListener('click', () => pick(ref));
      return h('li', {}, b);
    }),
  );
}

function openDialog(): HTMLDialogElement {
  const list = h('div');
  const error = h('p', { class: 'warn-text', 'data-testid': 'project-error' });
  const input = h('input', {
    type: 'file',
    accept: '.json,application/json',
    'data-testid': 'project-file-input',
  });
  const cancel = h('button', { class: 'ghost', text: 'Cancel' });
  const dlg = h(
    'dialog',
    { class: 'project-dialog', 'data-testid': 'project-open-dialog' },
    h('h2', { text: 'Open Project' }),
    h('h3', { text: 'Recent' }),
    list,
    h('h3', { text: 'From a file' }),
    input,
    error,
    h('div', { class: 'dialog-actions' }, cancel),
  );
  input.addEventListener('change', () => {
    const f = input.files?.[0];
    if (f) guarded(dlg, error, () => openFile(f));
    input.value = '';
  });
  cancel.addEventListener('click', () => dlg.close());
  dlg.addEventListener('open-with', () => {
    error.textContent = '';
    clear(list);
    void getApi()
      .projectsRecent()
      .then((r) => list.append(recentItems(r, (ref) => guarded(dlg, error, () => openRecent(ref)))))
      .catch((err) => (error.textContent = errorMessage(err)));
  });
  return dlg;
}

function show(dlg: HTMLDialogElement): void {
  dlg.dispatchEvent(new Event('open-with'));
  dlg.showModal();
}

/** The header's Recent menu: the list is asked for each time it opens. */
export function recentMenu(): HTMLElement {
  const list = h('div', { class: 'recent-popup' });
  const menu = h(
    'details',
    { class: 'recent-menu', 'data-testid': 'recent-menu' },
    h('summary', { class: 'ghost', text: 'Recent' }),
    list,
  );
  menu.addEventListener('toggle', () => {
    if (!menu.open) return;
    clear(list);
    void getApi()
      .projectsRecent()
      .then((r) =>
        list.append(
          recentItems(r, (ref) => {
            menu.open = false;
            void openRecent(ref).catch((err) => toast(errorMessage(err), 'error'));
          }),
        ),
      )
      .catch((err) => toast(errorMessage(err), 'error'));
  });
  return menu;
}

/** Registers the two commands; returns the browser's dialogs (to be put into the page). */
export function installProjects(): HTMLDialogElement[] {
  const save = saveDialog();
  const open = openDialog();
  registerCommand('save-project-as', async () => {
    if (isElectron()) await saveAs(lastName);
    else show(save);
  });
  registerCommand('open-project', async () => {
    if (isElectron()) await showOpened(await getApi().projectOpen({ kind: 'dialog' }));
    else show(open);
  });
  return [save, open];
}
