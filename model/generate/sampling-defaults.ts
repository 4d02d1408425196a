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

export const DEFAULT_SAMPLING: Readonly<SamplingSettings> = Object.freeze({
  temperature: 1,
  topK: 0,
  topP: 0.95,
});
