/**
 * The terraform configuration, parsed (no cloud, no terraform binary): every function deployed
 * with its own account and a trigger, secrets granted to their one reader, nothing public, no
 * broad roles, every table the code writes in terraform with the same schema.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { allStrings, blocks, loadTerraform, mapAttr, moduleDir, mustGet, TERRAFORM_DIR, type Body, type TfModule } from './hcl';
import { functionFolders, SECRETS_READ_BY, terraformFunctionNames } from './system_expectations';
import { RAW_EXTERNAL_TABLE, TABLE_SPECS } from '../../shared/warehouse/table_registry';
import { tableDefinition } from '../../shared/warehouse/bigquery_sql';

let tf: Map<string, TfModule>;
let system: TfModule;
/** Function module calls by function name. */
let functions: Map<string, Body>;

beforeAll(() => {
  tf = loadTerraform();
  system = mustGet(tf, 'modules/system');
  functions = new Map(
    [...system.modules.values()].filter((m) => moduleDir('modules/system', m.source) === 'modules/function').map((m) => [String(m.name), m]),
  );
});

describe('functions', () => {
  test('each folder in functions/ (not _runtime) has a function module call', () => {
    expect(functionFolders().filter((f) => !functions.has(f))).toEqual([]);
    expect([...functions.keys()].sort()).toEqual(terraformFunctionNames());
  });

  test('the function module deploys a gen2 function from its own bundle with its own service account', () => {
    const fn = mustGet(tf, 'modules/function');
    const cf = fn.resources.get('google_cloudfunctions2_function.this')!;
    const build = blocks(cf, 'build_config')[0]!;
    expect(build.runtime).toBe('nodejs22');
    expect(build.entry_point).toBe('${var.name}');
    expect(blocks(blocks(build, 'source')[0]!, 'storage_source')[0]!.object).toBe('${google_storage_bucket_object.source.name}');
    expect(fn.data.get('archive_file.source')!.source_dir).toBe('${var.source_dir}');
    expect(fn.resources.get('google_service_account.this')!.account_id).toBe('fn-${var.name}');
    expect(blocks(cf, 'service_config')[0]!.service_account_email).toBe('${google_service_account.this.email}');
    for (const [name, call] of functions) expect([name, call.source_dir]).toEqual([name, `\${var.dist_dir}/${name}`]);
  });

  test('each function has a trigger: a scheduler job, an event trigger or named invokers (serve)', () => {
    const scheduled = [...system.modules.values()].filter((m) => moduleDir('modules/system', m.source) === 'modules/scheduler_job').map((m) => String(m.target_service));
    const triggers: Record<string, string> = {};
    for (const [name, call] of functions) {
      if (scheduled.includes(`\${module.fn_${name}.service_name}`)) triggers[name] = 'schedule';
      else if (call.event_trigger !== undefined) triggers[name] = 'event';
      else if (call.invokers !== undefined) triggers[name] = 'invokers';
    }
    expect(functionFolders().filter((f) => triggers[f] === undefined)).toEqual([]);
    expect(triggers).toEqual({ fetch: 'schedule', load: 'event', train: 'schedule', score: 'schedule', serve: 'invokers' });
  });

  test('scheduler jobs carry OIDC tokens of their own account and retry settings', () => {
    const job = mustGet(tf, 'modules/scheduler_job').resources.get('google_cloud_scheduler_job.this')!;
    const oidc = blocks(blocks(job, 'http_target')[0]!, 'oidc_token')[0]!;
    expect(oidc.service_account_email).toBe('${google_service_account.invoker.email}');
    expect(blocks(job, 'retry_config')[0]!.retry_count).toBe('${var.retry_count}');
    const schedules = Object.fromEntries([...system.modules.entries()].filter(([k]) => k.startsWith('schedule_')).map(([k, m]) => [k, m.schedule]));
    expect(schedules).toEqual({ schedule_fetch: '2 * * * *', schedule_score: '35 * * * *', schedule_train: '0 3 * * 1' });
    // score runs after fetch (:02) and the Dataform mart (:20).
    expect(mustGet(tf, 'modules/system').modules.get('dataform')!.mart_schedule).toBe('20 * * * *');
  });

  test('load is triggered by manifests only: a bucket notification with the manifests/ prefix', () => {
    const events = mustGet(tf, 'modules/manifest_events');
    const notification = events.resources.get('google_storage_notification.manifests')!;
    expect(notification.object_name_prefix).toBe('${var.object_name_prefix}');
    expect(notification.event_types).toEqual(['OBJECT_FINALIZE']);
    expect(system.modules.get('manifest_events')!.object_name_prefix).toBe('${module.storage.manifest_prefix}');
    expect(mustGet(tf, 'modules/storage').outputs.get('manifest_prefix')!.value).toBe('${local.prefix}manifests/');
  });
});

