/**
 * Each log-based metric's filter, run against the lines the code really writes: the HTTP and
 * CloudEvent wrappers' one line per invocation, and the ops lines of shared/ops/ops_log.ts. Each
 * alert policy watches a metric defined here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudEvent, Request, Response } from '@google-cloud/functions-framework';
import { cloudEventFunction } from '../../functions/_runtime/cloud_event_function';
import { httpFunction } from '../../functions/_runtime/http_function';
import { createFetchFunction } from '../../functions/fetch/handler';
import { createLoadFunction } from '../../functions/load/handler';
import { localSources } from '../../shared/config/sources';
import { manifestKey } from '../../shared/raw/raw_layout';
import { writeHour } from '../../shared/raw/write_hour';
import { LocalFolderStore } from '../../shared/storage/local_folder_store';
import { DuckDbWarehouse } from '../../shared/warehouse/duckdb_warehouse';
import { InvalidInputError, NotReadyError, UpstreamError } from '../../shared/errors';
import { memoryLogger } from '../../shared/logging';
import { slackNotifier } from '../../shared/alerts/slack_notifier';
import { alertRateLogLine, FRESHNESS_KINDS, freshnessLogLine, logOps } from '../../shared/ops/ops_log';
import { SLACK_OK, startFakeSlack, type SlackReply } from '../helpers/fake_slack';
import { allStrings, blocks, loadTerraform, mapAttr, mustGet, type Body, type TfModule } from './hcl';
import { entryFromLine, extract, matchesLogFilter, type LogEntry } from './logging_filter';

const NOW = new Date('2026-11-24T13:30:00Z');
const HOUR = Date.parse('2026-11-24T10:00:00Z') / 1000;

/** What one HTTP invocation logs when its handler answers or throws `outcome`. */
async function httpLine(name: string, outcome: Error | 200): Promise<LogEntry> {
  const logger = memoryLogger();
  const fn = httpFunction(name, () => (outcome === 200 ? Promise.resolve({ status: 200, body: {} }) : Promise.reject(outcome)), { logger, clock: () => 0 });
  const req = { method: 'POST', originalUrl: '/', path: '/', get: () => undefined } as unknown as Request;
  const res = { set: () => res, status: () => res, json: () => res } as unknown as Response;
  await fn(req, res);
  expect(logger.lines).toHaveLength(1);
  return entryFromLine(logger.lines[0]!, `dex-${name}`);
}

/** What one CloudEvent invocation logs when its handler succeeds or throws `outcome`. */
async function eventLine(name: string, outcome: Error | 'ok'): Promise<LogEntry> {
  const logger = memoryLogger();
  const fn = cloudEventFunction(name, () => (outcome === 'ok' ? Promise.resolve({}) : Promise.reject(outcome)), { logger, recordDeadLetter: () => Promise.resolve(), now: () => NOW });
  const event = { id: 'e1', type: 'google.cloud.pubsub.topic.v1.messagePublished', source: 's', specversion: '1.0', data: {} } as CloudEvent<unknown>;
  await fn(event).catch(() => undefined);
  expect(logger.lines).toHaveLength(1);
  return entryFromLine(logger.lines[0]!, `dex-${name}`);
}

/**
 * The lines the Slack notifier writes for one message (the score function's logger), against a
 * loopback Slack answering `replies` in turn.
 */
async function slackLines(replies: SlackReply[]): Promise<LogEntry[]> {
  const slack = await startFakeSlack((_r, i) => replies[Math.min(i, replies.length - 1)]!);
  const logger = memoryLogger();
  try {
    const notifier = slackNotifier({ token: 'fake-slack-bot-token', channel: '#dex-alerts', slackApiUrl: slack.url, retryDeps: { sleep: () => Promise.resolve(), random: () => 0 }, logger: logger.child({ function: 'score' }) });
    await notifier.send({ kind: 'digest', text: 't', blocks: [], alertIds: ['a1', 'a2'] }).catch(() => undefined);
  } finally {
    await slack.close();
  }
  return logger.lines.map((line) => entryFromLine(line, 'dex-score'));
}
const RATE_LIMITED: SlackReply = { status: 429, headers: { 'retry-after': '1' }, body: { ok: false, error: 'ratelimited' } };
const INVALID_AUTH: SlackReply = { body: { ok: false, error: 'invalid_auth' } };

