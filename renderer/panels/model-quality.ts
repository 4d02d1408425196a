/**
 * How well trained a model looks: its best validation loss against the bigram baseline of its
 * corpus (a count model of which event follows which). A model that does not beat the bigram
 * has learned little more than those counts: it is under-trained. Pure: unit tested.
 */
import type { ModelInfo } from '../../main/shared/api.js';

export type Quality = 'good' | 'weak' | 'under' | 'unknown';

/** Below this share of the bigram's loss a model counts as clearly better than the bigram. */
export const WEAK_RATIO = 0.9;

export interface QualityHint {
  quality: Quality;
  /** One line for the model card and the generate panel. */
  text: string;
}

export function qualityHint(m: Pick<ModelInfo, 'bestValLoss' | 'bigramValLoss' | 'epochs'>): QualityHint {
  const val = m.bestValLoss;
  const bigram = m.bigramValLoss;
  if (val === null || !Number.isFinite(val))
    return { quality: 'unknown', text: 'No validation loss yet: train at least one epoch.' };
  if (bigram === null || !Number.isFinite(bigram) || bigram <= 0)
    return {
      quality: 'unknown',
      text: `Validation loss ${val.toFixed(3)} nats/event (no bigram baseline recorded for this model).`,
    };
  const pct = Math.round((1 - val / bigram) * 100);
  const vs = `validation loss ${val.toFixed(3)} against ${bigram.toFixed(3)} for the corpus’ bigram baseline`;
  if (val >= bigram)
    return {
      quality: 'under',
      text: `Under-trained: ${vs}, no better than counting which event follows which. Train more epochs.`,
    };
  if (val > bigram * WEAK_RATIO)
    return {
      quality: 'weak',
      text: `Barely trained: ${vs} (${pct}% better). More epochs should help.`,
    };
  return { quality: 'good', text: `Trained: ${vs} (${pct}% better).` };
}
