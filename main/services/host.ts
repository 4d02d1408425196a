/**
 * OstinatoHost: the app's host services behind the OstinatoApi, shared by the Electron main
 * process (through IPC) and the local browser host (through the WebSocket). Pure Node: no Electron.
 *
 * <userData>/
 *   settings.json         app settings (atomic)
 *   corpus/index.json     the corpus index (atomic) + corpus/<id>.mid, the imported files
 *   models/<id>/          trained and imported models (model/checkpoint folder format)
 *   session.json          the generated pieces and the selection (atomic, project file format)
 *   recent-projects.json  the projects saved or opened last (atomic)
 *   projects/             the browser host's saved projects (<name>.ostinato.json)
 *
 * Arguments are validated before they reach these methods (dispatch.ts); the methods check what
 * only the host knows: that ids name existing entities, that one training runs at a time.
 */
import { join } from 'node:path';
import type {
  AppInfo,
  Backend,
  CorpusFile,
  GeneratedPiece,
  GenerateOptions,
  GridName,
  HostNotice,
  ImportFile,
  ImportOptions,
  ImportResult,
  MenuCommand,
  ModelInfo,
  OpenedProject,
  OstinatoApi,
  PrimerInfo,
  ProjectRef,
  ProjectSource,
  Session,
  TrainingEvent,
  TrainingOptions,
} from '../shared/api.js';
import { BundledCorpus } from './bundled-corpus.js';
import { CorpusStore } from './corpus-store.js';
import { Generator, pieceToMidi } from './generation.js';
import { BUNDLED_MODEL_ID, ModelLibrary } from './model-library.js';
import { SettingsStore } from './settings.js';
import { TrainingService } from './training.js';
import { defaultTrainingOptions } from '../../model/index.js';
import { InstanceLock } from './instance-lock.js';
import { SessionStore } from './session-store.js';
import { RecentProjects } from './recent-projects.js';
import { ProjectService, type ProjectDialogs } from './projects.js';

export interface HostOptions {
  userDataDir: string;
  /** The bundled default model folder (assets/models/default), or null. */
  bundledModelDir: string | null;
  /** The bundled corpus folder (assets/corpus); absent or null: none. */
  bundledCorpusDir?: string | null;
  host: AppInfo['host'];
  version: string;
  /** The tfjs backend training will use (reported by info()); default: found by the first training. */
  backend?: Backend;
  /** Native drag of a .mid file (Electron); absent: startDrag returns false. */
  startDrag?: (piece: GeneratedPiece, midi: { name: string; data: Uint8Array }) => Promise<boolean>;
  /** Native save / open dialogs for project files (Electron); absent: the projects/ folder. */
  projectDialogs?: ProjectDialogs;
  /** Overrides for the training worker (tests). */
  training?: ConstructorParameters<typeof TrainingService>[0]['worker'];
}

/**
 * The backend training will most likely use, for info() before the first training reports the real
 * one: OSTINATO_BACKEND when set, tfjs-node when installed, else WebAssembly.
 */
export function expectedBackend(env: NodeJS.ProcessEnv = process.env): Backend {
  const forced = env.OSTINATO_BACKEND?.trim().toLowerCase();
  if (forced === 'tensorflow' || forced === 'node' || forced === 'tfjs-node') return 'tensorflow';
  if (forced === 'wasm' || forced === 'cpu') return forced;
  try {
    require.resolve('@tensorflow/tfjs-node');
    return 'tensorflow';
  } catch {
    return 'wasm';
  }
}

export class OstinatoHost implements OstinatoApi {
  readonly settings: SettingsStore;
  readonly corpus: CorpusStore;
  readonly bundledCorpus: BundledCorpus;
  readonly models: ModelLibrary;
  readonly generator: Generator;
  readonly training: TrainingService;
  readonly session: SessionStore;
  readonly recent: RecentProjects;
  readonly projects: ProjectService;
  private readonly trainingListeners = new Set<(e: TrainingEvent) => void>();
  private readonly menuListeners = new Set<(c: MenuCommand) => void>();
  private readonly noticeListeners = new Set<(n: HostNotice) => void>();
  private backend: Backend;
  private lock: InstanceLock | null = null;

  private constructor(private readonly opts: HostOptions) {
    this.settings = new SettingsStore(opts.userDataDir);
    this.corpus = new CorpusStore(join(opts.userDataDir, 'corpus'), () => this.settings.get().corpusGrid);
    this.models = new ModelLibrary(opts.userDataDir, opts.bundledModelDir);
    const grid = () => this.settings.get().corpusGrid;
    this.bundledCorpus = new BundledCorpus(opts.bundledCorpusDir ?? null, grid);
    this.generator = new Generator(this.models, {
      piece: (id) => (BundledCorpus.isBundledId(id) ? this.bundledCorpus.piece(id) : this.corpus.piece(id)),
    });
    this.backend = opts.backend ?? expectedBackend();
    this.session = new SessionStore(opts.userDataDir);
    this.recent = new RecentProjects(opts.userDataDir);
    this.projects = new ProjectService(opts.userDataDir, this.recent, opts.projectDialogs ?? null);
    this.training = new TrainingService({
      worker: opts.training,
      emit: (e) => {
        if (e.type === 'started') this.backend = e.backend;
        for (const l of [...this.trainingListeners]) {
          try {
            l(e);
          } catch {
            /* one listener's failure does not stop the others */
          }
        }
      },
    });
  }