function opsLine(name: string, line: Parameters<typeof logOps>[1]): LogEntry {
  const logger = memoryLogger();
  logOps(logger.child({ function: name }), line);
  return entryFromLine(logger.lines[0]!, `dex-${name}`);
}

let monitoring: TfModule;
const metric = (name: string): Body => {
  const m = monitoring.resources.get(`google_logging_metric.${name}`);
  if (!m) throw new Error(`no google_logging_metric.${name}`);
  return m;
};
const filterOf = (name: string): string => String(metric(name).filter);

beforeAll(() => {
  monitoring = mustGet(loadTerraform(), 'modules/monitoring');
});

describe('function failures', () => {
  test('5xx answers, dead letters and retried events count; successes and callers mistakes do not', async () => {
    const cases: [string, LogEntry, boolean][] = [
      ['http 502 upstream', await httpLine('fetch', new UpstreamError('gateway 503', true)), true],
      ['http 503 not ready', await httpLine('score', new NotReadyError('mart not built')), true],
      ['http 500 unexpected', await httpLine('train', new TypeError('x')), true],
      ['http 400 bad request', await httpLine('serve', new InvalidInputError('bad body')), false],
      ['http 200', await httpLine('fetch', 200), false],
      ['event retried', await eventLine('load', new UpstreamError('BigQuery 500', true)), true],
      ['event dead letter', await eventLine('load', new InvalidInputError('malformed event')), true],
      ['event handled', await eventLine('load', 'ok'), false],
      ['slack failure (its own metric)', (await slackLines([INVALID_AUTH]))[0]!, false],
      ['an ERROR line inside a run', opsLine('score', { severity: 'ERROR', message: 'alert delivery failed: invalid_auth', fields: { retryable: false } }), false],
      ['cloud run request log (no function field)', { severity: 'ERROR', resource: { type: 'cloud_run_revision' }, httpRequest: { status: 503 } }, false],
      ['freshness line', opsLine('fetch', freshnessLogLine('fetched', 's', HOUR, NOW)), false],
    ];
    expect(cases.map(([what, entry]) => [what, matchesLogFilter(filterOf('function_failures'), entry)])).toEqual(cases.map(([what, , expected]) => [what, expected]));
  });

  // The real code paths: a run writes ERROR lines on its way besides its one invocation line.
  describe('one failed run counts once, however many ERROR lines it wrote', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'monitoring-'));
    });
    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });
    const counted = (entries: LogEntry[]) => entries.filter((e) => matchesLogFilter(filterOf('function_failures'), e)).length;

    test('fetch, every source unreachable: an ERROR line per source, one failed invocation', async () => {
      const logger = memoryLogger();
      // Port 1 on the loopback refuses at once; one attempt, no sleeping.
      const fn = createFetchFunction({ LOCAL_SUBGRAPH_URL: 'http://127.0.0.1:1', DATA_STORE_URL: dir, FETCH_START_HOUR: '2026-11-24T10:00:00Z', FETCH_RETRY_ATTEMPTS: '1' }, { logger, now: () => NOW, retryDeps: { sleep: () => Promise.resolve(), random: () => 0.5 } });
      let status = 0;
      const req = { method: 'POST', originalUrl: '/', path: '/', get: () => undefined, body: {} } as unknown as Request;
      const res = { set: () => res, status: (s: number) => ((status = s), res), json: () => res } as unknown as Response;
      await fn(req, res);
      const entries = logger.lines.map((l) => entryFromLine(l, 'dex-fetch'));
      expect(status).toBeGreaterThanOrEqual(500);
      expect(entries.filter((e) => e.severity === 'ERROR').length).toBeGreaterThan(2);
      expect(counted(entries)).toBe(1);
    });

    test('load, a manifest that is gone: the corrupt-hour ERROR line and the dead letter, one failed invocation', async () => {
      const logger = memoryLogger();
      const warehouse = await DuckDbWarehouse.open();
      try {
        const fn = createLoadFunction({ DATA_STORE_URL: dir, WAREHOUSE: 'duckdb::memory:' }, { logger, warehouse, now: () => NOW });
        await fn({ id: 'e1', type: 'google.cloud.storage.object.v1.finalized', source: 's', specversion: '1.0', data: { bucket: 'raw', name: manifestKey('uniswap-v3-ethereum', HOUR) } });
      } finally {
        await warehouse.close();
      }
      const entries = logger.lines.map((l) => entryFromLine(l, 'dex-load'));
      expect(entries.filter((e) => e.severity === 'ERROR')).toHaveLength(2);
      expect(counted(entries)).toBe(1);
    });
  });

  test('the function label is extracted from the line', async () => {
    const labels = mapAttr(metric('function_failures'), 'label_extractors') ?? {};
    expect(extract(String(labels.function), await httpLine('score', new NotReadyError('x')))).toBe('score');
    expect(extract(String(labels.function), await eventLine('load', new InvalidInputError('x')))).toBe('load');
  });
});

