/**
 * What `npm run train` and `npm run models` share: where the registry and the warehouse are, and
 * the help text generated from a flag schema.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { localSources } from '../shared/config/sources';
import { ConfigError } from '../shared/errors';
import { openObjectStore } from '../shared/storage/open_store';
import type { ObjectStore } from '../shared/storage/object_store';
import { groundTruthFromSimulator, type TrainGroundTruth } from '../shared/train/simulator_truth';
import type { Warehouse } from '../shared/warehouse/warehouse';

export const locationFlags = {
  store: z.string().default(process.env.DATA_STORE_URL ?? 'data/lake').describe('object store of the registry: gs://bucket/prefix, a folder or memory://name'),
  warehouse: z.string().optional().describe("'bigquery' (GOOGLE_CLOUD_PROJECT, BIGQUERY_LOCATION) or duckdb:<file>; default duckdb:<store>/warehouse.duckdb"),
  model: z.string().default(process.env.TRAIN_MODEL_NAME ?? 'pool-hour-iforest').describe('model name in the registry'),
};

export async function openStoreAndWarehouse(a: { store: string; warehouse?: string | undefined }): Promise<{ store: ObjectStore; warehouse: Warehouse }> {
  const store = openObjectStore(a.store);
  const target = a.warehouse ?? (a.store.startsWith('gs://') || a.store.startsWith('memory://') ? undefined : `duckdb:${join(a.store, 'warehouse.duckdb')}`);
  if (target === undefined) throw new ConfigError('--warehouse is required with a gs:// or memory:// store');
  if (target === 'bigquery') {
    const project = process.env.GOOGLE_CLOUD_PROJECT;
    if (!project) throw new ConfigError('GOOGLE_CLOUD_PROJECT is required with --warehouse bigquery');
    const { BigQueryWarehouse } = await import('../shared/warehouse/bigquery_warehouse');
    return { store, warehouse: new BigQueryWarehouse(project, process.env.BIGQUERY_LOCATION ?? 'US') };
  }
  if (!target.startsWith('duckdb:')) throw new ConfigError(`--warehouse must be 'bigquery' or duckdb:<file>, got '${target}'`);
  // Loaded only when asked for, as in functions/load: a BigQuery run never needs the native addon.
  const { DuckDbWarehouse } = await import('../shared/warehouse/duckdb_warehouse');
  return { store, warehouse: await DuckDbWarehouse.open(target.slice('duckdb:'.length)) };
}

/** The local simulator's truth.json as a ground truth (sources named as `npm run local` names them). */
export function readSimulatorTruth(path: string, required = false): (TrainGroundTruth & { anomalousPoolHours: number }) | undefined {
  if (!existsSync(path)) {
    if (required) throw new ConfigError(`--truth: no file at ${path} (a truth.json the local simulator writes)`);
    return undefined;
  }
  const bySubgraph = Object.fromEntries(localSources('http://127.0.0.1:1').map((s) => [s.kind, s.id]));
  return groundTruthFromSimulator(JSON.parse(readFileSync(path, 'utf8')), bySubgraph);
}

/** `--name  description (default: x)` per flag of an object schema. */
export function flagHelp(shape: Readonly<Record<string, z.ZodType>>): string {
  return Object.entries(shape)
    .map(([name, flag]) => {
      const def = flag instanceof z.ZodDefault ? ` (default: ${String(flag.def.defaultValue)})` : '';
      return `  --${name.padEnd(22)} ${flag.description ?? ''}${def}`;
    })
    .join('\n');
}

/** A number as a person reads it in a table. */
export function fmt(x: number | null | undefined, digits = 4): string {
  return x === null || x === undefined ? '-' : x.toFixed(digits);
}
