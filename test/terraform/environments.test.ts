/**
 * One root (terraform/) for every environment: envs/<env> holds only what differs, a backend
 * config naming the environment's state and a tfvars example that sets every variable the root
 * requires and none it does not declare.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTerraform, mustGet, TERRAFORM_DIR, type TfModule } from './hcl';

const ENVS = ['dev', 'prod'];
let root: TfModule;
let system: TfModule;

beforeAll(() => {
  const tf = loadTerraform();
  root = mustGet(tf, '');
  system = mustGet(tf, 'modules/system');
});

/** Top-level `name = value` assignments of a tfvars file (values are not needed here). */
const assignedNames = (text: string): string[] => [...text.matchAll(/^([a-z_][a-z0-9_]*)\s*=/gm)].map((m) => m[1]!);

test('envs/ holds no .tf file: the environments share the root', () => {
  expect(readdirSync(join(TERRAFORM_DIR, 'envs')).sort()).toEqual(ENVS);
    // terraform.tfvars, an operator's filled-in copy, is not committed (.gitignore).
  for (const env of ENVS) expect([env, readdirSync(join(TERRAFORM_DIR, 'envs', env)).filter((f) => f !== 'terraform.tfvars').sort()]).toEqual([env, ['backend.gcs.tfbackend', 'terraform.tfvars.example']]);
});

test('the root has a gcs backend filled in per environment, and calls the system module with all of its inputs', () => {
  expect(readFileSync(join(TERRAFORM_DIR, 'main.tf'), 'utf8')).toMatch(/^ {2}backend "gcs" \{\}$/m);
  const call = root.modules.get('system')!;
  expect(call.source).toBe('./modules/system');
  const required = [...system.variables].filter(([, v]) => v.default === undefined).map(([k]) => k);
  expect(required.filter((k) => call[k] === undefined)).toEqual([]);
  // Every root variable reaches the system module (a variable nobody reads is a typo waiting to happen).
  expect([...root.variables.keys()].filter((k) => !Object.values(call).some((v) => String(v).includes(`var.${k}`)))).toEqual([]);
});

describe.each(ENVS)('%s', (env) => {
  const dir = join(TERRAFORM_DIR, 'envs', env);

  test('its backend config names its own state prefix', () => {
    expect(readFileSync(join(dir, 'backend.gcs.tfbackend'), 'utf8')).toMatch(new RegExp(`^prefix = "dex-anomaly/${env}"$`, 'm'));
  });

  test('its tfvars example sets every variable the root requires and none the root does not declare', () => {
    expect(existsSync(join(dir, 'terraform.tfvars.example'))).toBe(true);
    const names = assignedNames(readFileSync(join(dir, 'terraform.tfvars.example'), 'utf8'));
    const required = [...root.variables].filter(([, v]) => v.default === undefined).map(([k]) => k);
    expect(required.filter((k) => !names.includes(k))).toEqual([]);
    expect(names.filter((k) => !root.variables.has(k))).toEqual([]);
  });
});

test('only dev lets terraform destroy tables and non-empty buckets; the root defaults are safe', () => {
  const vars = (env: string) => readFileSync(join(TERRAFORM_DIR, 'envs', env, 'terraform.tfvars.example'), 'utf8');
  expect(root.variables.get('deletion_protection')!.default).toBe(true);
  expect(root.variables.get('force_destroy')!.default).toBe(false);
  expect(vars('dev')).toMatch(/^deletion_protection = false$/m);
  expect(vars('dev')).toMatch(/^force_destroy {7}= true$/m);
  expect(vars('prod')).not.toMatch(/deletion_protection|force_destroy/);
});
