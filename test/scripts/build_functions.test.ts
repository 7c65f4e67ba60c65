import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildFunctions, bundleLockfile, lockfileProblems, resolveInLock, type BuiltFunction, type LockEntry, type Lockfile } from '../../scripts/build_functions';

const REPO = resolve(__dirname, '..', '..');
// Inside the repo (git-ignored) so the bundle resolves the external framework from node_modules.
const WORK = join(REPO, 'dist', `build-test-${process.pid}`);
const rootLock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as Lockfile;
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
/** An entry without the flags a bundle lock recomputes. */
const withoutFlags = (entry: LockEntry): LockEntry => {
  const copy = { ...entry };
  delete copy.dev;
  delete copy.devOptional;
  delete copy.optional;
  delete copy.peer;
  return copy;
};

afterAll(() => {
  rmSync(WORK, { recursive: true, force: true });
});

/** The checks every bundle's lockfile passes: closed, copied from the root lock, no DuckDB. */
function expectInstallableLock(dir: string, dependencies: Record<string, string>): Lockfile {
  const lock = readJson(join(dir, 'package-lock.json')) as Lockfile;
  expect([lock.lockfileVersion, lock.packages['']!.dependencies]).toEqual([3, dependencies]);
  expect(lockfileProblems(lock)).toEqual([]);
  expect(Object.keys(lock.packages).filter((p) => p.includes('duckdb'))).toEqual([]);
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '') continue;
    expect([path, withoutFlags(entry)]).toEqual([path, withoutFlags(rootLock.packages[path]!)]);
  }
  return lock;
}

describe('a probe function', () => {
  let built: BuiltFunction[];
  const out = join(WORK, 'out', 'probe');
  beforeAll(async () => {
    const src = join(WORK, 'functions', 'probe');
    mkdirSync(src, { recursive: true });
    writeFileSync(
      join(src, 'index.ts'),
      [
        "import * as ff from '@google-cloud/functions-framework';",
        `import { averagePathLength } from ${JSON.stringify(join(REPO, 'shared', 'iforest', 'path_length'))};`,
        `import { sourceMappedStack } from ${JSON.stringify(join(REPO, 'functions', '_runtime', 'source_mapped_stack'))};`,
        "ff.http('probe', (req, res) => {",
        "  if (req.query.fail) throw new Error('probe failed');",
        '  res.send(String(averagePathLength(256)));',
        '});',
        'export { sourceMappedStack };',
      ].join('\n'),
    );
    built = await buildFunctions(join(WORK, 'functions'), join(WORK, 'out'));
  });

  test('becomes one bundle plus a package.json pinning only its externals', () => {
    expect(built.map((b) => b.name)).toEqual(['probe']);
    expect(readJson(join(out, 'package.json'))).toEqual({
      name: 'dex-anomaly-probe',
      version: '0.1.0',
      private: true,
      main: 'index.js',
      engines: { node: '22' },
      dependencies: { '@google-cloud/functions-framework': rootLock.packages['node_modules/@google-cloud/functions-framework']!.version },
    });
  });

  test('its lockfile is the closure of the framework in the root lock', () => {
    const lock = expectInstallableLock(out, built[0]!.dependencies);
    for (const dep of ['@google-cloud/functions-framework', 'express', 'cloudevents', 'body-parser']) expect(lock.packages[`node_modules/${dep}`]?.version).toBe(rootLock.packages[`node_modules/${dep}`]!.version);
    // Nothing the framework does not need: no Google client, no dev tool.
    expect(['node_modules/@google-cloud/storage', 'node_modules/jest', 'node_modules/esbuild'].filter((p) => p in lock.packages)).toEqual([]);
  });

  test('registers with the framework and carries the shared code inline', () => {
    expect(readFileSync(join(out, 'bundle.js'), 'utf8')).toContain('0.5772156649015329');
    const script = `require(${JSON.stringify(join(out, 'index.js'))});
const fn = require('@google-cloud/functions-framework/testing').getFunction('probe');
fn({ query: {} }, { send: (body) => process.stdout.write(body) });`;
    expect(execFileSync(process.execPath, ['-e', script], { cwd: REPO, encoding: 'utf8' })).toBe('10.244770920119917');
  });

  test('the source map is not parsed as the bundle loads; a logged stack is mapped to the TypeScript line', () => {
    const script = `const { sourceMappedStack } = require(${JSON.stringify(join(out, 'index.js'))});
const fn = require('@google-cloud/functions-framework/testing').getFunction('probe');
try { fn({ query: { fail: '1' } }, {}); } catch (err) {
  process.stdout.write(JSON.stringify({ raw: err.stack, mapped: sourceMappedStack(err, ${JSON.stringify(join(out, 'bundle.js'))}) }));
}`;
    const { raw, mapped } = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: REPO, encoding: 'utf8' })) as { raw: string; mapped: string };
    expect(raw.split('\n')[1]).toMatch(/bundle\.js:\d+:\d+\)?$/);
    expect(mapped.split('\n').slice(0, 2).join('\n')).toMatch(/^Error: probe failed\n\s+at .*functions[/\\]probe[/\\]index\.ts:5:\d+\)?$/);
    expect(mapped.split('\n').length).toBe(raw.split('\n').length);
  });
});

