/**
 * The one API between the UI (renderer/) and the app's host: the Electron main process (through the
 * preload's contextBridge) or the local host (`npm run serve`, over a WebSocket on 127.0.0.1). The
 * renderer only ever sees `OstinatoApi`; it does not know which host implements it.
 *
 * Pure types and plain data: no Node, no Electron, no DOM. Binary payloads are Uint8Array (IPC
 * carries them natively; the WebSocket transport encodes them as base64). Every method's arguments
 * are validated by the host (main/shared/validate.ts) before use.
 */

// The shapes the core defines are re-exported, never copied. Type-only: nothing of model/ reaches
// the renderer's bundle, and every module named here is pure types (or browser-safe).
import type { BackendName, GridName } from '../../model/common/types.js';
import type { TrainingOptions } from '../../model/common/training-options.js';
import type { GenerateSettings } from '../../model/common/generate-options.js';
import type { TrainingEvent } from '../../model/train/events.js';
import type { ScaleName } from '../../model/common/scales.js';
import type { TrackListing } from '../../model/midi/summarize.js';
import type { ModelSummary } from '../../model/checkpoint/format.js';
export type { GridName, TrainingOptions, TrainingEvent, ScaleName };
export type Backend = BackendName;

export interface AppInfo {
  version: string;
  host: 'electron' | 'browser';
  backend: Backend;
  userDataDir: string;
}

export interface TrackSummary extends TrackListing {
  selected: boolean;
}

export interface CorpusFile {
  id: string;
  name: string;
  status: 'ok' | 'error';
  error?: string; // readable reason, e.g. "not a MIDI file (no MThd header)"
  tracks: TrackSummary[];
  notes: number;
  durationSeconds: number;
  bpm: number;
  timeSignature: [number, number];
  quantization: { grid: GridName; moved: number; meanShiftSteps: number };
  dropped: { outOfRange: number; overPolyphony: number };
  /** Shipped with the app (the Bach chorales): read-only, usable as a primer. */
  bundled?: boolean;
  /**
   * What the import kept, changed or left out, one readable line each (tempos clamped, sustain pedal
   * applied, pitch bends and controllers ignored, drum notes...). Absent in entries stored before it.
   */
  warnings?: string[];
  /** Why the file gives nothing to train on with its selected tracks; absent when it gives notes. */
  untrainable?: string;
  /** Whether the file was imported holding notes through the sustain pedal (absent: true). */
  sustain?: boolean;
}

/** How a batch of files is imported. */
export interface ImportOptions {
  /** Hold notes through the sustain pedal (CC64) where a file uses it (default true). */
  sustain?: boolean;
}

export interface ImportFile {
  name: string; // relative path as the user chose it (file or folder entry)
  data: Uint8Array;
}

export interface ImportResult {
  imported: CorpusFile[];
  skipped: { name: string; reason: string }[];
}

/** What the model library shows: the core's summary of a model folder, in part, plus `bundled`. */
export interface ModelInfo extends Pick<
  ModelSummary,
  | 'id'
  | 'name'
  | 'createdAt'
  | 'epochs'
  | 'parameters'
  | 'vocabSize'
  | 'grid'
  | 'bestValLoss'
  | 'bigramValLoss'
  | 'corpusFiles'
> {
  bundled: boolean; // the default model shipped with the app (read-only)
}

/** A generation from the UI: the model, the primer and the settings of the core's option table. */
export interface GenerateOptions extends GenerateSettings {
  modelId: string;
  primer:
    | { kind: 'none' }
    | { kind: 'corpus'; fileId: string; bars: number }
    | { kind: 'file'; file: ImportFile; bars: number }
    | NotesPrimer;
}

/**
 * A primer from notes in the UI ("Continue from here": the selected notes or the loop region of a
 * piece), in seconds from the primer's start at `bpm`; `bars` of it (from 0) prime the model.
 */
export interface NotesPrimer {
  kind: 'notes';
  notes: PieceNote[];
  bpm: number;
  timeSignature: [number, number];
  bars: number;
}

export interface PrimerInfo {
  bpm: number;
  timeSignature: [number, number];
  key: string; // 'C', 'C#', ... 'B' (the tonic of the estimated key)
  scale: 'major' | 'minor';
}

export interface PieceNote {
  pitch: number;
  time: number; // seconds
  duration: number; // seconds
  velocity: number; // 0..1
}

