/**
 * Least privilege against the code: terraform grants each function exactly the narrowest roles
 * its calls need (permissions.ts), the calls table agrees with a scan of the function's import
 * graph, and the README's table is rendered from the same facts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allStrings, loadTerraform, mapAttr, moduleDir, mustGet, TERRAFORM_DIR, type Body, type TfModule } from './hcl';
import { importGraph, readsSecrets, storeVerbs, tablesTouched, tableSpecConstants, type StoreVerb } from './import_graph';
import { CALL_PERMISSIONS, expectedGrants, kindOf, NEEDS, NOT_CALLED, renderGrantRows, ROLES, sortGrants, type Call, type FunctionName, type Grant, type Resource } from './permissions';
import { REPO } from './system_expectations';
import { secretEnvName } from '../../shared/secrets/secrets';
import { RAW_EXTERNAL_TABLE, TABLE_SPECS } from '../../shared/warehouse/table_registry';

const NAMES = Object.keys(NEEDS) as FunctionName[];

/** The adapters themselves (their calls are the vocabulary of permissions.ts) and the DuckDB-only local raw view. */
const ADAPTER_DIRS = ['shared/storage/', 'shared/warehouse/', 'shared/secrets/', 'shared/transform/'];

const VERB_CALLS: Readonly<Record<StoreVerb, readonly Call[]>> = {
  read: ['gcs.read'],
  list: ['gcs.list'],
  write: ['gcs.create', 'gcs.overwrite'],
  delete: ['gcs.delete'],
};

let tf: Map<string, TfModule>;
let system: TfModule;
let calls: Map<string, Body>;

beforeAll(() => {
  tf = loadTerraform();
  system = mustGet(tf, 'modules/system');
  calls = new Map([...system.modules.values()].filter((m) => moduleDir('modules/system', m.source) === 'modules/function').map((m) => [String(m.name), m]));
});

function resourceOf(kind: 'bucket' | 'dataset' | 'table', expression: unknown): Resource {
  const text = String(expression);
  const match =
    kind === 'bucket' ? /^\$\{module\.storage\.(raw|models)_bucket\}$/.exec(text) : kind === 'dataset' ? /^\$\{module\.bigquery\.datasets\["([a-z_]+)"\]\}$/.exec(text) : /^\$\{module\.bigquery\.table_ids\["([a-z_]+\.[a-z_]+)"\]\}$/.exec(text);
  if (!match) throw new Error(`cannot tell which ${kind} ${text} is`);
  return `${kind}:${match[1]!}` as Resource;
}

/** What terraform grants a function's own account, from its module call in modules/system. */
function grantsOf(call: Body): Grant[] {
  const grants: Grant[] = [];
  const entries = (attr: string) => Object.values(mapAttr(call, attr) ?? {}) as Body[];
  for (const b of entries('bucket_roles')) grants.push({ on: resourceOf('bucket', b.bucket), role: String(b.role) });
  for (const d of entries('dataset_roles')) grants.push({ on: resourceOf('dataset', d.dataset), role: String(d.role) });
  for (const t of entries('table_roles')) grants.push({ on: resourceOf('table', t.table), role: String(t.role) });
  for (const secret of Object.keys(mapAttr(call, 'secrets') ?? {})) grants.push({ on: `secret:${secret}`, role: 'roles/secretmanager.secretAccessor' });
  const projectRoles = allStrings(call.project_roles).flatMap((r) => (r === '${local.bigquery_job}' ? allStrings(system.locals.bigquery_job) : [r]));
  for (const role of projectRoles) grants.push({ on: 'project', role });
  return sortGrants(grants);
}

