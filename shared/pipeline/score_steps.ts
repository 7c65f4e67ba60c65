/**
 * The steps of scoring one hour, in the order they run, for `npm run bench:score` and for anyone
 * asking where an hour's time goes. The observer is optional: without one nothing is measured.
 */
export const SCORE_STEPS = ['model', 'read', 'score', 'policy', 'explain', 'write', 'alerts'] as const;
export type ScoreStep = (typeof SCORE_STEPS)[number];

/** Wall time and the process's CPU time (every thread, DuckDB's included) of one step, in ms. */
export interface StepCost {
  readonly wallMs: number;
  readonly cpuMs: number;
}

export type StepObserver = (step: ScoreStep, cost: StepCost) => void;

/** Runs `work` as `step`, reporting its cost to `observer` when there is one. */
export async function timedStep<T>(observer: StepObserver | undefined, step: ScoreStep, work: () => Promise<T> | T): Promise<T> {
  if (!observer) return work();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await work();
  const used = process.cpuUsage(cpu);
  observer(step, { wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 });
  return result;
}