export interface GeneratedPiece {
  id: string;
  name: string;
  seed: number;
  bpm: number;
  timeSignature: [number, number];
  bars: number;
  durationSeconds: number;
  notes: PieceNote[];
  primerNotes: number; // the first N notes came from the primer
  /**
   * The meter map, only when the meter changes (a primer's bars keep the meters of its file): from
   * `time` seconds on, bars of `timeSignature`; the first at 0. Without it every bar is `timeSignature`.
   */
  meters?: { time: number; timeSignature: [number, number] }[];
}

/** What the app keeps between launches and in a project file: the generated pieces and the selection. */
export interface Session {
  pieces: GeneratedPiece[];
  selectedPieceId: string | null;
}

/** A project file the host knows of (the recent list): its display name and where it lies. */
export interface ProjectRef {
  name: string;
  path: string;
}

/** Where a project to open comes from. */
export type ProjectSource =
  | { kind: 'dialog' } // Electron: the native open dialog; the browser host refuses it
  | { kind: 'recent'; path: string } // one of projectsRecent()
  | { kind: 'file'; file: ImportFile }; // a file the user picked in the page

export interface OpenedProject {
  project: ProjectRef;
  session: Session;
}

export interface OstinatoApi {
  info(): Promise<AppInfo>;

  corpusList(): Promise<CorpusFile[]>;
  /** The corpus shipped with the app (read-only: listed and usable as a primer, never removed). */
  corpusBundled(): Promise<CorpusFile[]>;
  corpusImport(files: ImportFile[], options?: ImportOptions): Promise<ImportResult>;
  corpusRemove(ids: string[]): Promise<void>;
  corpusSetTracks(id: string, selected: number[]): Promise<CorpusFile>;

  trainStart(options: TrainingOptions): Promise<{ modelId: string }>;
  trainCancel(): Promise<void>;
  trainDefaults(): Promise<TrainingOptions>;

  modelsList(): Promise<ModelInfo[]>;
  modelRename(id: string, name: string): Promise<ModelInfo>;
  modelDelete(id: string): Promise<void>;
  modelExport(id: string): Promise<{ name: string; data: Uint8Array }>; // one-file bundle
  modelImport(file: ImportFile): Promise<ModelInfo>;
  /**
   * A model trained with PyTorch (scale/train.py, docs/scale.md): the files of its result folder,
   * result.json and the weight file it names (others are ignored). Converted into a new model of the
   * library; refused with a readable message when a file is missing, damaged or does not fit.
   */
  modelImportTorch(files: ImportFile[]): Promise<ModelInfo>;

  generate(options: GenerateOptions): Promise<GeneratedPiece[]>;
  /** A primer's tempo, meter and estimated key: the generate panel's defaults once it is chosen. */
  primerInfo(primer: GenerateOptions['primer']): Promise<PrimerInfo>;
  midiExport(piece: GeneratedPiece): Promise<{ name: string; data: Uint8Array }>;
  /** Electron: starts a native drag of the piece as a .mid file. Browser host: returns false. */
  startDrag(piece: GeneratedPiece): Promise<boolean>;

  /** The session saved by sessionSave (null: none yet). */
  sessionLoad(): Promise<Session | null>;
  /** Saves the session in the user-data folder (atomically). */
  sessionSave(session: Session): Promise<void>;
  /**
   * Saves the session as a project file: Electron asks where with its native save dialog (`name` is
   * the suggestion); the browser host writes <userData>/projects/<name>.ostinato.json. Null: cancelled.
   */
  projectSaveAs(session: Session, name: string): Promise<ProjectRef | null>;
  /** Opens a project file (validated: a damaged file is refused and changes nothing). Null: cancelled. */
  projectOpen(source: ProjectSource): Promise<OpenedProject | null>;
  /** The projects saved or opened last, newest first. */
  projectsRecent(): Promise<ProjectRef[]>;

  onTraining(listener: (event: TrainingEvent) => void): () => void;
  /** Menu commands from the host (Electron menus); the browser host never sends any. */
  onMenu(listener: (command: MenuCommand) => void): () => void;
  /**
   * Things the host did on its own that the UI should show:
   * under Electron, File > Import MIDI… / Import MIDI Folder… / Open Model… run native dialogs in the
   * main process (a file chooser cannot be opened from the page without a user gesture), import
   * there, and report the result here; the UI then reloads the corpus or model list and shows
   * `skipped` reasons. The browser host never sends notices (its File menu is the page's own).
   * Optional so older clients stay valid: `api.onNotice?.(listener)`.
   */
  onNotice?(listener: (notice: HostNotice) => void): () => void;
}