describe('freshness', () => {
  test.each(FRESHNESS_KINDS.map((k) => [k]))('a %s line matches, with its lag as the value and kind and source as labels', (kind) => {
    const entry = opsLine('fetch', freshnessLogLine(kind, 'uniswap-v3-ethereum', HOUR, NOW));
    expect(matchesLogFilter(filterOf('freshness_lag'), entry)).toBe(true);
    expect(extract(String(metric('freshness_lag').value_extractor), entry)).toBe(3.5);
    const labels = mapAttr(metric('freshness_lag'), 'label_extractors') ?? {};
    expect([extract(String(labels.kind), entry), extract(String(labels.source), entry)]).toEqual([kind, 'uniswap-v3-ethereum']);
  });

  // fetch's and score's handlers are checked for their lines in test/functions; load's here.
  test('load writes a loaded line for the hour it records, which the metric reads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'monitoring-'));
    const logger = memoryLogger();
    const warehouse = await DuckDbWarehouse.open();
    const source = localSources('http://127.0.0.1:1')[0]!;
    const row = { entity_id: `0xaa-${HOUR / 3600}`, pool_id: '0xaa', hour_start_unix: HOUR, dex: 'uniswap', chain: 'ethereum', kind: 'uniswap-v3', token0_id: '0x1', token0_symbol: 'A', token0_decimals: '18', token1_id: '0x2', token1_symbol: 'B', token1_decimals: '18', fee_tier: '500', tvl_usd: '1000', volume_usd: '42', fees_usd: '0.5', volume_token0: '1', volume_token1: '1', tx_count: '3', token0_price: '1', token1_price: '1', open: '1', high: '1', low: '1', close: '1', liquidity: '1', reserve0: null, reserve1: null, block_number: 9, block_timestamp: HOUR + 3700 };
    try {
      await writeHour(new LocalFolderStore(dir), source, { hourStart: HOUR, rows: [row], quarantined: [], block: { number: 9, timestamp: HOUR + 3700, hash: '0x9' }, pages: 1, duplicateRows: 0, hasIndexingErrors: false }, NOW);
      const fn = createLoadFunction({ DATA_STORE_URL: dir, WAREHOUSE: 'duckdb::memory:' }, { logger, warehouse, now: () => NOW });
      await fn({ id: 'e2', type: 'google.cloud.storage.object.v1.finalized', source: 's', specversion: '1.0', data: { bucket: 'raw', name: manifestKey(source.id, HOUR) } });
    } finally {
      await warehouse.close();
      rmSync(dir, { recursive: true, force: true });
    }
    const matching = logger.lines.map((l) => entryFromLine(l, 'dex-load')).filter((e) => matchesLogFilter(filterOf('freshness_lag'), e));
    expect(matching).toHaveLength(1);
    const labels = mapAttr(metric('freshness_lag'), 'label_extractors') ?? {};
    expect([extract(String(labels.kind), matching[0]!), extract(String(labels.source), matching[0]!), extract(String(metric('freshness_lag').value_extractor), matching[0]!)]).toEqual(['loaded', source.id, 3.5]);
  });

  test('other lines do not', async () => {
    expect(matchesLogFilter(filterOf('freshness_lag'), await httpLine('fetch', 200))).toBe(false);
    expect(matchesLogFilter(filterOf('freshness_lag'), opsLine('score', alertRateLogLine('s', HOUR, 10, 1)))).toBe(false);
  });

  test('the staleness policy has a threshold and an absence condition for every stage', () => {
    const thresholds = mapAttr(monitoring.variables.get('stale_after_hours')!, 'default') ?? {};
    expect(Object.keys(thresholds).sort()).toEqual([...FRESHNESS_KINDS].sort());
    const dynamic = mapAttr(monitoring.resources.get('google_monitoring_alert_policy.data_stale')!, 'dynamic') ?? {};
    const conditions = blocks(dynamic, 'conditions').map((c) => Object.keys(blocks(c, 'content')[0]!).filter((k) => k.startsWith('condition_'))[0]);
    expect(conditions).toEqual(['condition_threshold', 'condition_absent']);
  });
});

