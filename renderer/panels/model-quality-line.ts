/** The model-quality hint (model-quality.ts) as a line of the page, coloured by how it stands. */
import type { ModelInfo } from '../../main/shared/api.js';
import { h } from '../ui/dom.js';
import { qualityHint } from './model-quality.js';

export function qualityLine(m: ModelInfo | null, testid: string): HTMLElement {
  const el = h('div', { class: 'quality small-text', 'data-testid': testid });
  if (!m) {
    el.hidden = true;
    return el;
  }
  const q = qualityHint(m);
  el.textContent = q.text;
  el.dataset.quality = q.quality;
  el.title =
    'The validation loss (nats per event of the held-out pieces) next to a bigram count model of the same corpus: a model that does not beat the bigram has learned little.';
  return el;
}