describe.each(NAMES)('%s', (name) => {
  const needs = NEEDS[name];
  const files = importGraph(`functions/${name}/handler.ts`);
  const scanned = files.filter((f) => !ADAPTER_DIRS.some((d) => f.startsWith(d)));

  test('terraform grants exactly the narrowest role its calls need, on the narrowest resource', () => {
    expect(grantsOf(calls.get(name)!)).toEqual(expectedGrants(needs));
  });

  test('every role it is granted is one whose permissions are known here', () => {
    for (const g of grantsOf(calls.get(name)!)) expect([g.on, ROLES[kindOf(g.on)].map((r) => r.role)]).toEqual([g.on, expect.arrayContaining([g.role])]);
  });

  test('its DATA_STORE_URL is the bucket its store calls are granted on', () => {
    const store = String((mapAttr(calls.get(name)!, 'environment') ?? {}).DATA_STORE_URL);
    const bucket = store === '${module.storage.raw_store_url}' ? 'bucket:raw' : store === '${local.models_store}' ? 'bucket:models' : `unknown store ${store}`;
    expect([...new Set(needs.filter((n) => n.call.startsWith('gcs.')).map((n) => n.on))]).toEqual([bucket]);
  });

  test('every store call in its import graph is a need or named as never called on its path', () => {
    const unexplained: string[] = [];
    for (const file of scanned) {
      for (const verb of storeVerbs(file)) {
        const needed = needs.some((n) => VERB_CALLS[verb].includes(n.call) && n.where.includes(file));
        const excused = NOT_CALLED[name].some((x) => x.file === file && x.verbs.includes(verb));
        if (!needed && !excused) unexplained.push(`${verb} in ${file}`);
      }
    }
    expect(unexplained).toEqual([]);
  });

  test('the needs and exceptions name files of its path that make those calls (the table does not rot)', () => {
    const stale: string[] = [];
    for (const n of needs) {
      for (const file of n.where) {
        if (!files.includes(file)) stale.push(`${n.call}: ${file} is not imported by functions/${name}`);
        const verbs = storeVerbs(file);
        if (n.call.startsWith('gcs.') && !verbs.some((v) => VERB_CALLS[v].includes(n.call))) stale.push(`${n.call}: ${file} makes no such store call`);
      }
    }
    for (const x of NOT_CALLED[name]) for (const v of x.verbs) if (!storeVerbs(x.file).includes(v)) stale.push(`NOT_CALLED ${v} in ${x.file}: no such call`);
    expect(stale).toEqual([]);
  });

  test('every BigQuery table its code touches is in its needs', () => {
    const specs = tableSpecConstants(readdirSync(join(REPO, 'shared'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => `shared/${f}`));
    const touched = [...new Set(scanned.flatMap((f) => tablesTouched(f, specs)))].sort();
    const declared = new Set(needs.flatMap((n) => n.tables ?? []));
    expect(touched.filter((t) => !declared.has(t))).toEqual([]);
    expect([...declared].filter((t) => !touched.includes(t))).toEqual([]);
  });

  test('a table-level need names a table terraform creates; a dataset-level read names only tables it does not', () => {
    const managed = new Set([...TABLE_SPECS.map((s) => `${s.dataset}.${s.name}`), `${RAW_EXTERNAL_TABLE.dataset}.${RAW_EXTERNAL_TABLE.name}`]);
    for (const n of needs) {
      if (n.on.startsWith('table:')) expect([n.on, managed.has(n.on.slice('table:'.length))]).toEqual([n.on, true]);
      if (n.on.startsWith('dataset:') && (n.call === 'bq.read' || n.call === 'bq.write')) expect([n.on, (n.tables ?? []).filter((t) => managed.has(t))]).toEqual([n.on, []]);
    }
  });

  test('the files of its path that read a secret are exactly those its secret needs name', () => {
    const reading = scanned.filter(readsSecrets);
    const named = [...new Set(needs.filter((n) => n.call === 'secret.read').flatMap((n) => n.where))].sort();
    expect(reading).toEqual(named);
  });

  test("the secret it is told to read (its env) is the one it is granted", () => {
    const env = mapAttr(calls.get(name)!, 'environment') ?? {};
    const named = Object.entries(env).filter(([k]) => k.endsWith('_SECRET')).map(([, v]) => `secret:${String(v)}`);
    const granted = needs.filter((n) => n.call === 'secret.read').map((n) => n.on);
    for (const secret of named) expect(granted).toContain(secret);
  });

  test('a secret handed over in the environment is one it is granted, named as the env backend reads it, with that backend', () => {
    const env = mapAttr(calls.get(name)!, 'environment') ?? {};
    const handed = mapAttr(calls.get(name)!, 'secret_environment') ?? {};
    const grantedSecrets = Object.keys(mapAttr(calls.get(name)!, 'secrets') ?? {});
    for (const [variable, secret] of Object.entries(handed)) {
      expect([variable, grantedSecrets.includes(String(secret))]).toEqual([secretEnvName(String(secret)), true]);
      expect(env.SECRETS_BACKEND).toBe('secret-manager-env');
    }
    // With that backend every secret it is told to read must be handed over: nothing is fetched.
    if (env.SECRETS_BACKEND === 'secret-manager-env') {
      const named = Object.entries(env).filter(([k]) => k.endsWith('_SECRET')).map(([, v]) => String(v));
      expect(named.filter((secret) => !Object.values(handed).includes(secret))).toEqual([]);
    }
  });

  test("the README's table lists its grants as rendered from the needs", () => {
    const readme = readFileSync(join(TERRAFORM_DIR, 'README.md'), 'utf8');
    expect(readme).toContain(renderGrantRows(name).join('\n'));
  });
});

test('every call kind maps to permissions some role here grants', () => {
  const all = new Set(Object.values(ROLES).flatMap((rs) => rs.flatMap((r) => r.permissions)));
  expect(Object.values(CALL_PERMISSIONS).flat().filter((p) => !all.has(p))).toEqual([]);
});

test('the narrowest role is chosen and a table gets only what its dataset grant lacks', () => {
  expect(expectedGrants([{ on: 'bucket:raw', call: 'gcs.read', why: '', where: [] }])).toEqual([{ on: 'bucket:raw', role: 'roles/storage.objectViewer' }]);
  expect(expectedGrants([{ on: 'bucket:raw', call: 'gcs.overwrite', why: '', where: [] }])).toEqual([{ on: 'bucket:raw', role: 'roles/storage.objectUser' }]);
  expect(
    expectedGrants([
      { on: 'dataset:d', call: 'bq.lookup', why: '', where: [] },
      { on: 'table:d.t', call: 'bq.write', why: '', where: [] },
      { on: 'table:d.u', call: 'bq.lookup', why: '', where: [] },
    ]),
  ).toEqual([
    { on: 'dataset:d', role: 'roles/bigquery.metadataViewer' },
    { on: 'table:d.t', role: 'roles/bigquery.dataEditor' },
  ]);
  expect(expectedGrants([{ on: 'table:d.t', call: 'bq.read', why: '', where: [] }])).toEqual([{ on: 'table:d.t', role: 'roles/bigquery.dataViewer' }]);
});

describe('the Dataform runner', () => {
  /** `schema` and `name` of each declaration in dataform/definitions/sources. */
  const declarations = readdirSync(join(REPO, 'dataform', 'definitions', 'sources'))
    .filter((f) => f.endsWith('.sqlx'))
    .map((f) => {
      const text = readFileSync(join(REPO, 'dataform', 'definitions', 'sources', f), 'utf8');
      return `${/schema:\s*"([a-z_]+)"/.exec(text)?.[1] ?? '?'}.${/name:\s*"([a-z_]+)"/.exec(text)?.[1] ?? '?'}`;
    });

  test('may read every source the project declares, on its dataset or on the table itself', () => {
    const datasetRoles = mapAttr(system.resources.get('google_bigquery_dataset_iam_member.dataform')!, 'for_each') ?? {};
    const tableGrants = [...system.resources.entries()].filter(([k]) => k.startsWith('google_bigquery_table_iam_member.dataform')).map(([, b]) => /table_ids\["([a-z_.]+)"\]/.exec(String(b.table_id))?.[1]);
    const readable = (t: string) => datasetRoles[t.split('.')[0]!] !== undefined || tableGrants.includes(t);
    expect(declarations.length).toBeGreaterThan(0);
    expect(declarations.filter((t) => !readable(t))).toEqual([]);
  });
});
