/**
 * Least privilege, from the code: every cloud call each function's code path makes (read from
 * functions/<name> and the shared adapters it reaches), the IAM permission each call needs, and
 * from those the narrowest predefined role on the narrowest resource. permissions.test.ts checks
 * the grants terraform makes against this table, and a scan of each function's import graph
 * against it, so a new call without a grant (or a grant without a call) fails a test. The README's
 * table of who may do what is rendered from the same facts (renderGrantRows).
 */
import { SECRETS_READ_BY } from './system_expectations';

/** What a grant is on: one bucket, dataset, table or secret, or the project (BigQuery jobs only). */
export type Resource = `bucket:${'raw' | 'models'}` | `dataset:${string}` | `table:${string}` | `secret:${string}` | 'project';

/** A kind of call the adapters make (shared/storage/gcs_store.ts, shared/warehouse/bigquery_warehouse.ts, shared/secrets). */
export type Call =
  /** GcsStore.read: getMetadata, then download of that generation. */
  | 'gcs.read'
  /** GcsStore.list: getFiles under a prefix. */
  | 'gcs.list'
  /** GcsStore.write of a new object (ifGenerationMatch '0', or a key never written before). */
  | 'gcs.create'
  /** GcsStore.write over an existing object (a compare-and-swap or a rewrite): GCS wants delete as well. */
  | 'gcs.overwrite'
  /** GcsStore.delete (with or without a generation precondition). */
  | 'gcs.delete'
  /** ensureTable / ensureRawExternalTable: dataset.exists(), table.exists(), getMetadata. */
  | 'bq.lookup'
  /** A SELECT (query or stream). */
  | 'bq.read'
  /** DML: replaceRows (a DELETE + INSERT transaction) or UPDATE; each reads the table as well. */
  | 'bq.write'
  /** Any query or DML runs as a job in the project. */
  | 'bq.job'
  /** secretManagerSecrets.get: accessSecretVersion of versions/latest. */
  | 'secret.read';

export const CALL_PERMISSIONS: Readonly<Record<Call, readonly string[]>> = {
  'gcs.read': ['storage.objects.get'],
  'gcs.list': ['storage.objects.list'],
  'gcs.create': ['storage.objects.create'],
  'gcs.overwrite': ['storage.objects.create', 'storage.objects.delete'],
  'gcs.delete': ['storage.objects.delete'],
  'bq.lookup': ['bigquery.datasets.get', 'bigquery.tables.get'],
  'bq.read': ['bigquery.tables.getData'],
  'bq.write': ['bigquery.tables.getData', 'bigquery.tables.updateData'],
  'bq.job': ['bigquery.jobs.create'],
  'secret.read': ['secretmanager.versions.access'],
};

/**
 * The permissions of the predefined roles considered, as far as they matter here (IAM's roles
 * reference), each list ordered from narrow to broad: the role chosen for a resource is the
 * narrowest that covers everything needed on it.
 */
export const ROLES: Readonly<Record<'bucket' | 'dataset' | 'table' | 'secret' | 'project', readonly { role: string; permissions: readonly string[] }[]>> = {
  bucket: [
    { role: 'roles/storage.objectViewer', permissions: ['storage.objects.get', 'storage.objects.list'] },
    { role: 'roles/storage.objectCreator', permissions: ['storage.objects.create'] },
    { role: 'roles/storage.objectUser', permissions: ['storage.objects.get', 'storage.objects.list', 'storage.objects.create', 'storage.objects.delete', 'storage.objects.update', 'storage.objects.restore'] },
  ],
  dataset: [
    { role: 'roles/bigquery.metadataViewer', permissions: ['bigquery.datasets.get', 'bigquery.tables.get', 'bigquery.tables.list'] },
    { role: 'roles/bigquery.dataViewer', permissions: ['bigquery.datasets.get', 'bigquery.tables.get', 'bigquery.tables.list', 'bigquery.tables.getData'] },
    { role: 'roles/bigquery.dataEditor', permissions: ['bigquery.datasets.get', 'bigquery.tables.get', 'bigquery.tables.list', 'bigquery.tables.getData', 'bigquery.tables.updateData', 'bigquery.tables.create', 'bigquery.tables.update', 'bigquery.tables.delete'] },
  ],
  table: [
    { role: 'roles/bigquery.metadataViewer', permissions: ['bigquery.tables.get'] },
    { role: 'roles/bigquery.dataViewer', permissions: ['bigquery.tables.get', 'bigquery.tables.getData'] },
    { role: 'roles/bigquery.dataEditor', permissions: ['bigquery.tables.get', 'bigquery.tables.getData', 'bigquery.tables.updateData', 'bigquery.tables.update', 'bigquery.tables.delete'] },
  ],
  secret: [{ role: 'roles/secretmanager.secretAccessor', permissions: ['secretmanager.versions.access'] }],
  project: [{ role: 'roles/bigquery.jobUser', permissions: ['bigquery.jobs.create'] }],
};

