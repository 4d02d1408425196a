/**
 * What a training run reports while it runs: the progress events of trainModel, which the app's
 * contract (main/shared/api.ts) re-exports as they are. Pure types: the renderer's bundle may name
 * them without pulling in any of the core.
 */
import type { BackendName } from '../common/types.js';

/** Why a training run ended. */
export type StopReason = 'completed' | 'cancelled' | 'early-stopped' | 'time-limit';

export type TrainingEvent =
  | {
      type: 'started';
      modelId: string;
      backend: BackendName;
      totalEpochs: number;
      parameters: number;
      /** Threads the trainer uses, and why this backend and thread count (measured: lstm/setup.ts). */
      threads?: number;
      setup?: string;
    }
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
  | { type: 'done'; modelId: string; reason: StopReason }
  | { type: 'error'; message: string };
