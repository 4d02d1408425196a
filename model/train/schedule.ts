/**
 * Learning-rate schedule: linear warmup from 0 to the peak over `warmupSteps`, then cosine decay
 * to `minLearningRate` at `totalSteps`, and flat after that (a resumed run that goes past the
 * planned length keeps the minimum). A pure function of the step, so resuming from a checkpoint's
 * step count continues the exact schedule.
 */
export interface ScheduleOptions {
  learningRate: number; // peak
  minLearningRate: number;
  warmupSteps: number;
  totalSteps: number;
}

export function learningRateAt(step: number, o: ScheduleOptions): number {
  if (o.warmupSteps > 0 && step < o.warmupSteps) return (o.learningRate * (step + 1)) / o.warmupSteps;
  const span = Math.max(1, o.totalSteps - o.warmupSteps);
  const t = Math.min(1, Math.max(0, (step - o.warmupSteps) / span));
  return o.minLearningRate + (o.learningRate - o.minLearningRate) * 0.5 * (1 + Math.cos(Math.PI * t));
}

/** Warmup length used by training: 5% of the planned steps, at most 100, at least 0. */
export function defaultWarmupSteps(totalSteps: number): number {
  return Math.max(0, Math.min(100, Math.round(0.05 * totalSteps)));
}
