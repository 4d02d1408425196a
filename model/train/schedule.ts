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

/**
 * The step the schedule is evaluated at. Without a time budget (`timeFraction` 0) it is the
 * optimizer step: fully reproducible. With one, it is the larger of the optimizer step and the
 * share of this run's budget already used, mapped onto the steps left in the plan
 * (`startStep` → `totalSteps`), so a run cut by its time limit still ends at the low learning rate.
 */
export function scheduleStep(
  step: number,
  startStep: number,
  totalSteps: number,
  timeFraction: number,
): number {
  if (!(timeFraction > 0)) return step;
  const f = Math.min(1, timeFraction);
  return Math.max(step, Math.round(startStep + f * Math.max(0, totalSteps - startStep)));
}
