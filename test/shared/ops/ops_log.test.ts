import { memoryLogger } from '../../../shared/logging';
import { alertRateLogLine, freshnessLogLine, logOps, slackDeliveryLogLine } from '../../../shared/ops/ops_log';

const H = Date.parse('2026-11-24T10:00:00Z') / 1000;

describe('ops log lines', () => {
  test('freshness: newest hour and its lag behind now in hours', () => {
    expect(freshnessLogLine('fetched', 'uniswap-v3-ethereum', H, new Date('2026-11-24T13:30:00Z'))).toEqual({
      severity: 'INFO',
      message: 'freshness fetched uniswap-v3-ethereum 2026-11-24T10:00:00Z',
      fields: { freshness: { kind: 'fetched', source: 'uniswap-v3-ethereum', newest_hour: '2026-11-24T10:00:00Z', lag_hours: 3.5 } },
    });
  });

  test.each([
    ['kind', () => freshnessLogLine('mined' as 'fetched', 's', H, new Date()), "freshness kind: 'mined' is not one of fetched, loaded, scored"],
    ['source', () => freshnessLogLine('loaded', '', H, new Date()), 'freshness source: must not be empty'],
    ['hour', () => freshnessLogLine('scored', 's', H + 60, new Date()), `freshness newest hour: ${H + 60} is not a whole hour in unix seconds`],
    ['alerts', () => alertRateLogLine('s', H, 3, 4), 'alert rate alerts: 4 is not a count between 0 and 3'],
    ['pools', () => alertRateLogLine('s', H, -1, 0), 'alert rate scored pools: -1 is not a count'],
  ])('invalid %s is named', (_name, build, message) => {
    expect(build).toThrow(message);
  });

  test('alert rate: alerts over scored pools; no rate when nothing was scored', () => {
    expect(alertRateLogLine('sushiswap-v2-ethereum', H, 400, 6).fields).toEqual({ alert_rate: { source: 'sushiswap-v2-ethereum', hour: '2026-11-24T10:00:00Z', scored_pools: 400, alerts: 6, rate: 0.015 } });
    expect(alertRateLogLine('s', H, 0, 0).fields).toEqual({ alert_rate: { source: 's', hour: '2026-11-24T10:00:00Z', scored_pools: 0, alerts: 0 } });
  });

  test('slack delivery: INFO when sent or retried, WARNING with status and error when it failed; only a failure is ok: false', () => {
    expect(slackDeliveryLogLine({ outcome: 'sent', alerts: 2, attempts: 1 })).toEqual({ severity: 'INFO', message: 'slack delivered 2 alerts', fields: { slack_delivery: { outcome: 'sent', ok: true, alerts: 2, attempts: 1 } } });
    expect(slackDeliveryLogLine({ outcome: 'retried', alerts: 2, attempt: 1, delayMs: 7000, status: 429, error: 'rate_limited' })).toEqual({
      severity: 'INFO',
      message: 'slack delivery retried in 7000 ms: rate_limited',
      fields: { slack_delivery: { outcome: 'retried', alerts: 2, attempt: 1, delay_ms: 7000, status: 429, error: 'rate_limited' } },
    });
    expect(slackDeliveryLogLine({ outcome: 'failed', alerts: 2, attempts: 3, status: 429, error: 'rate_limited' })).toEqual({
      severity: 'WARNING',
      message: 'slack delivery failed: rate_limited',
      fields: { slack_delivery: { outcome: 'failed', ok: false, alerts: 2, attempts: 3, status: 429, error: 'rate_limited' } },
    });
  });

  test('logOps writes the line through the logger with its context', () => {
    const logger = memoryLogger();
    logOps(logger.child({ function: 'score' }), slackDeliveryLogLine({ outcome: 'failed', alerts: 1, attempts: 1, error: 'channel_not_found' }));
    expect(logger.lines).toEqual([{ severity: 'WARNING', message: 'slack delivery failed: channel_not_found', function: 'score', slack_delivery: { outcome: 'failed', ok: false, alerts: 1, attempts: 1, error: 'channel_not_found' } }]);
  });
});
