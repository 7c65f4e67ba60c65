import { ownCpuSeconds, processCpuSeconds } from '../../../shared/ops/cpu_time';

test('this process, read through /proc, uses about what process.cpuUsage says', () => {
  const viaProc = processCpuSeconds(process.pid);
  if (viaProc === undefined) {
    console.warn('no /proc on this system: processCpuSeconds answers undefined, as documented');
    return;
  }
  // /proc counts in 10 ms ticks and is read a moment apart from cpuUsage.
  expect(Math.abs(viaProc - ownCpuSeconds())).toBeLessThan(0.5);
  expect(viaProc).toBeGreaterThan(0);
});

test('a process that does not exist has no CPU time', () => {
  expect(processCpuSeconds(2 ** 22 + 12345)).toBeUndefined();
});
