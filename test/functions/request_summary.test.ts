import { requestSummary } from '../../functions/_runtime/request_summary';
import { memoryLogger } from '../../shared/logging';

test('one line per window: counts, statuses and latency of the 2xx answers, written by the first answer after it and by flush', () => {
  const logger = memoryLogger();
  let now = 1_000;
  const summary = requestSummary('serve', logger, () => now, 60_000);
  summary.record(200, 4);
  now += 20_000;
  summary.record(200, 10);
  summary.record(204, 1);
  expect(logger.lines).toEqual([]);
  now += 45_000;
  summary.record(200, 7);
  expect(logger.lines).toEqual([{ severity: 'INFO', message: 'serve: 3 requests answered 2xx in 65 s', requests: { answered2xx: 3, byStatus: { 200: 2, 204: 1 }, windowSeconds: 65, latencyMeanMs: 5, latencyMaxMs: 10 } }]);
  now += 5_000;
  summary.flush();
  expect(logger.lines.slice(1)).toEqual([{ severity: 'INFO', message: 'serve: 1 request answered 2xx in 5 s', requests: { answered2xx: 1, byStatus: { 200: 1 }, windowSeconds: 5, latencyMeanMs: 7, latencyMaxMs: 7 } }]);
  summary.flush();
  expect(logger.lines).toHaveLength(2);
});

test('an idle hour is not a window: the next window starts at the next answer', () => {
  const logger = memoryLogger();
  let now = 0;
  const summary = requestSummary('serve', logger, () => now, 60_000);
  now = 3_600_000;
  summary.record(200, 1);
  now += 59_000;
  summary.record(200, 1);
  expect(logger.lines).toEqual([]);
  summary.flush();
  const shortWindow = requestSummary('serve', logger, () => now, 60_000);
  shortWindow.record(200, 1);
  now += 300;
  shortWindow.flush();
  expect(logger.lines.map((l) => l.message)).toEqual(['serve: 2 requests answered 2xx in 59 s', 'serve: 1 request answered 2xx in under 1 s']);
});
