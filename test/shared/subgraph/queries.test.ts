import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import { QUERY_FILES, loadQuery } from '../../../shared/subgraph/queries';
import { SCHEMA_DIR } from '../../../local/subgraph/subgraph_runtime';
import { SHARED_REFERENCE_DIR } from '../../helpers/odds';

// Each query is checked against the real query schemas in ../shared/thegraph (CI), or against the
// repo's identical copies where ../shared is absent.
const schemaDir = existsSync(join(SHARED_REFERENCE_DIR, 'thegraph')) ? join(SHARED_REFERENCE_DIR, 'thegraph') : SCHEMA_DIR;
const schemaFor = (file: string) => buildSchema(readFileSync(join(schemaDir, file), 'utf8'));
const TARGETS: Record<(typeof QUERY_FILES)[number], string[]> = {
  'pool_hour_page.graphql': ['uniswap-v3.query.graphql', 'sushiswap-v3.query.graphql'],
  'pair_hour_page.graphql': ['sushiswap-v2.query.graphql'],
};

describe.each(QUERY_FILES.flatMap((q) => TARGETS[q].map((s) => [q, s] as const)))('%s against %s', (query, schemaFile) => {
  test('validates', () => {
    expect(validate(schemaFor(schemaFile), parse(loadQuery(query))).map((e) => e.message)).toEqual([]);
  });
});

test('a query with a field the schema lacks fails validation (the check can fail)', () => {
  const broken = loadQuery('pool_hour_page.graphql').replace('feesUSD', 'feesUsd');
  expect(validate(schemaFor('uniswap-v3.query.graphql'), parse(broken)).map((e) => e.message)).toEqual(['Cannot query field "feesUsd" on type "PoolHourData". Did you mean "feesUSD"?']);
});
