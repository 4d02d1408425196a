/**
 * The UI's state: one small observable store. Panels read it and subscribe to the keys they draw;
 * actions write it. No framework.
 */
import type {
  AppInfo,
  CorpusFile,
  GeneratedPiece,
  ImportResult,
  ModelInfo,
  TrainingOptions,
} from '../main/shared/api.js';
import type { InstrumentKind } from './audio/instruments.js';
import type { LoopRegion } from './pianoroll/geometry.js';
import { GENERATE_OPTIONS } from '../model/common/generate-options.js';

export interface LossPoint {
  x: number; // fractional epoch (epoch - 1 + batch / batchesPerEpoch), starting at 0
  y: number;
}

export interface TrainingState {
  running: boolean;
  modelId: string | null;
  totalEpochs: number;
  parameters: number;
  epoch: number;
  batch: number;
  batchesPerEpoch: number;
  progress: number;
  etaSeconds: number;
  tokensPerSecond: number;
  batchLoss: LossPoint[];
  trainLoss: LossPoint[]; // per epoch
  valLoss: LossPoint[]; // per epoch
  message: string;
}

export interface AppState {
  info: AppInfo | null;
  corpus: CorpusFile[];
  /** The corpus shipped with the app (read-only). */
  bundledCorpus: CorpusFile[];
  /** A corpus file to make the generate panel's primer (set by "Use as primer"; it clears it). */
  primerRequest: string | null;
  lastImport: (ImportResult & { localSkipped: { name: string; reason: string }[] }) | null;
  importing: { done: number; total: number; phase: string } | null;
  /** Import with notes held through the sustain pedal (the corpus panel's switch). */
  importSustain: boolean;
  models: ModelInfo[];
  selectedModelId: string | null;
  defaults: TrainingOptions | null;
  training: TrainingState;
  pieces: GeneratedPiece[];
  selectedPieceId: string | null;
  /** The selected notes (indices into the piece's notes) of the piece `pieceId` (renderer/edit/). */
  noteSelection: NoteSelection;
  generating: boolean;
  instrument: InstrumentKind;
  playing: boolean;
  loop: boolean;
  /** The part of the selected piece that the loop repeats (null: the whole piece). */
  loopRegion: LoopRegion | null;
  metronome: boolean;
  /** One bar of clicks before playback starts. */
  countIn: boolean;
  tempo: number;
  volumeDb: number;
  view: 'corpus' | 'train' | 'models' | 'generate';
}

export interface NoteSelection {
  pieceId: string | null;
  indices: readonly number[];
}

export function emptyTraining(): TrainingState {
  return {
    running: false,
    modelId: null,
    totalEpochs: 0,
    parameters: 0,
    epoch: 0,
    batch: 0,
    batchesPerEpoch: 0,
    progress: 0,
    etaSeconds: 0,
    tokensPerSecond: 0,
    batchLoss: [],
    trainLoss: [],
    valLoss: [],
    message: 'Not started',
  };
}

type Listener = () => void;

export class Store {
  private state: AppState;
  private readonly listeners = new Map<keyof AppState, Set<Listener>>();

  constructor(initial: AppState) {
    this.state = initial;
  }

  get<K extends keyof AppState>(key: K): AppState[K] {
    return this.state[key];
  }

  set(patch: Partial<AppState>): void {
    this.state = { ...this.state, ...patch };
    const fired = new Set<Listener>();
    for (const key of Object.keys(patch) as (keyof AppState)[]) {
      for (const l of this.listeners.get(key) ?? []) {
        if (!fired.has(l)) {
          fired.add(l);
          l();
        }
      }
    }
  }

  /** Calls `listener` whenever one of `keys` is set. Returns the unsubscribe function. */
  on(keys: (keyof AppState)[], listener: Listener): () => void {
    for (const k of keys) {
      if (!this.listeners.has(k)) this.listeners.set(k, new Set());
      this.listeners.get(k)!.add(listener);
    }
    return () => keys.forEach((k) => this.listeners.get(k)?.delete(listener));
  }

  selectedPiece(): GeneratedPiece | null {
    return this.state.pieces.find((p) => p.id === this.state.selectedPieceId) ?? null;
  }

  /** The selected notes of the selected piece (none when the selection belongs to another). */
  selectedNotes(): readonly number[] {
    const s = this.state.noteSelection;
    return s.pieceId !== null && s.pieceId === this.state.selectedPieceId ? s.indices : [];
  }

  selectedModel(): ModelInfo | null {
    return this.state.models.find((m) => m.id === this.state.selectedModelId) ?? null;
  }
}

export const store = new Store({
  info: null,
  corpus: [],
  bundledCorpus: [],
  primerRequest: null,
  lastImport: null,
  importing: null,
  importSustain: true,
  models: [],
  selectedModelId: null,
  defaults: null,
  training: emptyTraining(),
  pieces: [],
  selectedPieceId: null,
  noteSelection: { pieceId: null, indices: [] },
  generating: false,
  instrument: 'piano',
  playing: false,
  loop: false,
  loopRegion: null,
  metronome: false,
  countIn: false,
  tempo: GENERATE_OPTIONS.tempo.default,
  volumeDb: -6,
  view: 'corpus',
});
