/**
 * The one API between the UI (renderer/) and the app's host: the Electron main process (through the
 * preload's contextBridge) or the local host (`npm run serve`, over a WebSocket on 127.0.0.1). The
 * renderer only ever sees `OstinatoApi`; it does not know which host implements it.
 *
 * Pure types and plain data: no Node, no Electron, no DOM. Binary payloads are Uint8Array (IPC
 * carries them natively; the WebSocket transport encodes them as base64). Every method's arguments
 * are validated by the host (main/shared/validate.ts) before use.
 */

export type Backend = 'tensorflow' | 'wasm' | 'cpu';
export type GridName = '8th' | '16th' | '32nd' | '8th-triplet' | '16th-triplet';

export interface AppInfo {
  version: string;
  host: 'electron' | 'browser';
  backend: Backend;
  userDataDir: string;
}

export interface TrackSummary {
  index: number;
  name: string;
  instrument: string;
  channel: number;
  notes: number;
  isDrum: boolean;
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
}

export interface ImportFile {
  name: string; // relative path as the user chose it (file or folder entry)
  data: Uint8Array;
}

export interface ImportResult {
  imported: CorpusFile[];
  skipped: { name: string; reason: string }[];
}

export interface TrainingOptions {
  name: string; // model name shown in the library
  epochs: number;
  maxSeconds: number; // 0 = no limit
  hiddenSize: number;
  numLayers: number;
  embeddingDim: number;
  dropout: number;
  seqLen: number;
  batchSize: number;
  learningRate: number;
  transpose: number; // augmentation range in semitones (±)
  grid: GridName;
  resumeModelId?: string; // continue training this model
}

export type TrainingEvent =
  | { type: 'started'; modelId: string; backend: Backend; totalEpochs: number; parameters: number }
  | {
      type: 'batch';
      epoch: number;
      batch: number;
      batchesPerEpoch: number;
      loss: number;
      tokensPerSecond: number;
      progress: number; // 0..1 over the whole run
      etaSeconds: number;
    }
  | {
      type: 'epoch';
      epoch: number;
      trainLoss: number;
      trainAccuracy: number;
      valLoss: number;
      valAccuracy: number;
      checkpointSaved: boolean;
    }
  | { type: 'done'; modelId: string; reason: 'completed' | 'cancelled' | 'early-stopped' | 'time-limit' }
  | { type: 'error'; message: string };

export interface ModelInfo {
  id: string;
  name: string;
  bundled: boolean; // the default model shipped with the app (read-only)
  createdAt: string; // ISO date
  epochs: number;
  parameters: number;
  vocabSize: number;
  grid: GridName;
  bestValLoss: number | null;
  corpusFiles: number;
}

export type ScaleName = 'none' | 'major' | 'minor' | 'dorian' | 'mixolydian' | 'pentatonic' | 'blues';

export interface GenerateOptions {
  modelId: string;
  primer: { kind: 'none' } | { kind: 'corpus'; fileId: string; bars: number } | { kind: 'file'; file: ImportFile; bars: number };
  bars: number;
  temperature: number;
  topK: number; // 0 = off
  topP: number; // 1 = off
  seed: number;
  tempo: number; // bpm
  key: string; // 'C', 'C#', ... 'B'
  scale: ScaleName;
  variations: number;
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
}

export interface OstinatoApi {
  info(): Promise<AppInfo>;

  corpusList(): Promise<CorpusFile[]>;
  corpusImport(files: ImportFile[]): Promise<ImportResult>;
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

  generate(options: GenerateOptions): Promise<GeneratedPiece[]>;
  midiExport(piece: GeneratedPiece): Promise<{ name: string; data: Uint8Array }>;
  /** Electron: starts a native drag of the piece as a .mid file. Browser host: returns false. */
  startDrag(piece: GeneratedPiece): Promise<boolean>;

  onTraining(listener: (event: TrainingEvent) => void): () => void;
  /** Menu commands from the host (Electron menus); the browser host never sends any. */
  onMenu(listener: (command: MenuCommand) => void): () => void;
}

export type MenuCommand =
  | 'import-midi'
  | 'open-model'
  | 'save-model-as'
  | 'export-midi'
  | 'export-wav'
  | 'play-stop'
  | 'about';

/** The methods callable over IPC or the WebSocket (everything but the event subscriptions). */
export type ApiMethod = Exclude<keyof OstinatoApi, 'onTraining' | 'onMenu'>;