describe('least privilege', () => {
  test('each secret a function reads is granted to that function and to no other', () => {
    const granted: Record<string, string[]> = {};
    for (const [name, call] of functions) {
      const secrets = mapAttr(call, 'secrets') ?? {};
      for (const [secret, id] of Object.entries(secrets)) expect([name, id]).toEqual([name, `\${module.secrets.ids["${secret}"]}`]);
      granted[name] = Object.keys(secrets).sort();
    }
    expect(granted).toEqual(Object.fromEntries([...functions.keys()].map((n) => [n, [...(SECRETS_READ_BY[n] ?? [])]])));
    const declared = allStrings(system.modules.get('secrets')!.names);
    for (const secret of Object.values(SECRETS_READ_BY).flat()) expect(declared).toContain(secret);
  });

  test('secret access is granted only per secret: by the function module and to the Dataform agent for its Git token', () => {
    const grants: string[] = [];
    for (const m of tf.values()) for (const key of m.resources.keys()) if (key.startsWith('google_secret_manager_secret_iam')) grants.push(`${m.dir}:${key}`);
    expect(grants.sort()).toEqual(['modules/dataform:google_secret_manager_secret_iam_member.agent_reads_git_token', 'modules/function:google_secret_manager_secret_iam_member.reads']);
    expect(mustGet(tf, 'modules/function').resources.get('google_secret_manager_secret_iam_member.reads')!.for_each).toBe('${var.secrets}');
    expect(system.modules.get('dataform')!.git_token_secret_id).toBe('${module.secrets.ids["dataform-git-token"]}');
  });

  test('no roles/owner, roles/editor, project-wide secret access or admin roles anywhere', () => {
    const text = [...tf.values()].flatMap((m) => m.files).map((f) => readFileSync(join(TERRAFORM_DIR, f), 'utf8')).join('\n');
    expect(text).not.toMatch(/roles\/(owner|editor)\b/);
    expect(text).not.toMatch(/roles\/[a-z.]*[aA]dmin\b/);
    const projectWideSecrets = [...tf.values()].flatMap((m) => [...m.resources].filter(([key, body]) => key.startsWith('google_project_iam') && allStrings(body.role).some((r) => r.includes('secretmanager'))).map(([key]) => `${m.dir}:${key}`));
    expect(projectWideSecrets).toEqual([]);
    // The only project-level roles: BigQuery jobs (no narrower level exists) and the builder's logs and images.
    const projectRoles = new Set<string>();
    for (const call of functions.values()) for (const r of allStrings(call.project_roles)) projectRoles.add(r);
    expect([...projectRoles]).toEqual(['${local.bigquery_job}']);
    expect(system.locals.bigquery_job).toEqual(['roles/bigquery.jobUser']);
  });

  test('nothing grants allUsers or allAuthenticatedUsers; invoker lists refuse them', () => {
    for (const m of tf.values()) {
      for (const [key, body] of [...m.resources, ...m.modules]) {
        const members = [...allStrings(body.member), ...allStrings(body.members), ...allStrings(body.invokers), ...allStrings(body.serve_invokers), ...allStrings(body.looker_readers)];
        expect([m.dir, key, members.filter((s) => /allUsers|allAuthenticatedUsers/.test(s))]).toEqual([m.dir, key, []]);
      }
    }
    for (const env of ['dev', 'prod']) expect(readFileSync(join(TERRAFORM_DIR, 'envs', env, 'terraform.tfvars.example'), 'utf8')).not.toMatch(/allUsers|allAuthenticatedUsers/);
    const validation = (m: string, v: string) => JSON.stringify(blocks(mustGet(tf, m).variables.get(v)!, 'validation'));
    expect(validation('modules/function', 'invokers')).toContain('allUsers');
    expect(validation('modules/system', 'serve_invokers')).toContain('allAuthenticatedUsers');
    expect(validation('modules/system', 'looker_readers')).toContain('allUsers');
    expect(functions.get('serve')!.invokers).toBe('${{ for m in var.serve_invokers : m => m }}');
  });

  test('every IAM grant of a function is on one bucket, dataset, table or secret, except BigQuery jobs', () => {
    const fn = mustGet(tf, 'modules/function');
    const iam = [...fn.resources.keys()].filter((k) => k.includes('_iam_')).sort();
    expect(iam).toEqual([
      'google_bigquery_dataset_iam_member.this',
      'google_bigquery_table_iam_member.this',
      'google_cloud_run_v2_service_iam_member.invokers',
      'google_project_iam_member.this',
      'google_secret_manager_secret_iam_member.reads',
      'google_storage_bucket_iam_member.this',
    ]);
    expect(JSON.stringify(blocks(fn.variables.get('project_roles')!, 'validation'))).toContain('roles/bigquery.jobUser');
  });
});

