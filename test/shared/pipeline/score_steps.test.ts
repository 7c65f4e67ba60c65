import { timedStep, type StepCost } from '../../../shared/pipeline/score_steps';

test('a step answers its work’s result and reports its name and costs once', async () => {
  const seen: [string, StepCost][] = [];
  const result = await timedStep((step, cost) => seen.push([step, cost]), 'read', () => Promise.resolve(42));
  expect(result).toBe(42);
  expect(seen.map(([step]) => step)).toEqual(['read']);
  expect(seen[0]![1].wallMs).toBeGreaterThanOrEqual(0);
  expect(seen[0]![1].cpuMs).toBeGreaterThanOrEqual(0);
});

test('without an observer the work runs unmeasured, and a failing step reports nothing', async () => {
  await expect(timedStep(undefined, 'score', () => 'done')).resolves.toBe('done');
  const seen: string[] = [];
  await expect(timedStep((step) => seen.push(step), 'write', () => Promise.reject(new Error('disk full')))).rejects.toThrow('disk full');
  expect(seen).toEqual([]);
});
