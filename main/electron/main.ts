/**
 * The Electron main process: one window on the app's page (app://ostinato/, a privileged custom
 * protocol serving dist/renderer and the shipped samples with a strict CSP), locked down
 * (contextIsolation, sandbox, no Node in the page, navigation and new windows blocked, permissions
 * denied but clipboard write and fullscreen, no webviews), the OstinatoApi over one validated IPC
 * channel whose sender must be the app's own top frame, native menus and dialogs, native drag of
 * generated clips. The app's logic lives in the shared host services (main/services), which the
 * local browser host uses too and which are unit-tested; this file only wires Electron to them.
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  protocol,
  session,
  shell,
  type WebContents,
} from 'electron';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_METHODS, type HostNotice, type MenuCommand, type ProjectRef } from '../shared/api.js';
import { OstinatoHost } from '../services/host.js';
import { contentSecurityPolicy } from '../services/csp.js';
import { mimeType, resolveStaticPath } from '../services/static-files.js';
import { pieceToMidi } from '../services/generation.js';
import { errorMessage } from '../services/util.js';
import type { GeneratedPiece } from '../shared/api.js';
import { readImportPaths } from './import-paths.js';
import { handleIpcCall } from './ipc.js';
import { userDataOverride } from './options.js';
import { ABOUT_TEXT, buildMenuTemplate } from './menu-template.js';
import { APP_HOST, APP_SCHEME, APP_URL, isPermissionAllowed, navigationDecision } from './trust.js';

const appRoot = app.getAppPath();
const rendererDir = join(appRoot, 'dist', 'renderer');
const assetsDir = join(appRoot, 'assets');
const iconPath = join(assetsDir, 'icons', '512x512.png');
const dragIconPath = join(assetsDir, 'icons', '32x32.png');
const isDev = !app.isPackaged;

let host: OstinatoHost | null = null;
let win: BrowserWindow | null = null;
let dragDir: string | null = null;

const userData = userDataOverride(process.argv, process.env);
if (userData) app.setPath('userData', userData);

app.enableSandbox();
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.whenReady().then(start, (err) => fatal(err));
}

function fatal(err: unknown): void {
  dialog.showErrorBox('Ostinato could not start', errorMessage(err));
  app.exit(1);
}

async function start(): Promise<void> {
  try {
    host = await OstinatoHost.create({
      userDataDir: app.getPath('userData'),
      bundledModelDir: join(assetsDir, 'models', 'default'),
      bundledCorpusDir: join(assetsDir, 'corpus'),
      host: 'electron',
      version: app.getVersion(),
      projectDialogs: projectDialogs(),
    });
  } catch (err) {
    fatal(err);
    return;
  }
  registerProtocol();
  lockDownSessions();
  registerIpc(host);
  const setMenu = () => Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate(menuActions())));
  setMenu();
  host.recent.onChange(setMenu); // File > Open Recent follows the list
  createWindow(host);
  host.onTraining((e) => send('ostinato:training', e));
  host.onMenu((c) => send('ostinato:menu', c));
  host.onNotice((n) => send('ostinato:notice', n));
  app.on('activate', () => {
    if (!win && host) createWindow(host);
  });
}

function send(channel: string, payload: unknown): void {
  if (win && !win.isDestroyed()) win.webContents.send(channel, payload);
}

/** app://ostinato/… → the built renderer and the shipped samples/icons, with the app's CSP. */
function registerProtocol(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const headers = {
      'Content-Security-Policy': contentSecurityPolicy(),
      'X-Content-Type-Options': 'nosniff',
    };
    if (url.host !== APP_HOST || request.method !== 'GET')
      return new Response('Not found', { status: 404, headers });
    const file = resolveStaticPath(url.pathname, rendererDir, assetsDir);
    // (No realpath check here, unlike the local host: these folders are inside the read-only app
    // archive, where no link can be planted, and asar paths are not real paths.)
    if (!file) return new Response('Not found', { status: 404, headers });
    try {
      const data = await fs.readFile(file);
      return new Response(new Uint8Array(data), {
        status: 200,
        headers: { ...headers, 'Content-Type': mimeType(file) },
      });
    } catch {
      return new Response('Not found', { status: 404, headers });
    }
  });
}

