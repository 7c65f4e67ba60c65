import { BigQuery, type BigQueryOptions, type Query } from '@google-cloud/bigquery';
import { ConfigError, UpstreamError } from '../errors';
import { RAW_COLUMNS, RAW_PARTITION_COLUMNS } from '../raw/raw_columns';
import { parseStoreUrl } from '../storage/store_url';
import { rawExternalTableDefinition, replaceRowsSql, tableDefinition } from './bigquery_sql';
import { fromBigqueryType } from './column_types';
import { schemaDrift, type QueryParam, type Row, type TableSpec, type Warehouse } from './warehouse';


function plain(value: unknown): unknown {
  if (value && typeof value === 'object' && 'value' in value && typeof (value).value === 'string') {
    const text = (value as { value: string }).value;
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? text : new Date(ms).toISOString();
  }
  return value;
}

function wrap(err: unknown, what: string): Error {
  const code = (err as { code?: number }).code;
  return new UpstreamError(`BigQuery ${what}: ${(err as Error).message}`, code === undefined || code === 429 || code >= 500, { cause: err });
}

/** BigQuery in one project and location; datasets are created in that location when missing. */
export class BigQueryWarehouse implements Warehouse {
  readonly dialect = 'bigquery';
  private readonly bq: BigQuery;

  constructor(
    readonly projectId: string,
    readonly location: string,
    options: BigQueryOptions = {},
  ) {
    this.bq = new BigQuery({ projectId, location, ...options });
  }

  async query(sql: string, params?: Readonly<Record<string, QueryParam>>): Promise<Row[]> {
    try {
      const [rows] = await this.bq.query({ query: sql, params: params ? { ...params } : undefined, location: this.location, useLegacySql: false });
      return (rows as Row[]).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plain(v)])));
    } catch (err) {
      throw wrap(err, 'query');
    }
  }

  async *stream(sql: string, params?: Readonly<Record<string, QueryParam>>): AsyncIterable<Row> {
    const stream = this.bq.createQueryStream({ query: sql, params: params ? { ...params } : undefined, location: this.location, useLegacySql: false });
    try {
      for await (const row of stream as AsyncIterable<Row>) yield Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)]));
    } catch (err) {
      throw wrap(err, 'stream');
    }
  }

  async exposeRawLayer(storeUrl: string): Promise<void> {
    const store = parseStoreUrl(storeUrl);
    if (store.kind !== 'gcs') throw new ConfigError(`BigQuery reads the raw layer from GCS only; DATA_STORE_URL is '${storeUrl}'`);
    await this.ensureRawExternalTable('dex_raw', 'raw_pool_hour', `${store.url}/raw`);
  }

  private async ensureDataset(name: string): Promise<void> {
    const dataset = this.bq.dataset(name);
    const [exists] = await dataset.exists();
    if (!exists) await dataset.create({ location: this.location });
  }

  async ensureTable(spec: TableSpec): Promise<'created' | 'unchanged'> {
    try {
      await this.ensureDataset(spec.dataset);
      const table = this.bq.dataset(spec.dataset).table(spec.name);
      const [exists] = await table.exists();
      if (!exists) {
        await table.create(tableDefinition(spec));
        return 'created';
      }
      const meta: unknown = (await table.getMetadata())[0];
      const fields = ((meta as { schema?: { fields?: { name: string; type: string }[] } }).schema?.fields ?? []).map((f) => ({ name: f.name, type: fromBigqueryType(f.type) }));
      const drift = schemaDrift(spec, fields);
      if (drift.length > 0) throw new ConfigError(`table ${spec.dataset}.${spec.name} drifted from its definition: ${drift.join('; ')}`);
      return 'unchanged';
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      throw wrap(err, `ensureTable ${spec.dataset}.${spec.name}`);
    }
  }

  /** The external table over raw/ (gs://bucket/prefix/raw): created if missing, checked if present. */
  async ensureRawExternalTable(dataset: string, name: string, rawUriPrefix: string): Promise<'created' | 'unchanged'> {
    const definition = rawExternalTableDefinition(rawUriPrefix);
    try {
      await this.ensureDataset(dataset);
      const table = this.bq.dataset(dataset).table(name);
      const [exists] = await table.exists();
      if (!exists) {
        await table.create(definition);
        return 'created';
      }
      const meta = (await table.getMetadata())[0] as { externalDataConfiguration?: { sourceUris?: string[] }; schema?: { fields?: { name: string; type: string }[] } };
      const actual = meta.externalDataConfiguration?.sourceUris;
      const expected = (definition.externalDataConfiguration as { sourceUris: string[] }).sourceUris;
      if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new ConfigError(`external table ${dataset}.${name} reads ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
      // The partition columns are added by BigQuery from the path; compare the file columns only.
      const fileFields = (meta.schema?.fields ?? []).filter((f) => !RAW_PARTITION_COLUMNS.some((p) => p.name === f.name)).map((f) => ({ name: f.name, type: fromBigqueryType(f.type) }));
      const drift = fileFields.length > 0 ? schemaDrift({ dataset, name, columns: RAW_COLUMNS }, fileFields) : [];
      if (drift.length > 0) throw new ConfigError(`external table ${dataset}.${name} drifted from the raw record: ${drift.join('; ')}`);
      return 'unchanged';
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      throw wrap(err, `ensureRawExternalTable ${dataset}.${name}`);
    }
  }

  async replaceRows(spec: TableSpec, key: Readonly<Record<string, QueryParam>>, rows: readonly Row[]): Promise<void> {
    const params: Record<string, unknown> = { rows: rows.map((r) => Object.fromEntries(spec.columns.map((c) => [c.name, r[c.name] ?? null]))) };
    for (const [k, v] of Object.entries(key)) params[`key_${k}`] = v;
    // Query parameter types take the standard SQL names, which are ours.
    const types = { rows: [Object.fromEntries(spec.columns.map((c) => [c.name, c.type]))] };
    try {
      const request = { query: replaceRowsSql(spec, Object.keys(key)), params, types, location: this.location, useLegacySql: false } as Query;
      await this.bq.query(request);
    } catch (err) {
      throw wrap(err, `replaceRows ${spec.dataset}.${spec.name}`);
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
