import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { ConfigError } from '../../../shared/errors';
import { compileDataform, dataformCacheKey, dataformCompileRuns, forgetCompiledInMemory, runAssertions, type CompiledProject } from '../../../shared/transform/run_dataform_locally';
import { DuckDbWarehouse } from '../../../shared/warehouse/duckdb_warehouse';

const REPO = resolve(__dirname, '..', '..', '..');
const VARS = { freshness_reference: '2026-11-24T23:00:00Z' };

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'dataform-test-'));
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

/** A copy of the project to change freely. */
function projectCopy(): string {
  const dir = join(work, 'dataform');
  cpSync(join(REPO, 'dataform'), dir, { recursive: true });
  return dir;
}

test('the @dataform/core devDependency is pinned at the version workflow_settings.yaml gives Google Dataform', () => {
  const settings = readFileSync(join(REPO, 'dataform', 'workflow_settings.yaml'), 'utf8');
  const pinned = /^dataformCoreVersion: (\S+)$/m.exec(settings)?.[1];
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> };
  expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
  expect([pkg.devDependencies['@dataform/core'], lock.packages['node_modules/@dataform/core']?.version]).toEqual([pinned, pinned]);
});

test('compile runs no npm (npm on PATH fails and records its call), then hits the disk cache', () => {
  const bin = join(work, 'bin');
  mkdirSync(bin);
  const calls = join(work, 'npm-calls.txt');
  writeFileSync(join(bin, 'npm'), `#!/bin/sh\necho "$@" >> ${JSON.stringify(calls)}\nexit 1\n`);
  chmodSync(join(bin, 'npm'), 0o755);
  const cacheDir = join(work, 'cache');
  const env = { ...process.env, PATH: [bin, dirname(process.execPath)].join(delimiter), npm_config_cache: join(work, 'empty-npm-cache'), npm_config_offline: 'true' };

  const before = dataformCompileRuns();
  const compiled = compileDataform(join(REPO, 'dataform'), VARS, { cacheDir, env });
  expect(existsSync(calls) ? readFileSync(calls, 'utf8') : 'no npm call').toBe('no npm call');
  expect(dataformCompileRuns() - before).toBe(1);
  expect(compiled.tables.map((t) => t.target.name).sort()).toEqual(['mart_pool_features_labeled', 'stg_pool_hour']);
  expect(compiled.assertions.find((a) => a.target.name === 'assert_freshness')!.query).toContain("TIMESTAMP '2026-11-24T23:00:00Z'");
  expect(readdirSync(cacheDir)).toEqual([`${dataformCacheKey(join(REPO, 'dataform'), VARS)}.json`]);

  // Again, from memory and then from disk: the same result, no further CLI run.
  expect(compileDataform(join(REPO, 'dataform'), VARS, { cacheDir, env })).toEqual(compiled);
  forgetCompiledInMemory();
  expect(compileDataform(join(REPO, 'dataform'), VARS, { cacheDir, env })).toEqual(compiled);
  expect(dataformCompileRuns() - before).toBe(1);
});

test('the cache key follows the project contents and the variables, not the folder', () => {
  const copy = projectCopy();
  const key = dataformCacheKey(join(REPO, 'dataform'), VARS);
  expect(dataformCacheKey(copy, VARS)).toBe(key);
  expect(dataformCacheKey(copy, { ...VARS, freshness_max_hours: '3' })).not.toBe(key);
  writeFileSync(join(copy, 'definitions', 'staging', 'stg_pool_hour.sqlx'), `${readFileSync(join(copy, 'definitions', 'staging', 'stg_pool_hour.sqlx'), 'utf8')}\n-- changed\n`);
  expect(dataformCacheKey(copy, VARS)).not.toBe(key);
  // Variables in another order are the same compile.
  expect(dataformCacheKey(join(REPO, 'dataform'), { b: '2', a: '1' })).toBe(dataformCacheKey(join(REPO, 'dataform'), { a: '1', b: '2' }));
});

test('a project pinning another core version than node_modules holds is a configuration error naming both', () => {
  const copy = projectCopy();
  const settings = join(copy, 'workflow_settings.yaml');
  writeFileSync(settings, readFileSync(settings, 'utf8').replace(/^dataformCoreVersion: .*$/m, 'dataformCoreVersion: 3.0.1'));
  const installed = (JSON.parse(readFileSync(join(REPO, 'node_modules', '@dataform', 'core', 'package.json'), 'utf8')) as { version: string }).version;
  expect(() => compileDataform(copy, VARS, { cacheDir: false })).toThrow(ConfigError);
  expect(() => compileDataform(copy, VARS, { cacheDir: false })).toThrow(`pins dataformCoreVersion 3.0.1 but node_modules/@dataform/core is ${installed}`);
});

describe('a failed assertion says what it expected and what it found', () => {
  let wh: DuckDbWarehouse;
  beforeAll(async () => {
    wh = await DuckDbWarehouse.open();
    await wh.query('CREATE SCHEMA s');
    await wh.query("CREATE TABLE s.t AS SELECT * FROM (VALUES ('a', 1, TIMESTAMP '2026-11-24 07:00:00'), ('a', 1, TIMESTAMP '2026-11-24 08:00:00'), ('b', 2, NULL), ('c', 3, NULL), ('d', 4, NULL), ('e', 5, NULL)) AS v(k, n, ts)");
  });
  afterAll(async () => {
    await wh.close();
  });

  const assertion = (name: string, query: string, extra: Partial<CompiledProject['assertions'][number]> = {}): CompiledProject => ({ tables: [], operations: [], assertions: [{ target: { schema: 'x', name }, query, ...extra }] });

  test('its own description, the row count and the first rows, JSON-safe', async () => {
    const failed = await runAssertions(wh, assertion('assert_a_once', "SELECT k, COUNT(*) AS n, MIN(ts) AS first_ts FROM s.t WHERE k = 'a' GROUP BY k", { actionDescriptor: { description: 'Each key appears once.' } }));
    expect(failed).toEqual([
      {
        name: 'assert_a_once',
        description: 'Each key appears once.',
        expected: 'no rows',
        rows: 1,
        sample: [{ k: 'a', n: 2, first_ts: '2026-11-24T07:00:00.000Z' }],
        message: 'assertion assert_a_once failed (Each key appears once.): expected no rows, found 1 row: {"k":"a","n":2,"first_ts":"2026-11-24T07:00:00.000Z"}',
      },
    ]);
  });

  test("a built-in assertion is described from its table; only the first three rows are shown", async () => {
    const [failed] = await runAssertions(wh, assertion('s_t_assertions_rowConditions', 'SELECT k FROM s.t WHERE ts IS NULL ORDER BY k', { parentAction: { schema: 's', name: 't' } }));
    expect(failed!.description).toBe('in s.t the non-null columns are not null and every row condition holds');
    expect([failed!.rows, failed!.sample]).toEqual([4, [{ k: 'b' }, { k: 'c' }, { k: 'd' }]]);
    expect(failed!.message).toBe('assertion s_t_assertions_rowConditions failed (in s.t the non-null columns are not null and every row condition holds): expected no rows, found 4 rows, first 3: {"k":"b"} {"k":"c"} {"k":"d"}');
  });

  test('an assertion returning no rows passes', async () => {
    expect(await runAssertions(wh, assertion('empty', 'SELECT k FROM s.t WHERE n > 100'))).toEqual([]);
  });
});