export interface Need {
  readonly on: Resource;
  readonly call: Call;
  readonly why: string;
  /** Files (repository-relative) on the function's path that make the call; each must be in its import graph. */
  readonly where: readonly string[];
  /** BigQuery: the tables (`dataset.table`) the call touches. A dataset-level need is for tables terraform does not create (Dataform's) or for lookups. */
  readonly tables?: readonly string[];
}

/** A store call the import-graph scan finds in a file that the function's path never reaches, and why. */
export interface NotCalled {
  readonly file: string;
  readonly verbs: readonly ('read' | 'write' | 'list' | 'delete')[];
  readonly why: string;
}

export type FunctionName = 'fetch' | 'load' | 'train' | 'score' | 'serve';

const secretNeeds = (name: FunctionName, why: string, where: string): Need[] => (SECRETS_READ_BY[name] ?? []).map((s) => ({ on: `secret:${s}`, call: 'secret.read', why, where: [where] }));
const job = (where: string[]): Need => ({ on: 'project', call: 'bq.job', why: 'runs its queries and DML as jobs (no narrower level exists)', where });

/** Every cloud call of each function, from its code. DATA_STORE_URL names the bucket: raw for fetch and load, models for the others. */
export const NEEDS: Readonly<Record<FunctionName, readonly Need[]>> = {
  fetch: [
    { on: 'bucket:raw', call: 'gcs.read', why: 'reads watermarks, manifests and stored parts', where: ['shared/raw/watermark.ts', 'shared/raw/write_hour.ts', 'shared/raw/verify_hour.ts', 'shared/raw/repair_marker.ts'] },
    { on: 'bucket:raw', call: 'gcs.list', why: 'lists the repair markers of each source', where: ['shared/raw/repair_marker.ts'] },
    { on: 'bucket:raw', call: 'gcs.overwrite', why: 'writes raw parts and manifests (a refetch rewrites them) and moves the watermark by compare-and-swap', where: ['shared/raw/write_hour.ts', 'shared/raw/watermark.ts', 'shared/raw/repair_marker.ts'] },
    { on: 'bucket:raw', call: 'gcs.delete', why: "deletes a stale quarantine part and a repaired hour's marker", where: ['shared/raw/write_hour.ts', 'shared/raw/repair_marker.ts'] },
    ...secretNeeds('fetch', 'the gateway key of its sources', 'shared/subgraph/subgraph_client.ts'),
  ],
  load: [
    { on: 'bucket:raw', call: 'gcs.read', why: 'reads each manifest and every object it lists', where: ['shared/load/load_manifest.ts', 'shared/raw/verify_hour.ts'] },
    { on: 'bucket:raw', call: 'gcs.overwrite', why: "on a corrupt hour: copies the bad object to corrupt/ and writes (or rewrites) the hour's repair marker", where: ['shared/load/load_manifest.ts', 'shared/raw/repair_marker.ts'] },
    { on: 'bucket:raw', call: 'gcs.delete', why: 'removes an undecodable object from raw/ (at its generation)', where: ['shared/load/load_manifest.ts'] },
    { on: 'dataset:dex_ops', call: 'bq.lookup', why: 'checks its tables for drift (ensureTable)', where: ['shared/load/load_manifest.ts', 'shared/ops/dead_letters.ts'], tables: ['dex_ops.ingestion_log', 'dex_ops.dead_letters'] },
    { on: 'table:dex_ops.ingestion_log', call: 'bq.write', why: 'reads and replaces the hour\'s row', where: ['shared/load/load_manifest.ts'], tables: ['dex_ops.ingestion_log'] },
    { on: 'table:dex_ops.dead_letters', call: 'bq.write', why: 'records events it gives up on', where: ['shared/ops/dead_letters.ts'], tables: ['dex_ops.dead_letters'] },
    { on: 'dataset:dex_raw', call: 'bq.lookup', why: 'checks the external table over raw/ (terraform creates it)', where: ['shared/pipeline/load_objects.ts'], tables: ['dex_raw.raw_pool_hour'] },
    job(['shared/load/load_manifest.ts', 'shared/ops/dead_letters.ts']),
  ],
  train: [
    { on: 'bucket:models', call: 'gcs.read', why: 'reads the production alias and model', where: ['shared/model_registry/registry.ts'] },
    { on: 'bucket:models', call: 'gcs.overwrite', why: 'writes each new version (create-only) and moves the production alias by compare-and-swap', where: ['shared/model_registry/registry.ts'] },
    { on: 'dataset:dex_anomaly', call: 'bq.read', why: "reads the feature mart (Dataform's table, so granted on its dataset)", where: ['shared/train/training_query.ts'], tables: ['dex_anomaly.mart_pool_features_labeled'] },
    { on: 'dataset:dex_ops', call: 'bq.lookup', why: 'checks model_runs for drift (ensureTable)', where: ['shared/model_registry/record_run.ts'], tables: ['dex_ops.model_runs'] },
    { on: 'table:dex_ops.model_runs', call: 'bq.write', why: 'records each run', where: ['shared/model_registry/record_run.ts'], tables: ['dex_ops.model_runs'] },
    job(['shared/train/train_model.ts', 'shared/model_registry/record_run.ts']),
  ],
  score: [
    { on: 'bucket:models', call: 'gcs.read', why: 'reads the production model and the mute list', where: ['shared/model_registry/registry.ts', 'shared/alerts/mute_list.ts'] },
    { on: 'dataset:dex_anomaly', call: 'bq.read', why: "reads the mart and staging (Dataform's tables, so granted on their dataset)", where: ['shared/pipeline/score_hour.ts'], tables: ['dex_anomaly.mart_pool_features_labeled', 'dex_anomaly.stg_pool_hour'] },
    { on: 'dataset:dex_anomaly', call: 'bq.lookup', why: 'checks its tables for drift (ensureTable)', where: ['shared/scoring/publish_hour.ts', 'shared/alerts/deliver_alerts.ts'], tables: ['dex_anomaly.pool_scores', 'dex_anomaly.alerts'] },
    { on: 'table:dex_anomaly.pool_scores', call: 'bq.write', why: "replaces the hour's scores", where: ['shared/scoring/write_hour_scores.ts'], tables: ['dex_anomaly.pool_scores'] },
    { on: 'table:dex_anomaly.alerts', call: 'bq.write', why: 'deduplicates, records and marks alerts delivered', where: ['shared/alerts/alert_store.ts'], tables: ['dex_anomaly.alerts'] },
    ...secretNeeds('score', 'posts alerts to Slack', 'shared/alerts/alerts_config.ts'),
    job(['shared/pipeline/score_hour.ts', 'shared/alerts/alert_store.ts']),
  ],
  serve: [
    { on: 'bucket:models', call: 'gcs.read', why: 'loads the production model', where: ['shared/model_registry/registry.ts', 'shared/serve/model_file_loader.ts'] },
    { on: 'bucket:models', call: 'gcs.list', why: 'checks a pinned model file (SERVE_MODEL_KEY) exists', where: ['shared/serve/model_file_loader.ts'] },
    { on: 'table:dex_anomaly.pool_scores', call: 'bq.read', why: 'GET /score: stored scores', where: ['shared/serve/stored_scores.ts'], tables: ['dex_anomaly.pool_scores'] },
    { on: 'table:dex_anomaly.alerts', call: 'bq.read', why: "GET /score: the pool's recent alerts", where: ['shared/serve/stored_scores.ts'], tables: ['dex_anomaly.alerts'] },
    ...secretNeeds('serve', "checks callers' API key (SERVE_API_KEY_SECRET)", 'functions/serve/handler.ts'),
    job(['shared/serve/stored_scores.ts']),
  ],
};

