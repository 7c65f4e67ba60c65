/**
 * npm run build: one deployable source folder per Cloud Function.
 *
 * Every functions/<name>/index.ts is bundled by esbuild with the shared library (query documents
 * included) into dist/functions/<name>/bundle.js with its source map, which the stack traces the
 * functions log are mapped through (.ts lines); index.js loads it. Beside them: a package.json pinning the few
 * packages that stay external (the Functions Framework, which the nodejs22 runtime starts from
 * node_modules and the function must register with; Google's client libraries), and a
 * package-lock.json cut from the root lock, so `npm ci` there installs exactly the tested versions.
 * Terraform zips each folder.
 */
import { build, type PluginBuild } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '..');

/** Packages left out of bundles and installed by the runtime from the pinned package.json. */
// Google's client libraries load proto and JSON files from their package folders at run time, so
// they are installed, not bundled.
export const RUNTIME_PACKAGES = ['@google-cloud/functions-framework', '@google-cloud/storage', '@google-cloud/secret-manager', '@google-cloud/bigquery'] as const;

/**
 * Left out of bundles and NOT installed: only local runs load them (through a dynamic import), and
 * a cloud bundle never needs them. Kept external so esbuild never inlines a native addon.
 */
export const LOCAL_ONLY_PACKAGES = ['@duckdb/node-api'] as const;

export interface BuiltFunction {
  name: string;
  dir: string;
  dependencies: Record<string, string>;
}

/** One entry of package-lock.json's `packages` map (lockfileVersion 3). */
export interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  optional?: boolean;
  dev?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  [field: string]: unknown;
}

export interface Lockfile {
  name?: string;
  version?: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockEntry>;
}

// Node's own source maps stay off: they parse the whole map as the bundle loads, a twentieth of a
// cold start. The stacks the functions log are mapped on first need (source_mapped_stack.ts).
const LOADER = "'use strict';\n// Logged stack traces name the TypeScript sources (bundle.js.map, read on first need).\nmodule.exports = require('./bundle.js');\n";

/**
 * zod's classic API re-exports every one of its ~50 locales (z.locales), so a bundle carries them
 * all (about 400 KB, much of it non-ASCII text that makes the whole bundle slower to parse) while
 * zod only ever formats its messages in English (z.config(en()), which no code here changes). The
 * locale index is cut down to English; test/scripts/build_functions.test.ts checks the bundle.
 */
const ENGLISH_ZOD_MESSAGES_ONLY = {
  name: 'english-zod-messages-only',
  setup(b: PluginBuild) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.c?js$/ }, () => ({ contents: "export { default as en } from './en.js';\n", loader: 'js' }));
  },
};

export async function buildFunctions(functionsDir: string, outDir: string): Promise<BuiltFunction[]> {
  const names = existsSync(functionsDir)
    ? readdirSync(functionsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(functionsDir, d.name, 'index.ts')))
        .map((d) => d.name)
        .sort()
    : [];
  const rootLock = readRootLock();
  const built: BuiltFunction[] = [];
  for (const name of names) {
    const dir = join(outDir, name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const result = await build({
      entryPoints: [join(functionsDir, name, 'index.ts')],
      outfile: join(dir, 'bundle.js'),
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      sourcemap: true,
      // Stack traces still name the .ts lines; the sources themselves only slow cold starts.
      sourcesContent: false,
      external: [...RUNTIME_PACKAGES, ...LOCAL_ONLY_PACKAGES],
      metafile: true,
      plugins: [ENGLISH_ZOD_MESSAGES_ONLY],
      logLevel: 'warning',
    });
    writeFileSync(join(dir, 'index.js'), LOADER);
    const used = RUNTIME_PACKAGES.filter((pkg) => Object.values(result.metafile.outputs).some((o) => o.imports.some((i) => i.path === pkg || i.path.startsWith(`${pkg}/`))));
    const dependencies = Object.fromEntries(used.map((pkg) => [pkg, lockedVersion(rootLock, pkg)]));
    const pkg = { name: `dex-anomaly-${name}`, version: rootVersion(), private: true, main: 'index.js', engines: { node: '22' }, dependencies };
    writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
    writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(bundleLockfile(rootLock, pkg), null, 2) + '\n');
    built.push({ name, dir, dependencies });
  }
  return built;
}

function readRootLock(): Lockfile {
  const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as Lockfile;
  if (lock.lockfileVersion !== 3) throw new Error(`package-lock.json is lockfileVersion ${lock.lockfileVersion}; the bundle lockfiles are cut from version 3`);
  return lock;
}

