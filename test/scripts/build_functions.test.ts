import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildFunctions } from '../../scripts/build_functions';

const REPO = resolve(__dirname, '..', '..');
// Inside the repo (git-ignored) so the bundle resolves the external framework from node_modules.
const WORK = join(REPO, 'dist', `build-test-${process.pid}`);

afterAll(() => {
  rmSync(WORK, { recursive: true, force: true });
});

test('each function becomes one bundle plus a package.json pinning only its externals', async () => {
  const src = join(WORK, 'functions', 'probe');
  mkdirSync(src, { recursive: true });
  writeFileSync(
    join(src, 'index.ts'),
    [
      "import * as ff from '@google-cloud/functions-framework';",
      `import { averagePathLength } from ${JSON.stringify(join(REPO, 'shared', 'iforest', 'path_length'))};`,
      "ff.http('probe', (_req, res) => { res.send(String(averagePathLength(256))); });",
    ].join('\n'),
  );
  const built = await buildFunctions(join(WORK, 'functions'), join(WORK, 'out'));
  expect(built.map((b) => b.name)).toEqual(['probe']);

  const pkg = JSON.parse(readFileSync(join(WORK, 'out', 'probe', 'package.json'), 'utf8')) as Record<string, unknown>;
  const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> };
  expect(pkg).toEqual({
    name: 'dex-anomaly-probe',
    version: '0.1.0',
    private: true,
    main: 'index.js',
    engines: { node: '22' },
    dependencies: { '@google-cloud/functions-framework': lock.packages['node_modules/@google-cloud/functions-framework']!.version },
  });

  // The bundle registers with the framework's own registry and carries the shared code inline.
  const bundle = readFileSync(join(WORK, 'out', 'probe', 'index.js'), 'utf8');
  expect(bundle).toContain('0.5772156649015329');
  const script = `require(${JSON.stringify(join(WORK, 'out', 'probe', 'index.js'))});
const fn = require('@google-cloud/functions-framework/testing').getFunction('probe');
fn({}, { send: (body) => process.stdout.write(body) });`;
  expect(execFileSync(process.execPath, ['-e', script], { cwd: REPO, encoding: 'utf8' })).toBe('10.244770920119917');
});

test('the real fetch function bundles, carries its queries, pins its Google clients and registers', async () => {
  const built = await buildFunctions(join(REPO, 'functions'), join(WORK, 'real'));
  const fetchFn = built.find((b) => b.name === 'fetch')!;
  expect(Object.keys(fetchFn.dependencies).sort()).toEqual(['@google-cloud/functions-framework', '@google-cloud/secret-manager', '@google-cloud/storage']);
  expect(readFileSync(join(fetchFn.dir, 'queries', 'pool_hour_page.graphql'), 'utf8')).toContain('poolHourDatas');
  const script = `process.env.DATA_STORE_URL = 'memory://build-test';
require(${JSON.stringify(join(fetchFn.dir, 'index.js'))});
process.stdout.write(typeof require('@google-cloud/functions-framework/testing').getFunction('fetch'));`;
  expect(execFileSync(process.execPath, ['-e', script], { cwd: REPO, encoding: 'utf8' })).toBe('function');
});
