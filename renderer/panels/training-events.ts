/** Folding training events into the UI's training state (pure, unit tested). */
import type { TrainingEvent } from '../../main/shared/api.js';
import type { TrainingState } from '../state.js';
import { formatCount } from '../ui/dom.js';

/** Folds one training event into the training state (pure apart from the store). */
export function applyTrainingEvent(t: TrainingState, e: TrainingEvent): TrainingState {
  switch (e.type) {
    case 'started':
      return {
        ...t,
        running: true,
        modelId: e.modelId,
        totalEpochs: e.totalEpochs,
        parameters: e.parameters,
        message: `Training on ${e.backend} · ${formatCount(e.parameters)} parameters`,
      };
    case 'batch': {
      const x = e.epoch - 1 + e.batch / Math.max(1, e.batchesPerEpoch);
      return {
        ...t,
        running: true,
        epoch: e.epoch,
        batch: e.batch,
        batchesPerEpoch: e.batchesPerEpoch,
        progress: e.progress,
        etaSeconds: e.etaSeconds,
        tokensPerSecond: e.tokensPerSecond,
        batchLoss: Number.isFinite(e.loss) ? [...t.batchLoss, { x, y: e.loss }] : t.batchLoss,
        message: `Epoch ${e.epoch}${t.totalEpochs ? ` of ${t.totalEpochs}` : ''} · batch ${e.batch}/${e.batchesPerEpoch}`,
      };
    }
    case 'epoch':
      return {
        ...t,
        epoch: e.epoch,
        trainLoss: [...t.trainLoss, { x: e.epoch, y: e.trainLoss }],
        valLoss: Number.isFinite(e.valLoss) ? [...t.valLoss, { x: e.epoch, y: e.valLoss }] : t.valLoss,
        message: `Epoch ${e.epoch} done · val loss ${e.valLoss.toFixed(3)} · accuracy ${(e.valAccuracy * 100).toFixed(1)}%${e.checkpointSaved ? ' · checkpoint saved' : ''}`,
      };
    case 'done': {
      const why = {
        completed: 'Training finished',
        cancelled: 'Training cancelled',
        'early-stopped': 'Stopped early: validation loss stopped improving',
        'time-limit': 'Stopped at the time limit',
      }[e.reason];
      return {
        ...t,
        running: false,
        modelId: e.modelId,
        progress: e.reason === 'completed' ? 1 : t.progress,
        message: why,
      };
    }
    case 'error':
      return { ...t, running: false, message: `Training failed: ${e.message}` };
  }
}
