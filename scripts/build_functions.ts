/**
 * npm run build: one deployable source folder per Cloud Function.
 *
 * Every functions/<name>/index.ts is bundled by esbuild with the shared library into
 * dist/functions/<name>/index.js (with the GraphQL query files in queries/), next to a package.json that pins the few packages that must
 * stay external: the Functions Framework (the nodejs22 runtime starts it from node_modules and
 * the function must register with that same copy), Google's client libraries and native addons.
 * Terraform zips each folder.
 */
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '..');

/** Packages left out of bundles and installed by the runtime from the pinned package.json. */
// Google's client libraries load proto and JSON files from their package folders at run time, so
// they are installed, not bundled.
export const EXTERNAL_PACKAGES = ['@google-cloud/functions-framework', '@google-cloud/storage', '@google-cloud/secret-manager', '@google-cloud/bigquery', '@duckdb/node-api'] as const;

export interface BuiltFunction {
  name: string;
  dir: string;
  dependencies: Record<string, string>;
}

export async function buildFunctions(functionsDir: string, outDir: string): Promise<BuiltFunction[]> {
  const names = existsSync(functionsDir)
    ? readdirSync(functionsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(functionsDir, d.name, 'index.ts')))
        .map((d) => d.name)
        .sort()
    : [];
  const built: BuiltFunction[] = [];
  for (const name of names) {
    const dir = join(outDir, name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const result = await build({
      entryPoints: [join(functionsDir, name, 'index.ts')],
      outfile: join(dir, 'index.js'),
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      sourcemap: true,
      external: [...EXTERNAL_PACKAGES],
      metafile: true,
      logLevel: 'warning',
    });
    // Query documents are read at run time relative to the module, so they travel with the bundle.
    cpSync(join(REPO, 'shared', 'subgraph', 'queries'), join(dir, 'queries'), { recursive: true });
    const used = EXTERNAL_PACKAGES.filter((pkg) => Object.values(result.metafile.outputs).some((o) => o.imports.some((i) => i.path === pkg || i.path.startsWith(`${pkg}/`))));
    const dependencies = Object.fromEntries(used.map((pkg) => [pkg, lockedVersion(pkg)]));
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: `dex-anomaly-${name}`, version: rootVersion(), private: true, main: 'index.js', engines: { node: '22' }, dependencies }, null, 2) + '\n',
    );
    built.push({ name, dir, dependencies });
  }
  return built;
}

/** The exact version package-lock.json resolved, so a deployed function runs what was tested. */
function lockedVersion(pkg: string): string {
  const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
  const version = lock.packages[`node_modules/${pkg}`]?.version;
  if (!version) throw new Error(`${pkg} is bundled as external but is not in package-lock.json; add it to dependencies`);
  return version;
}

function rootVersion(): string {
  return (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
}

if (require.main === module) {
  buildFunctions(join(REPO, 'functions'), join(REPO, 'dist', 'functions'))
    .then((built) => {
      for (const f of built) console.log(`built ${f.name} -> ${f.dir} (external: ${Object.keys(f.dependencies).join(', ') || 'none'})`);
      if (built.length === 0) console.log('no functions/<name>/index.ts yet: nothing to build');
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
