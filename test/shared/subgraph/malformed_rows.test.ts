import { HOUR_SECONDS } from '../../../local/market/market';
import { startLocalSubgraph, type LocalSubgraph } from '../../../local/subgraph/local_subgraph_server';
import { localSources, type Source } from '../../../shared/config/sources';
import { fetchHour, lastAdvancingId } from '../../../shared/subgraph/fetch_hour';
import { float64Decimal, int64Integer } from '../../../shared/subgraph/row_schemas';
import { createSubgraphClient } from '../../../shared/subgraph/subgraph_client';
import { smallMarket, TEST_END_HOUR } from '../../helpers/local_subgraph';

const market = smallMarket(7, 40, 3);
const HOUR = TEST_END_HOUR - 3 * HOUR_SECONDS;
const PAGE = 5;
let sg: LocalSubgraph;
let source: Source;
const client = () => createSubgraphClient(source.id, (source.endpoint as { url: string }).url);
const expectedPools = () => {
  const t = (HOUR - market.startTime) / HOUR_SECONDS;
  const { pools, series } = market.subgraphs['uniswap-v3'];
  return pools.filter((p) => series[p.index]!.active[t] === 1).map((p) => p.address).sort();
};

beforeAll(async () => {
  sg = await startLocalSubgraph({ market });
  source = localSources(`http://127.0.0.1:${sg.port}`)[0]!;
});
afterAll(async () => {
  await sg.close();
});
afterEach(() => {
  sg.faults.clear();
});

// Issue 10, point 4: before, a row without an id at the end of a full page failed every run with
// a retryable "page ended without an advancing id"; the same row mid-page was quarantined.
test.each([0, 1, 2, 3, -1])('a row without an id at position %i of every page is quarantined and paging goes on', async (at) => {
  sg.faults.add({ fault: { kind: 'malformed-rows', field: 'id', mode: 'missing', at } });
  const result = await fetchHour(client(), source, HOUR, PAGE);
  expect(result.pages).toBeGreaterThan(2);
  expect(result.quarantined.length).toBeGreaterThan(0);
  expect(new Set(result.quarantined.map((q) => q.reason))).toEqual(new Set(["field 'id': Invalid input: expected string, received undefined"]));
  // Every pool of the hour is accounted for: fetched, or quarantined with its row.
  const pools = new Set([...result.rows.map((r) => r.pool_id), ...result.quarantined.map((q) => (q.row as { pool: { id: string } }).pool.id)]);
  expect([...pools].sort()).toEqual(expectedPools());
  expect(new Set(result.rows.map((r) => r.entity_id)).size).toBe(result.rows.length);
});

test('the next cursor is the last id after the current one, whatever the rows around it', () => {
  expect(lastAdvancingId([{ id: 'a' }, { id: 'b' }, { tvlUSD: 'x' }], '')).toBe('b');
  expect(lastAdvancingId([{ id: 'c' }, null, { id: 5 }], 'b')).toBe('c');
  expect(lastAdvancingId([{ id: 'a' }], 'a')).toBeUndefined();
});

// Issue 10, point 5: before, '1e400' passed validation (Infinity in the warehouse) and a 20-digit
// transaction count became NULL, then 0.
test.each([
  ['volumeUSD', '1e400', "field 'volumeUSD': 1e400 is beyond the FLOAT64 range (it would become Infinity)"],
  ['tvlUSD', '-1e309', "field 'tvlUSD': -1e309 is beyond the FLOAT64 range (it would become -Infinity)"],
  ['feesUSD', '1e-400', "field 'feesUSD': 1e-400 is non-zero but rounds to 0 as FLOAT64"],
  ['txCount', '99999999999999999999', "field 'txCount': 99999999999999999999 does not fit INT64"],
])('%s = %s is quarantined with the field and the reason', async (field, value, reason) => {
  sg.faults.add({ fault: { kind: 'malformed-rows', field, mode: 'value', value, at: 2 }, times: 1 });
  const result = await fetchHour(client(), source, HOUR);
  expect(result.quarantined.map((q) => q.reason)).toEqual([reason]);
  expect((result.quarantined[0]!.row as Record<string, unknown>)[field]).toBe(value);
  expect(result.rows.length).toBe(expectedPools().length - 1);
});

test.each([
  ['0', true], ['0.000', true], ['0e5', true], ['5e-324', true], ['1.7976931348623157e308', true], ['-12.5', true],
  ['1.8e308', false], ['1e-400', false], ['abc', false],
])('FLOAT64 decimal %s is accepted: %s', (text, ok) => {
  expect(float64Decimal.safeParse(text).success).toBe(ok);
});

test.each([
  ['9223372036854775807', true], ['-9223372036854775808', true], ['0', true],
  ['9223372036854775808', false], ['-9223372036854775809', false], ['1.5', false],
])('INT64 integer %s is accepted: %s', (text, ok) => {
  expect(int64Integer.safeParse(text).success).toBe(ok);
});