function lockDownSessions(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((wc, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl ?? wc.getURL()));
  });
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin + '/'),
  );
  ses.setDevicePermissionHandler(() => false);
  // Downloads started by the page (Export MIDI/WAV, Save Model As) ask where to save.
  ses.on('will-download', (_e, item) => {
    item.setSaveDialogOptions({
      title: 'Save',
      defaultPath: join(app.getPath('downloads'), item.getFilename()),
    });
  });
}

app.on('web-contents-created', (_e, contents: WebContents) => {
  contents.on('will-navigate', (e, url) => guardNavigation(e, url));
  contents.on('will-redirect', (e, url) => guardNavigation(e, url));
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (navigationDecision(url) === 'external') void shell.openExternal(url);
    return { action: 'deny' };
  });
});

function guardNavigation(e: { preventDefault(): void }, url: string): void {
  const decision = navigationDecision(url);
  if (decision === 'allow') return;
  e.preventDefault();
  if (decision === 'external') void shell.openExternal(url);
}

function createWindow(h: OstinatoHost): void {
  const bounds = h.settings.get().window;
  win = new BrowserWindow({
    width: bounds?.width ?? 1400,
    height: bounds?.height ?? 900,
    ...(bounds ? { x: bounds.x, y: bounds.y } : {}),
    minWidth: 900,
    minHeight: 600,
    title: 'Ostinato',
    icon: iconPath,
    show: false,
    backgroundColor: '#111318',
    webPreferences: {
      preload: join(__dirname, 'preload.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick', // no middle-click link opening
      devTools: isDev,
    },
  });
  win.once('ready-to-show', () => win?.show());
  win.webContents.on('render-process-gone', (_e, details) => {
    if (details.reason === 'clean-exit' || !win || win.isDestroyed()) return;
    void dialog
      .showMessageBox(win, {
        type: 'error',
        title: 'Ostinato',
        message: 'The window stopped unexpectedly',
        detail: `Reason: ${details.reason}. Your corpus, models and settings are saved; the window will reload.`,
        buttons: ['Reload'],
      })
      .then(() => win?.webContents.reload());
  });
  win.on('close', () => void saveBounds(h));
  win.on('closed', () => {
    win = null;
  });
  void win.loadURL(APP_URL);
}

async function saveBounds(h: OstinatoHost): Promise<void> {
  if (!win || win.isDestroyed()) return;
  const b = win.getNormalBounds();
  await h.settings
    .update({ window: { x: b.x, y: b.y, width: b.width, height: b.height } })
    .catch(() => undefined);
}

function registerIpc(h: OstinatoHost): void {
  // The preload builds window.ostinato from these names (public: every call is still checked).
  ipcMain.on('ostinato:methods', (event) => {
    event.returnValue = API_METHODS;
  });
  ipcMain.handle('ostinato:call', (event, method: unknown, args: unknown) => {
    const sender = {
      isAppWindow: !!win && event.sender === win.webContents,
      isMainFrame: !!win && !!event.senderFrame && event.senderFrame === win.webContents.mainFrame,
      frameUrl: event.senderFrame?.url,
    };
    return handleIpcCall(h, sender, method, args, (piece) => startDrag(event.sender, piece));
  });
}

/** Writes the piece as a temporary .mid and starts a native drag of it (into a DAW, a folder…). */
async function startDrag(sender: WebContents, piece: GeneratedPiece): Promise<boolean> {
  const midi = pieceToMidi(piece);
  dragDir ??= await fs.mkdtemp(join(tmpdir(), 'ostinato-drag-'));
  const file = join(dragDir, midi.name);
  await fs.writeFile(file, midi.data);
  const icon = nativeImage.createFromPath(dragIconPath);
  sender.startDrag({
    file,
    icon: icon.isEmpty() ? nativeImage.createFromPath(iconPath).resize({ width: 32, height: 32 }) : icon,
  });
  return true;
}

function notify(notice: HostNotice): void {
  host?.notify(notice);
}

async function importPaths(paths: string[]): Promise<void> {
  if (!host || paths.length === 0) return;
  try {
    const read = await readImportPaths(paths);
    const result = {
      imported: [] as Awaited<ReturnType<OstinatoHost['corpusImport']>>['imported'],
      skipped: [...read.skipped],
    };
    for (const batch of read.batches) {
      const r = await host.corpusImport(batch);
      result.imported.push(...r.imported);
      result.skipped.push(...r.skipped);
    }
    notify({ kind: 'corpus-imported', result });
  } catch (err) {
    notify({ kind: 'error', message: `Import failed: ${errorMessage(err)}` });
  }
}

const projectFilters = [{ name: 'Ostinato projects', extensions: ['json'] }];

/** Native dialogs of Save Project As… and Open Project…: the chosen path, or null when cancelled. */
function projectDialogs() {
  return {
    save: async (suggestedFileName: string) => {
      const r = await dialog.showSaveDialog(win!, {
        title: 'Save Project As',
        defaultPath: join(app.getPath('documents'), suggestedFileName),
        filters: projectFilters,
      });
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    open: async () => {
      const r = await dialog.showOpenDialog(win!, {
        title: 'Open Project',
        properties: ['openFile'],
        filters: projectFilters,
      });
      return r.canceled || !r.filePaths[0] ? null : r.filePaths[0];
    },
  };
}

function menuActions() {
  const midiFilters = [
    { name: 'MIDI files', extensions: ['mid', 'midi'] },
    { name: 'All files', extensions: ['*'] },
  ];
  return {
    isMac: process.platform === 'darwin',
    isDev,
    send: (command: MenuCommand) => host?.emitMenu(command),
    recent: host?.recent.get() ?? [],
    openRecent: async (project: ProjectRef) => {
      if (!host) return;
      try {
        const opened = await host.projectOpen({ kind: 'recent', path: project.path });
        if (opened) notify({ kind: 'project-opened', opened });
      } catch (err) {
        notify({ kind: 'error', message: errorMessage(err) });
      }
    },
    importMidiFiles: async () => {
      const r = await dialog.showOpenDialog(win!, {
        title: 'Import MIDI',
        properties: ['openFile', 'multiSelections'],
        filters: midiFilters,
      });
      if (!r.canceled) await importPaths(r.filePaths);
    },
    importMidiFolder: async () => {
      const r = await dialog.showOpenDialog(win!, {
        title: 'Import a folder of MIDI files',
        properties: ['openDirectory', 'multiSelections'],
      });
      if (!r.canceled) await importPaths(r.filePaths);
    },
    openModel: async () => {
      const r = await dialog.showOpenDialog(win!, {
        title: 'Open Model',
        properties: ['openFile'],
        filters: [{ name: 'Ostinato models', extensions: ['ostinato'] }],
      });
      if (r.canceled || !r.filePaths[0] || !host) return;
      try {
        const data = new Uint8Array(await fs.readFile(r.filePaths[0]));
        const model = await host.modelImport({ name: r.filePaths[0].split(/[\\/]/).pop()!, data });
        notify({ kind: 'model-imported', model });
      } catch (err) {
        notify({ kind: 'error', message: errorMessage(err) });
      }
    },
    about: () => {
      void dialog.showMessageBox(win!, {
        type: 'info',
        title: 'About Ostinato',
        message: `Ostinato ${app.getVersion()}`,
        detail: ABOUT_TEXT,
        buttons: ['OK'],
      });
    },
  };
}

let quitting = false;
app.on('before-quit', (e) => {
  if (quitting || !host) return;
  e.preventDefault();
  quitting = true;
  const h = host;
  void (async () => {
    await saveBounds(h);
    await h.dispose().catch(() => undefined);
    if (dragDir) await fs.rm(dragDir, { recursive: true, force: true }).catch(() => undefined);
    app.quit();
  })();
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
