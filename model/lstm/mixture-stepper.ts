import type { LstmConfig, LstmStepper } from './types.js';
import { InputError } from '../common/options.js';

/**
 * An ensemble of steppers as one stepper: every step feeds the same tokens to each member and
 * returns the mean of their next-token distributions (a mixture with equal weights). Each member is
 * a proper distribution over the vocabulary, so the mean is one too, and any renormalisation or
 * masking the caller applies works on it exactly as on a single model. The members may differ in
 * size; they must share the vocabulary. A temperature is applied to each member before the mean.
 */
export function createMixtureStepper(members: readonly LstmStepper[]): LstmStepper {
  if (members.length === 0) throw new InputError('a mixture needs at least one member');
  const V = members[0].config.vocabSize;
  for (const m of members)
    if (m.config.vocabSize !== V)
      throw new InputError(
        `mixture members disagree on the vocabulary: ${m.config.vocabSize} vs ${V} tokens`,
      );
  if (members.length === 1) return members[0];
  const config: LstmConfig = { ...members[0].config };
  let out = new Float32Array(0);
  const w = 1 / members.length;
  return {
    config,
    reset(batch) {
      for (const m of members) m.reset(batch);
    },
    step(tokens, temperature) {
      if (out.length !== tokens.length * V) out = new Float32Array(tokens.length * V);
      out.fill(0);
      for (const m of members) {
        const p = m.step(tokens, temperature);
        for (let i = 0; i < out.length; i++) out[i] += w * p[i];
      }
      return out;
    },
    broadcastRow(from) {
      for (const m of members) m.broadcastRow(from);
    },
    dispose() {
      for (const m of members) m.dispose();
    },
  };
}