describe('alert rate', () => {
  test('a scoring run line matches with its rate; a run that scored nothing carries no rate and does not', () => {
    const entry = opsLine('score', alertRateLogLine('sushiswap-v3-ethereum', HOUR, 200, 3));
    expect(matchesLogFilter(filterOf('alert_rate'), entry)).toBe(true);
    expect(extract(String(metric('alert_rate').value_extractor), entry)).toBe(0.015);
    expect(extract(String((mapAttr(metric('alert_rate'), 'label_extractors') ?? {}).source), entry)).toBe('sushiswap-v3-ethereum');
    expect(matchesLogFilter(filterOf('alert_rate'), opsLine('score', alertRateLogLine('s', HOUR, 0, 0)))).toBe(false);
  });

  test('the band policy watches both edges', () => {
    const policy = monitoring.resources.get('google_monitoring_alert_policy.alert_rate_out_of_band')!;
    const comparisons = blocks(policy, 'conditions').map((c) => blocks(c, 'condition_threshold')[0]!.comparison);
    expect(comparisons).toEqual(['COMPARISON_GT', 'COMPARISON_LT']);
  });
});

describe('slack deliveries', () => {
  test("the notifier's lines: a failed message matches; a retry and a message sent after it do not", async () => {
    const outcomes = async (replies: SlackReply[]) => (await slackLines(replies)).map((e) => [extract('EXTRACT(jsonPayload.slack_delivery.outcome)', e), matchesLogFilter(filterOf('slack_failures'), e)]);
    expect(await outcomes([RATE_LIMITED, SLACK_OK])).toEqual([['retried', false], ['sent', false]]);
    expect(await outcomes([INVALID_AUTH])).toEqual([['failed', true]]);
    expect(await outcomes([RATE_LIMITED])).toEqual([['retried', false], ['retried', false], ['failed', true]]);
  });
});

test('every alert policy watches a metric defined here, and every metric has a policy', () => {
  const metrics = [...monitoring.resources.keys()].filter((k) => k.startsWith('google_logging_metric.')).map((k) => k.split('.')[1]!);
  const watched = new Set<string>();
  for (const [key, policy] of monitoring.resources) {
    if (!key.startsWith('google_monitoring_alert_policy.')) continue;
    expect([key, policy.notification_channels]).toEqual([key, '${var.notification_channels}']);
    for (const s of allStrings(policy)) for (const m of s.matchAll(/google_logging_metric\.([a-z_]+)\.name/g)) watched.add(m[1]!);
  }
  expect([...watched].sort()).toEqual(metrics.sort());
});