/** The exact version package-lock.json resolved, so a deployed function runs what was tested. */
function lockedVersion(lock: Lockfile, pkg: string): string {
  const version = lock.packages[`node_modules/${pkg}`]?.version;
  if (!version) throw new Error(`${pkg} is bundled as external but is not in package-lock.json; add it to dependencies`);
  return version;
}

function rootVersion(): string {
  return (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * The lock path Node would load `name` from when required by the package at `from` ('' is the
 * root): the nearest node_modules/<name> up the folder chain that the lock holds.
 */
export function resolveInLock(packages: Readonly<Record<string, LockEntry>>, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (base === '') return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut < 0 ? '' : base.slice(0, cut);
  }
}

/** A package's edges: name -> whether the edge is optional (optional dependency or optional peer). */
function edges(entry: LockEntry): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const dep of Object.keys(entry.peerDependencies ?? {})) out.set(dep, entry.peerDependenciesMeta?.[dep]?.optional === true);
  for (const dep of Object.keys(entry.optionalDependencies ?? {})) out.set(dep, true);
  for (const dep of Object.keys(entry.dependencies ?? {})) out.set(dep, false);
  return out;
}

/**
 * The lockfile of a bundle: its root entry from the bundle's package.json, then the closure of its
 * dependencies walked through the root lock with Node's resolution, each package at the path (so
 * the hoisting) and with the integrity the root lock holds. Packages reached only through optional
 * edges are marked optional; dev flags do not apply. Offline: no registry is asked.
 */
export function bundleLockfile(rootLock: Lockfile, pkg: { name: string; version: string; dependencies: Record<string, string>; engines?: Record<string, string> }): Lockfile {
  const root: LockEntry = { name: pkg.name, version: pkg.version, dependencies: pkg.dependencies };
  if (pkg.engines) root.engines = pkg.engines;
  const all: Record<string, LockEntry> = { ...rootLock.packages, '': root };
  // Breadth-first twice: required edges first, so "optional" marks only what nothing requires.
  const required = closure(all, false);
  const reachable = closure(all, true);
  const packages: Record<string, LockEntry> = { '': root };
  for (const path of [...reachable].filter((p) => p !== '').sort()) {
    const entry: LockEntry = { ...all[path]! };
    delete entry.dev;
    delete entry.devOptional;
    delete entry.optional;
    delete entry.peer;
    packages[path] = required.has(path) ? entry : { ...entry, optional: true };
  }
  return { name: pkg.name, version: pkg.version, lockfileVersion: 3, requires: true, packages };
}

function closure(packages: Readonly<Record<string, LockEntry>>, followOptional: boolean): Set<string> {
  const seen = new Set<string>(['']);
  const queue = [''];
  while (queue.length > 0) {
    const from = queue.shift()!;
    for (const [dep, optional] of edges(packages[from]!)) {
      if (optional && !followOptional) continue;
      const path = resolveInLock(packages, from, dep);
      if (path === undefined) {
        if (optional) continue;
        throw new Error(`package-lock.json is incomplete: ${from || 'the root'} needs ${dep}, which no node_modules folder up from it holds; run npm install`);
      }
      if (!seen.has(path)) {
        seen.add(path);
        queue.push(path);
      }
    }
  }
  return seen;
}

/**
 * Problems of a lockfile as a closed installation, in words ([] when none): a required dependency
 * that does not resolve inside it, a nested package whose parent folder it lacks, an entry
 * without a version or integrity.
 */
export function lockfileProblems(lock: Lockfile): string[] {
  const problems: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path !== '') {
      if (!entry.version || typeof entry.integrity !== 'string') problems.push(`${path} has no version or integrity`);
      const parent = path.slice(0, Math.max(0, path.lastIndexOf('/node_modules/')));
      if (parent !== '' && !(parent in lock.packages)) problems.push(`${path} is nested in ${parent}, which is missing`);
    }
    for (const [dep, optional] of edges(entry)) {
      if (!optional && resolveInLock(lock.packages, path, dep) === undefined) problems.push(`${path || 'the root'} needs ${dep}, which does not resolve`);
    }
  }
  return problems;
}

if (require.main === module) {
  buildFunctions(join(REPO, 'functions'), join(REPO, 'dist', 'functions'))
    .then((built) => {
      for (const f of built) console.log(`built ${f.name} -> ${f.dir} (installed: ${Object.keys(f.dependencies).join(', ') || 'none'})`);
      if (built.length === 0) console.log('no functions/<name>/index.ts yet: nothing to build');
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