/** Store calls in files a function imports but whose calling code it never runs. */
export const NOT_CALLED: Readonly<Record<FunctionName, readonly NotCalled[]>> = {
  fetch: [],
  load: [
    { file: 'shared/raw/repair_marker.ts', verbs: ['read', 'list', 'delete'], why: "fetch's side of repair markers (hoursMarkedForRepair, clearRepairMarker); load only marks an hour" },
    { file: 'shared/load/load_all_manifests.ts', verbs: ['list'], why: 'loadAllManifests: local runs and catch-up, not the event path' },
  ],
  train: [{ file: 'shared/model_registry/registry.ts', verbs: ['list'], why: 'listVersions: the models CLI' }],
  score: [{ file: 'shared/model_registry/registry.ts', verbs: ['write', 'list'], why: 'writeVersion, promote, rollback, listVersions: train and the models CLI; score only loads production' }],
  serve: [{ file: 'shared/model_registry/registry.ts', verbs: ['write', 'list'], why: 'writeVersion, promote, rollback, listVersions: train and the models CLI; serve only loads production' }],
};

/** One grant: a role on a resource. */
export interface Grant {
  readonly on: Resource;
  readonly role: string;
}

export const kindOf = (on: Resource): keyof typeof ROLES => (on === 'project' ? 'project' : (on.split(':')[0] as keyof typeof ROLES));

