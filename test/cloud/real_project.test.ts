import { PreconditionFailedError } from '../../shared/errors';
import { GcsStore } from '../../shared/storage/gcs_store';
import { BigQueryWarehouse } from '../../shared/warehouse/bigquery_warehouse';
import type { TableSpec } from '../../shared/warehouse/warehouse';

// Opt-in: runs only against a real project, when DEX_TEST_GCP_PROJECT and DEX_TEST_GCS_BUCKET are
// set (with application default credentials). Everywhere else it says it was skipped.
const project = process.env.DEX_TEST_GCP_PROJECT;
const bucket = process.env.DEX_TEST_GCS_BUCKET;
const enabled = Boolean(project && bucket);
if (!enabled) console.warn('real-project tests skipped: set DEX_TEST_GCP_PROJECT and DEX_TEST_GCS_BUCKET to run them');
const describeCloud = enabled ? describe : describe.skip;
const run = `${Date.now()}-${process.pid}`;

describeCloud('against a real GCP project', () => {
  test('GCS: write, read by generation, precondition, list, delete', async () => {
    const store = new GcsStore(`gs://${bucket!}/dex-anomaly-tests/${run}`, bucket!, `dex-anomaly-tests/${run}`, { projectId: project! });
    const { generation } = await store.write('a/b.json', Buffer.from('{"x":1}'), { ifGenerationMatch: '0' });
    expect(await store.read('a/b.json')).toEqual({ data: Buffer.from('{"x":1}'), generation });
    await expect(store.write('a/b.json', Buffer.from('{}'), { ifGenerationMatch: '0' })).rejects.toBeInstanceOf(PreconditionFailedError);
    expect((await store.list('a/')).map((o) => o.key)).toEqual(['a/b.json']);
    await store.delete('a/b.json');
    expect(await store.read('a/b.json')).toBeNull();
  });

  test('BigQuery: ensureTable, replaceRows idempotent, query', async () => {
    const wh = new BigQueryWarehouse(project!, process.env.DEX_TEST_BQ_LOCATION ?? 'US');
    const spec: TableSpec = { dataset: 'dex_anomaly_tests', name: `log_${run.replace(/-/g, '_')}`, columns: [{ name: 'source', type: 'STRING', required: true }, { name: 'rows', type: 'INT64' }] };
    expect(await wh.ensureTable(spec)).toBe('created');
    expect(await wh.ensureTable(spec)).toBe('unchanged');
    await wh.replaceRows(spec, { source: 'uni' }, [{ source: 'uni', rows: 3 }]);
    await wh.replaceRows(spec, { source: 'uni' }, [{ source: 'uni', rows: 3 }]);
    expect(await wh.query(`SELECT source, \`rows\` FROM \`${spec.dataset}.${spec.name}\``)).toEqual([{ source: 'uni', rows: 3 }]);
    await wh.query(`DROP TABLE \`${spec.dataset}.${spec.name}\``);
  }, 120_000);
});
