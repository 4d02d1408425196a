/**
 * The default sampling settings of the app's Generate panel, the CLI and `npm run eval:music`: one
 * place, so the benchmark measures what users get. Chosen by `npm run eval:music` (docs/benchmarks.md,
 * "Musical statistics"). Pure data: the renderer imports it too.
 */
export interface SamplingSettings {
  /** 0 = always the likeliest token, 1 = the model's distribution. */
  temperature: number;
  /** Sample only from the k likeliest tokens; 0 = off. */
  topK: number;
  /** Nucleus sampling mass; 1 = off. */
  topP: number;
}

// Measured with `npm run eval:music` (LSTM on the Nottingham training split, REPEAT encoding; sum of
// the 7 overlaps with the held-out tunes): temperature 0.8 / 0.9 / 1.0 at top-p 0.95 gave 5.91 /
// 6.01 / 5.85 (0.9 again 6.05 with another seed); top-p 0.9 / 1.0 at temperature 1 gave 5.92 / 5.81.
export const DEFAULT_SAMPLING: Readonly<SamplingSettings> = Object.freeze({
  temperature: 0.9,
  topK: 0,
  topP: 0.95,
});
