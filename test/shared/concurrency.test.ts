import { mapConcurrent } from '../../shared/concurrency';

/** A call that finishes when the test says so, to see how many are in flight. */
function gate() {
  const waiting: (() => void)[] = [];
  let inFlight = 0;
  let most = 0;
  const call = async (x: number) => {
    inFlight++;
    most = Math.max(most, inFlight);
    await new Promise<void>((resolve) => waiting.push(resolve));
    inFlight--;
    return x * 10;
  };
  const releaseAll = async () => {
    while (waiting.length > 0) {
      waiting.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { call, releaseAll, most: () => most, waiting: () => waiting.length };
}

test('at most `limit` calls in flight, results in the order of the items', async () => {
  const g = gate();
  const all = mapConcurrent([1, 2, 3, 4, 5, 6, 7], 3, g.call);
  await new Promise((resolve) => setImmediate(resolve));
  expect(g.waiting()).toBe(3);
  await g.releaseAll();
  expect(await all).toEqual([10, 20, 30, 40, 50, 60, 70]);
  expect(g.most()).toBe(3);
});

test('after a failure no call starts, the started ones finish, then the first failure is thrown', async () => {
  const started: number[] = [];
  const finished: number[] = [];
  let releaseThree: () => void = () => undefined;
  const run = mapConcurrent([1, 2, 3, 4, 5], 2, async (x) => {
    started.push(x);
    if (x === 1) await new Promise<void>((resolve) => (releaseThree = resolve));
    if (x === 2) throw new Error('two failed');
    finished.push(x);
    return x;
  });
  let settled = false;
  void run.catch(() => undefined).finally(() => (settled = true));
  await new Promise((resolve) => setImmediate(resolve));
  // 2 failed while 1 still runs: nothing new starts, and the failure waits for 1.
  expect(started).toEqual([1, 2]);
  expect(settled).toBe(false);
  releaseThree();
  await expect(run).rejects.toThrow('two failed');
  expect(finished).toEqual([1]);
  expect(started).toEqual([1, 2]);
});

test('an empty list and a bad limit', async () => {
  expect(await mapConcurrent([], 4, () => Promise.resolve(1))).toEqual([]);
  await expect(mapConcurrent([1], 0, () => Promise.resolve(1))).rejects.toThrow('concurrency limit must be a whole number of at least 1, got 0');
});