describe('the real functions', () => {
  let built: BuiltFunction[];
  beforeAll(async () => {
    built = await buildFunctions(join(REPO, 'functions'), join(WORK, 'real'));
  });
  const byName = (name: string) => built.find((b) => b.name === name)!;

  test('fetch pins its Google clients, carries its query documents inline and registers', () => {
    const fetchFn = byName('fetch');
    expect(Object.keys(fetchFn.dependencies).sort()).toEqual(['@google-cloud/functions-framework', '@google-cloud/secret-manager', '@google-cloud/storage']);
    expect(existsSync(join(fetchFn.dir, 'queries'))).toBe(false);
    expect(readFileSync(join(fetchFn.dir, 'bundle.js'), 'utf8')).toContain('poolHourDatas');
    expectInstallableLock(fetchFn.dir, fetchFn.dependencies);
    const script = `process.env.DATA_STORE_URL = 'memory://build-test';
require(${JSON.stringify(join(fetchFn.dir, 'index.js'))});
process.stdout.write(typeof require('@google-cloud/functions-framework/testing').getFunction('fetch'));`;
    expect(execFileSync(process.execPath, ['-e', script], { cwd: REPO, encoding: 'utf8' })).toBe('function');
  });

  test('load installs no DuckDB: it stays an external require, reached only by a local run', () => {
    const load = byName('load');
    expect(Object.keys(load.dependencies).sort()).toEqual(['@google-cloud/bigquery', '@google-cloud/functions-framework', '@google-cloud/storage']);
    expect((readJson(join(load.dir, 'package.json')) as { dependencies: Record<string, string> }).dependencies).not.toHaveProperty('@duckdb/node-api');
    expectInstallableLock(load.dir, load.dependencies);
    // External, not inlined: the bundle requires the package by name and holds none of its code.
    const bundle = readFileSync(join(load.dir, 'bundle.js'), 'utf8');
    expect(bundle.match(/require\("@duckdb\/[^"]*"\)/g)).toEqual(['require("@duckdb/node-api")']);
    expect(bundle).not.toContain('node-bindings');
  });
});

describe('lockfile closure', () => {
  const entry = (version: string, more: Partial<LockEntry> = {}): LockEntry => ({ version, integrity: `sha512-${version}`, ...more });
  const lock: Lockfile = {
    lockfileVersion: 3,
    packages: {
      '': { name: 'root', dependencies: { a: '1', dev: '1' } },
      'node_modules/a': entry('1.0.0', { dependencies: { b: '^2', c: '1' }, optionalDependencies: { fsevents: '2' }, peerDependencies: { p: '1', q: '1' }, peerDependenciesMeta: { q: { optional: true } } }),
      'node_modules/a/node_modules/b': entry('2.0.0', { dependencies: { c: '1' } }),
      'node_modules/b': entry('1.0.0', { dev: true }),
      'node_modules/c': entry('1.0.0', { devOptional: true }),
      'node_modules/p': entry('1.0.0', { peer: true }),
      'node_modules/q': entry('1.0.0'),
      'node_modules/dev': entry('1.0.0', { dev: true, dependencies: { b: '1' } }),
    },
  };

  test.each([
    ['', 'a', 'node_modules/a'],
    ['node_modules/a', 'b', 'node_modules/a/node_modules/b'],
    ['node_modules/a/node_modules/b', 'c', 'node_modules/c'],
    ['node_modules/dev', 'b', 'node_modules/b'],
    ['node_modules/a', 'missing', undefined],
  ])('from %j, %s resolves to %j', (from, name, path) => {
    expect(resolveInLock(lock.packages, from, name)).toBe(path);
  });

  test('follows Node resolution, keeps required peers, drops what the bundle does not reach, recomputes flags', () => {
    const cut = bundleLockfile(lock, { name: 'fn', version: '0.1.0', dependencies: { a: '1.0.0' } });
    expect(cut.packages).toEqual({
      '': { name: 'fn', version: '0.1.0', dependencies: { a: '1.0.0' } },
      'node_modules/a': lock.packages['node_modules/a'],
      'node_modules/a/node_modules/b': lock.packages['node_modules/a/node_modules/b'],
      'node_modules/c': entry('1.0.0'),
      'node_modules/p': entry('1.0.0'),
      'node_modules/q': entry('1.0.0', { optional: true }),
    });
    expect(lockfileProblems(cut)).toEqual([]);
  });

  test('a lock missing a required package is refused; the problems name it', () => {
    const rest = Object.fromEntries(Object.entries(lock.packages).filter(([path]) => path !== 'node_modules/c'));
    expect(() => bundleLockfile({ ...lock, packages: rest }, { name: 'fn', version: '0.1.0', dependencies: { a: '1.0.0' } })).toThrow('package-lock.json is incomplete: node_modules/a needs c');
    expect(lockfileProblems({ ...lock, packages: { '': { dependencies: { a: '1' } }, 'node_modules/a/node_modules/b': entry('2.0.0') } })).toEqual([
      'the root needs a, which does not resolve',
      'node_modules/a/node_modules/b is nested in node_modules/a, which is missing',
    ]);
  });
});