describe('tables', () => {
  let bq: TfModule;
  beforeAll(() => {
    bq = mustGet(tf, 'modules/bigquery');
  });

  test('terraform reads the generated schema files, and the system points it at terraform/schemas', () => {
    expect(String(bq.locals.table_files)).toContain('fileset(var.schemas_dir, "*.json")');
    const dir = String(system.modules.get('bigquery')!.schemas_dir).replace('${local.schemas_dir}', String(system.locals.schemas_dir)).replace('${path.module}', resolve(TERRAFORM_DIR, 'modules/system'));
    expect(resolve(dir)).toBe(join(TERRAFORM_DIR, 'schemas'));
    expect(bq.resources.get('google_bigquery_table.native')!.for_each).toBe('${local.native_tables}');
    expect(bq.resources.get('google_bigquery_table.external')!.for_each).toBe('${local.external_tables}');
  });

  test('native tables take schema, partitioning and clustering from the file', () => {
    const table = bq.resources.get('google_bigquery_table.native')!;
    expect(table.schema).toBe('${jsonencode(each.value.schema.fields)}');
    expect(table.clustering).toBe('${try(each.value.clustering.fields, null)}');
    const partitioning = blocks(mapAttr(table, 'dynamic') ?? {}, 'time_partitioning')[0]!;
    expect(blocks(partitioning, 'content')[0]).toEqual({ type: '${time_partitioning.value.type}', field: '${time_partitioning.value.field}' });
  });

  test.each(TABLE_SPECS.map((s) => [`${s.dataset}.${s.name}`, s] as const))('%s: its dataset exists and its file has its partitioning and clustering', (file, spec) => {
    expect(Object.keys(mapAttr(bq.locals, 'datasets') ?? {})).toContain(spec.dataset);
    const definition = JSON.parse(readFileSync(join(TERRAFORM_DIR, 'schemas', `${file}.json`), 'utf8')) as Record<string, unknown>;
    expect(definition).toEqual(tableDefinition(spec));
    expect(definition.timePartitioning).toEqual(spec.partitionBy ? { type: spec.partitionBy.granularity, field: spec.partitionBy.column } : undefined);
    expect(definition.clustering).toEqual(spec.clusterBy ? { fields: [...spec.clusterBy] } : undefined);
  });

  test('the raw external table: its dataset exists and terraform maps hive partitioning from its file', () => {
    expect(Object.keys(mapAttr(bq.locals, 'datasets') ?? {})).toContain(RAW_EXTERNAL_TABLE.dataset);
    const ext = blocks(bq.resources.get('google_bigquery_table.external')!, 'external_data_configuration')[0]!;
    expect(blocks(ext, 'hive_partitioning_options')[0]!.source_uri_prefix).toBe('${each.value.externalDataConfiguration.hivePartitioningOptions.sourceUriPrefix}');
    expect(ext.autodetect).toBe(false);
    expect(system.locals.raw_uri).toBe('${module.storage.raw_store_url}/raw');
  });
});

describe('Looker Studio views', () => {
  const viewsDir = join(TERRAFORM_DIR, 'views');
  const reads = (view: string): { table: string; columns: string[] | undefined }[] =>
    [...readFileSync(join(viewsDir, `${view}.sql`), 'utf8').matchAll(/^-- reads: ([a-z_]+\.[a-z_]+)(?:\(([^)]*)\))?/gm)].map((m) => ({ table: m[1]!, columns: m[2]?.split(',').map((c) => c.trim()) }));

  test('each view has its SQL, and terraform gates it on exactly the registry tables its SQL reads', () => {
    const views = mapAttr(mustGet(tf, 'modules/bigquery').locals, 'views') ?? {};
    expect(Object.keys(views).sort()).toEqual(['alerts', 'latest_scores', 'model_metrics', 'pool_features_scores_30d']);
    for (const [name, view] of Object.entries(views)) {
      const declared = reads(name);
      expect([name, (view as Body).reads]).toEqual([name, declared.filter((r) => r.columns !== undefined).map((r) => r.table)]);
      expect([name, (view as Body).mart]).toEqual([name, declared.some((r) => r.columns === undefined)]);
    }
  });

  // A view reads tables train and score create; until their specs are in the registry, terraform
  // does not create the view and this check has nothing to compare against.
  const registry = new Map(TABLE_SPECS.map((s) => [`${s.dataset}.${s.name}`, s]));
  const viewReads = ['alerts', 'latest_scores', 'model_metrics', 'pool_features_scores_30d'].flatMap((v) => reads(v).filter((r) => r.columns).map((r) => [v, r.table, r.columns!] as const));
  for (const [view, table, columns] of viewReads) {
    const spec = registry.get(table);
    (spec ? test : test.skip)(`${view}: the columns it reads exist in ${table}${spec ? '' : ' (skipped: no table spec in the registry yet)'}`, () => {
      const names = spec!.columns.map((c) => c.name);
      expect(columns.filter((c) => !names.includes(c))).toEqual([]);
    });
  }
});
