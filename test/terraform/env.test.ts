/**
 * Every environment variable a function's env schema requires is set for it by terraform, the
 * values parse in the cloud runtime (gs:// store, bigquery:// warehouse, Secret Manager), and
 * terraform sets no variable the schema does not know. Schemas are found dynamically: the
 * `<name>EnvSchema` export of functions/<name>/handler.ts (or of shared/<name>/<name>_config.ts).
 * A function terraform deploys whose handler does not exist yet is skipped, saying so.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { parseEnv } from '../../shared/config/env';
import { loadTerraform, mapAttr, moduleDir, mustGet, type Body } from './hcl';
import { functionFolders, handlerExists, handlerPath, REPO, terraformFunctionNames } from './system_expectations';

/** Read by Node and the Functions Framework, not by the function's schema. */
const FRAMEWORK_VARIABLES = ['NODE_ENV', 'IGNORED_ROUTES'];

/** Example values of the system module's inputs, as an operator's tfvars would give them. */
const VARS: Record<string, string> = { project_id: 'dex-anomaly-prod', location: 'US', region: 'us-central1', slack_channel: 'C0123456789', dex_sources: '' };
const MODULE_OUTPUTS: Record<string, string> = {
  'module.storage.raw_store_url': 'gs://dex-anomaly-prod-dex-raw',
  'module.storage.models_bucket': 'dex-anomaly-prod-dex-models',
};

/** Resolves `${var.x}`, `${local.x}` and the storage outputs in a terraform string to example values. */
function resolveValue(value: string, locals: Readonly<Record<string, unknown>>, depth = 0): string {
  if (depth > 5) throw new Error(`too deep resolving ${value}`);
  return value.replace(/\$\{([^}]+)\}/g, (whole, ref: string) => {
    if (ref.startsWith('var.') && VARS[ref.slice(4)] !== undefined) return VARS[ref.slice(4)]!;
    if (MODULE_OUTPUTS[ref] !== undefined) return MODULE_OUTPUTS[ref];
    if (ref.startsWith('local.') && typeof locals[ref.slice(6)] === 'string') return resolveValue(locals[ref.slice(6)] as string, locals, depth + 1);
    throw new Error(`no example value for ${whole}`);
  });
}

async function envSchemaOf(name: string): Promise<z.ZodObject> {
  const exportName = `${name}EnvSchema`;
  for (const path of [handlerPath(name), join(REPO, 'shared', name, `${name}_config.ts`)]) {
    if (!existsSync(path)) continue;
    const mod = (await import(path)) as Record<string, unknown>;
    if (mod[exportName] instanceof z.ZodObject) return mod[exportName];
  }
  throw new Error(`functions/${name}/handler.ts exports no ${exportName} (a zod object of the variables the function reads)`);
}

let system: { modules: ReadonlyMap<string, Body>; locals: Readonly<Record<string, unknown>> };
let calls: Map<string, Body>;

beforeAll(() => {
  system = mustGet(loadTerraform(), 'modules/system');
  calls = new Map([...system.modules.values()].filter((m) => moduleDir('modules/system', m.source) === 'modules/function').map((m) => [String(m.name), m]));
});

const names = [...new Set([...functionFolders(), ...terraformFunctionNames()])].sort();

describe.each(names)('%s', (name) => {
  const run = handlerExists(name) ? test : test.skip;
  const skipped = handlerExists(name) ? '' : ` (skipped: functions/${name}/handler.ts does not exist yet)`;

  run(`terraform sets every variable the env schema requires${skipped}`, async () => {
    const schema = await envSchemaOf(name);
    const env = mapAttr(calls.get(name) ?? {}, 'environment') ?? {};
    const required = Object.entries(schema.shape).filter(([, s]) => !(s as z.ZodType).safeParse(undefined).success).map(([k]) => k);
    expect(required.length).toBeGreaterThan(0);
    expect(required.filter((k) => env[k] === undefined)).toEqual([]);
  });

  run(`the values parse as the cloud runtime parses them, and none is unknown to the schema${skipped}`, async () => {
    const schema = await envSchemaOf(name);
    const call = calls.get(name) ?? {};
    // As the function module sets them: every `environment` value, `optional_environment` only when not empty.
    const resolved = (vars: Record<string, unknown> | undefined) => Object.entries(vars ?? {}).map(([k, v]) => [k, resolveValue(String(v), system.locals)] as const);
    const env = Object.fromEntries([...resolved(mapAttr(call, 'environment')), ...resolved(mapAttr(call, 'optional_environment')).filter(([, v]) => v !== '')]);
    expect(Object.keys(env).filter((k) => !(k in schema.shape) && !FRAMEWORK_VARIABLES.includes(k))).toEqual([]);
    // K_SERVICE makes parseEnv apply the cloud rules (gs://, bigquery://, secret-manager).
    expect(() => parseEnv(schema, { ...env, K_SERVICE: `dex-${name}` })).not.toThrow();
  });
});

test('the cloud rules are really applied: a local store in terraform would fail', async () => {
  const schema = await envSchemaOf('load');
  expect(() => parseEnv(schema, { DATA_STORE_URL: '/tmp/lake', WAREHOUSE: 'bigquery://dex-anomaly-prod', K_SERVICE: 'dex-load' })).toThrow('DATA_STORE_URL');
});

test("serve is deployed with IGNORED_ROUTES set to empty and NODE_ENV=production, and the function module keeps an empty value", () => {
  expect(mapAttr(calls.get('serve') ?? {}, 'environment')).toMatchObject({ IGNORED_ROUTES: '', NODE_ENV: 'production' });
  // Only optional_environment drops empty values: IGNORED_ROUTES="" must reach the runtime.
  const fn = mustGet(loadTerraform(), 'modules/function');
  expect(JSON.stringify(fn.resources.get('google_cloudfunctions2_function.this'))).toContain('merge(var.environment, { for k, v in var.optional_environment : k => v if v != \\"\\" })');
});