/** What the host reports on its own: see OstinatoApi.onNotice. */
export type HostNotice =
  | { kind: 'corpus-imported'; result: ImportResult }
  | { kind: 'model-imported'; model: ModelInfo }
  | { kind: 'error'; message: string }
  | { kind: 'project-opened'; opened: OpenedProject };

export type MenuCommand =
  | 'import-midi'
  | 'open-model'
  | 'save-model-as'
  | 'open-project'
  | 'save-project-as'
  | 'export-midi'
  | 'export-wav'
  | 'play-stop'
  | 'about'
  | 'generate'
  | 'show-shortcuts'
  | 'select-previous'
  | 'select-next'
  | 'playhead-back'
  | 'playhead-forward'
  | 'toggle-loop'
  | 'toggle-metronome'
  | 'toggle-count-in'
  | 'zoom-in'
  | 'zoom-out'
  | 'zoom-in-pitch'
  | 'zoom-out-pitch'
  | 'zoom-fit'
  | 'scroll-left'
  | 'scroll-right'
  | 'scroll-up'
  | 'scroll-down'
  | 'undo'
  | 'redo'
  | 'delete'
  | 'select-all-notes'
  | 'clear-selection'
  | 'notes-earlier'
  | 'notes-later'
  | 'notes-up'
  | 'notes-down'
  | 'notes-octave-up'
  | 'notes-octave-down'
  | 'continue-from-here';

/**
 * The methods callable over IPC or the WebSocket (everything but the event subscriptions): the one
 * list the WebSocket client, the preload (through the main process) and validate.ts read. A new
 * method goes into OstinatoApi, here, and gets its argument checker in validate.ts (the compiler
 * asks for each).
 */
export const API_METHODS = [
  'info',
  'corpusList',
  'corpusBundled',
  'corpusImport',
  'corpusRemove',
  'corpusSetTracks',
  'trainStart',
  'trainCancel',
  'trainDefaults',
  'modelsList',
  'modelRename',
  'modelDelete',
  'modelExport',
  'modelImport',
  'modelImportTorch',
  'generate',
  'primerInfo',
  'midiExport',
  'startDrag',
  'sessionLoad',
  'sessionSave',
  'projectSaveAs',
  'projectOpen',
  'projectsRecent',
] as const satisfies readonly Exclude<keyof OstinatoApi, 'onTraining' | 'onMenu' | 'onNotice'>[];

export type ApiMethod = (typeof API_METHODS)[number];

// The list names every method of OstinatoApi (the `satisfies` above: no unknown names; this: none
// missing, or the compiler names the missing one here).
type Unlisted = Exclude<Exclude<keyof OstinatoApi, 'onTraining' | 'onMenu' | 'onNotice'>, ApiMethod>;
const _everyMethodListed: [Unlisted] extends [never] ? true : Unlisted = true;

/*
 * What the host does, for the UI code that calls it:
 * - Bad arguments are refused before any work, with messages naming the argument, e.g.
 *   "generate: options.bars must be between 1 and 512 (got 600)"; unknown ids give "There is no model
 *   with id …" / "There is no corpus file with id …". Show `error.message` as is.
 * - corpusImport: files that cannot be read (not MIDI, truncated, no notes…) and exact duplicates of
 *   files already in the corpus come back in `skipped` with a readable reason; they are not stored,
 *   so `imported` holds only status 'ok' files. status 'error' appears only in corpusList for a file
 *   whose stored copy went missing on disk (shown with `error`; remove it or import it again).
 * - trainStart needs at least 2 usable corpus pieces (one is held out for validation); otherwise the
 *   training ends at once with an 'error' event saying so. trainCancel with nothing running is a no-op.
 *   Exactly one final event ('done' or 'error') ends every training, crashes of the worker included.
 * - trainDefaults returns the options of the last training started (or the core's defaults).
 * - generate: temperature 0 = always the likeliest token; every option's bounds are its row in the
 *   tables of model/common; piece ids are unique.
 * - startDrag (Electron): call it from the element's 'dragstart' handler (and preventDefault()); the
 *   main process writes a temporary .mid and starts a native drag of it.
 * - Local host WebSocket: a wrong/missing token closes with code 4001 right after the handshake; a
 *   foreign Origin/Host is refused at the HTTP upgrade (the browser reports 1006). A message over the
 *   size limit (about 268 MB of JSON, i.e. 200 MB of binary) closes with 1009.
 */