function narrowestRole(on: Resource, needed: ReadonlySet<string>): string {
  const fits = ROLES[kindOf(on)].filter((r) => [...needed].every((p) => r.permissions.includes(p)));
  const best = fits.sort((a, b) => a.permissions.length - b.permissions.length)[0];
  if (!best) throw new Error(`no role in ROLES covers ${[...needed].join(', ')} on ${on}`);
  return best.role;
}

const permissionsOf = (kind: keyof typeof ROLES, role: string): readonly string[] => ROLES[kind].find((r) => r.role === role)?.permissions ?? [];

/**
 * The grants the needs call for: per resource, the narrowest role covering its calls; a table's
 * grant covers only what its dataset's grant does not already give (none when nothing is left).
 */
export function expectedGrants(needs: readonly Need[]): Grant[] {
  const byResource = new Map<Resource, Set<string>>();
  for (const n of needs) {
    const set = byResource.get(n.on) ?? new Set<string>();
    for (const p of CALL_PERMISSIONS[n.call]) set.add(p);
    byResource.set(n.on, set);
  }
  const grants: Grant[] = [];
  for (const [on, needed] of byResource) if (!on.startsWith('table:')) grants.push({ on, role: narrowestRole(on, needed) });
  for (const [on, needed] of byResource) {
    if (!on.startsWith('table:')) continue;
    const dataset = `dataset:${on.slice('table:'.length).split('.')[0]!}` as Resource;
    const fromDataset = permissionsOf('dataset', grants.find((g) => g.on === dataset)?.role ?? '');
    const left = new Set([...needed].filter((p) => !fromDataset.includes(p)));
    if (left.size > 0) grants.push({ on, role: narrowestRole(on, left) });
  }
  return sortGrants(grants);
}

const KIND_ORDER = ['bucket', 'dataset', 'table', 'secret', 'project'];
const rank = (g: Grant) => KIND_ORDER.indexOf(kindOf(g.on));

/** Buckets, datasets, tables, secrets, then the project; by name within a kind. */
export const sortGrants = (grants: readonly Grant[]): Grant[] => [...grants].sort((a, b) => rank(a) - rank(b) || a.on.localeCompare(b.on) || a.role.localeCompare(b.role));

function describe(on: Resource): string {
  if (on === 'project') return 'project';
  const [kind, name] = on.split(':') as [string, string];
  if (kind === 'bucket') return `${name} bucket`;
  return `${kind} \`${name}\``;
}

/** The README rows of one function: account, role, on what, why (the needs' reasons on that resource). */
export function renderGrantRows(name: FunctionName): string[] {
  const needs = NEEDS[name];
  return expectedGrants(needs).map((g, i) => {
    const whys = [...new Set(needs.filter((n) => n.on === g.on).map((n) => n.why))].join('; ');
    return `| ${i === 0 ? `\`fn-${name}\`` : ''} | \`${g.role.replace('roles/', '')}\` | ${describe(g.on)} | ${whys} |`;
  });
}