  static async create(opts: HostOptions): Promise<OstinatoHost> {
    const lock = await InstanceLock.acquire(opts.userDataDir);
    const host = new OstinatoHost(opts);
    host.lock = lock;
    try {
      await host.settings.load();
      await host.corpus.load();
      await host.models.init();
      await host.recent.load();
    } catch (err) {
      await lock.release();
      throw err;
    }
    // Read the bundled corpus in the background: the page's first corpusBundled() finds it ready.
    void host.bundledCorpus.list().catch(() => undefined);
    return host;
  }

  async dispose(): Promise<void> {
    await this.training.dispose();
    await this.generator.dispose();
    await this.lock?.release();
    this.lock = null;
    this.trainingListeners.clear();
    this.menuListeners.clear();
    this.noticeListeners.clear();
  }

  /** Sends a menu command to the UI (Electron menus). */
  emitMenu(command: MenuCommand): void {
    for (const l of [...this.menuListeners]) l(command);
  }

  /** Tells the UI about something the host did on its own (Electron's native File dialogs). */
  notify(notice: HostNotice): void {
    for (const l of [...this.noticeListeners]) l(notice);
  }

  async info(): Promise<AppInfo> {
    return {
      version: this.opts.version,
      host: this.opts.host,
      backend: this.backend,
      userDataDir: this.opts.userDataDir,
    };
  }

  async corpusList(): Promise<CorpusFile[]> {
    return this.corpus.list();
  }

  corpusBundled(): Promise<CorpusFile[]> {
    return this.bundledCorpus.list();
  }

  corpusImport(files: ImportFile[], options: ImportOptions = {}): Promise<ImportResult> {
    return this.corpus.import(files, options);
  }

  corpusRemove(ids: string[]): Promise<void> {
    return this.corpus.remove(ids);
  }

  corpusSetTracks(id: string, selected: number[]): Promise<CorpusFile> {
    return this.corpus.setTracks(id, selected);
  }

  async trainStart(options: TrainingOptions): Promise<{ modelId: string }> {
    const inputs = this.corpus.trainingInputs();
    if (inputs.length === 0) {
      throw new Error(
        'The corpus is empty: import MIDI files (with at least one selected track) before training',
      );
    }
    let target: { id: string; dir: string; resume: boolean; grid: GridName };
    if (options.resumeModelId) {
      if (options.resumeModelId === BUNDLED_MODEL_ID) {
        throw new Error(
          'The bundled default model is read-only: export it and import the copy to continue training it',
        );
      }
      const info = await this.models.get(options.resumeModelId);
      target = { id: info.id, dir: await this.models.folder(info.id), resume: true, grid: info.grid };
    } else {
      target = { ...this.models.newModelDir(), resume: false, grid: options.grid };
    }
    const modelId = this.training.start({
      modelId: target.id,
      modelDir: target.dir,
      resume: target.resume,
      grid: target.grid,
      options,
      corpus: inputs,
    });
    // Remember the options as the next defaults; a failed save does not stop the training.
    await this.settings
      .update({ lastTraining: { ...options, resumeModelId: undefined } })
      .catch(() => undefined);
    return { modelId };
  }

  trainCancel(): Promise<void> {
    return this.training.cancel();
  }

  async trainDefaults(): Promise<TrainingOptions> {
    const last = this.settings.get().lastTraining;
    const base = defaultTrainingOptions();
    if (!last) return base;
    const { resumeModelId: _r, ...rest } = last;
    return { ...base, ...rest };
  }

  modelsList(): Promise<ModelInfo[]> {
    return this.models.list();
  }

  async modelRename(id: string, name: string): Promise<ModelInfo> {
    return this.models.rename(id, name);
  }

  async modelDelete(id: string): Promise<void> {
    await this.models.delete(id, (x) => this.training.currentModelId() === x);
  }

  modelExport(id: string): Promise<{ name: string; data: Uint8Array }> {
    return this.models.exportBundle(id);
  }

  modelImport(file: ImportFile): Promise<ModelInfo> {
    return this.models.importBundle(file.name, file.data);
  }

  modelImportTorch(files: ImportFile[]): Promise<ModelInfo> {
    return this.models.importTorch(files);
  }

  generate(options: GenerateOptions): Promise<GeneratedPiece[]> {
    return this.generator.generate(options);
  }

  primerInfo(primer: GenerateOptions['primer']): Promise<PrimerInfo> {
    return this.generator.primerInfo(primer);
  }

  async midiExport(piece: GeneratedPiece): Promise<{ name: string; data: Uint8Array }> {
    return pieceToMidi(piece);
  }

  async startDrag(piece: GeneratedPiece): Promise<boolean> {
    if (!this.opts.startDrag) return false;
    return this.opts.startDrag(piece, pieceToMidi(piece));
  }

  sessionLoad(): Promise<Session | null> {
    return this.session.load();
  }

  sessionSave(session: Session): Promise<void> {
    return this.session.save(session);
  }

  projectSaveAs(session: Session, name: string): Promise<ProjectRef | null> {
    return this.projects.saveAs(session, name);
  }

  projectOpen(source: ProjectSource): Promise<OpenedProject | null> {
    return this.projects.open(source);
  }

  async projectsRecent(): Promise<ProjectRef[]> {
    return this.recent.get();
  }

  onTraining(listener: (event: TrainingEvent) => void): () => void {
    this.trainingListeners.add(listener);
    return () => this.trainingListeners.delete(listener);
  }

  onMenu(listener: (command: MenuCommand) => void): () => void {
    this.menuListeners.add(listener);
    return () => this.menuListeners.delete(listener);
  }

  onNotice(listener: (notice: HostNotice) => void): () => void {
    this.noticeListeners.add(listener);
    return () => this.noticeListeners.delete(listener);
  }
}
