import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import * as z from 'zod';
import { ConfigError } from '../errors';
import type { Row, Warehouse } from '../warehouse/warehouse';
import { bindVariables, parseDeclaration, splitStatements, stripComments, typedLiteral } from './sql_script';

const target = z.object({ schema: z.string(), name: z.string() });
const statements = z.array(z.string()).default([]);
const compiledSchema = z.object({
  tables: z
    .array(
      z.object({
        target,
        query: z.string(),
        dependencyTargets: z.array(target).default([]),
        type: z.string().optional(),
        preOps: statements,
        postOps: statements,
        incrementalQuery: z.string().optional(),
        incrementalPreOps: statements,
        incrementalPostOps: statements,
      }),
    )
    .default([]),
  operations: z.array(z.object({ target, queries: statements, dependencyTargets: z.array(target).default([]) })).default([]),
  assertions: z
    .array(z.object({ target, query: z.string(), actionDescriptor: z.object({ description: z.string().optional() }).optional(), parentAction: target.optional() }))
    .default([]),
  graphErrors: z.record(z.string(), z.unknown()).optional(),
});
export type CompiledProject = z.infer<typeof compiledSchema>;

const REPO = resolve(__dirname, '..', '..');
const DEFAULT_CACHE_DIR = join(REPO, 'node_modules', '.cache', 'dex-anomaly', 'dataform');
const CORE_VERSION_LINE = /^dataformCoreVersion:\s*["']?([^"'\s#]+)["']?[^\S\r\n]*(#.*)?$/m;

export interface CompileOptions {
  /** Folder of compiled results keyed by content hash; false compiles every time (and writes nothing). */
  readonly cacheDir?: string | false;
  /** Environment of the dataform CLI process (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
}

const memory = new Map<string, CompiledProject>();
let cliRuns = 0;

/** Forgets the in-memory results (the disk cache stays), so a test can exercise the disk cache. */
export function forgetCompiledInMemory(): void {
  memory.clear();
}

/** How many times this process ran `dataform compile` (cache hits do not count). */
export function dataformCompileRuns(): number {
  return cliRuns;
}

/**
 * `dataform compile --json` of the project with variables, offline and without credentials.
 *
 * workflow_settings.yaml pins `dataformCoreVersion` for Google's Dataform service; the CLI would
 * answer that pin with an `npm i` into a temp folder on every compile. Instead the project is
 * compiled from a temp copy without the pin, next to the repository's own @dataform/core (a pinned
 * devDependency of the same version), so no npm runs. Results are cached in memory and on disk,
 * keyed by the project's contents, the variables and both Dataform versions.
 */
export function compileDataform(projectDir: string, vars: Readonly<Record<string, string>> = {}, options: CompileOptions = {}): CompiledProject {
  const settings = readFileSync(join(projectDir, 'workflow_settings.yaml'), 'utf8');
  const pinned = CORE_VERSION_LINE.exec(settings)?.[1];
  const core = installedCore();
  if (pinned !== undefined && pinned !== core.version) {
    throw new ConfigError(`${join(projectDir, 'workflow_settings.yaml')} pins dataformCoreVersion ${pinned} but node_modules/@dataform/core is ${core.version}: pin the same version in both (package.json devDependencies) and run npm ci`);
  }
  const key = dataformCacheKey(projectDir, vars);
  const cacheDir = options.cacheDir ?? DEFAULT_CACHE_DIR;
  const cached = memory.get(key) ?? (cacheDir === false ? undefined : readCached(join(cacheDir, `${key}.json`)));
  if (cached) {
    memory.set(key, cached);
    return structuredClone(cached);
  }
  const compiled = runCli(projectDir, settings, vars, core, options.env ?? process.env);
  if (cacheDir !== false) writeCached(join(cacheDir, `${key}.json`), compiled);
  memory.set(key, compiled);
  return structuredClone(compiled);
}

function installedCore(): { dir: string; version: string } {
  const dir = join(REPO, 'node_modules', '@dataform', 'core');
  if (!existsSync(join(dir, 'bundle.js'))) throw new ConfigError(`@dataform/core is not installed in ${dir}: run npm ci`);
  return { dir, version: (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version };
}

function cliVersion(): string {
  return (JSON.parse(readFileSync(join(REPO, 'node_modules', '@dataform', 'cli', 'package.json'), 'utf8')) as { version: string }).version;
}

/** The cache key of a compile: the project's files, the variables and both Dataform versions. */
export function dataformCacheKey(projectDir: string, vars: Readonly<Record<string, string>>): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ cli: cliVersion(), core: installedCore().version, vars: Object.entries(vars).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) }));
  for (const file of projectFiles(projectDir)) hash.update(`\0${file}\0`).update(readFileSync(join(projectDir, file)));
  return hash.digest('hex').slice(0, 32);
}

/** Every file of the project, relative and sorted, so the hash does not depend on directory order. */
function projectFiles(projectDir: string): string[] {
  return readdirSync(projectDir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && !relative(projectDir, d.parentPath).split(/[\\/]/).includes('node_modules'))
    .map((d) => relative(projectDir, join(d.parentPath, d.name)).split('\\').join('/'))
    .sort();
}

function readCached(path: string): CompiledProject | undefined {
  if (!existsSync(path)) return undefined;
  const parsed = compiledSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  return parsed.success ? parsed.data : undefined;
}

function writeCached(path: string, compiled: CompiledProject): void {
  mkdirSync(join(path, '..'), { recursive: true });
  // Rename is atomic: a parallel test worker never reads half a file.
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, JSON.stringify(compiled));
  renameSync(partial, path);
}

function runCli(projectDir: string, settings: string, vars: Readonly<Record<string, string>>, core: { dir: string; version: string }, env: NodeJS.ProcessEnv): CompiledProject {
  const work = mkdtempSync(join(tmpdir(), 'dataform-compile-'));
  try {
    const project = join(work, 'project');
    cpSync(projectDir, project, { recursive: true, filter: (src) => !relative(projectDir, src).split(/[\\/]/).includes('node_modules') });
    writeFileSync(join(project, 'workflow_settings.yaml'), settings.replace(CORE_VERSION_LINE, ''));
    writeFileSync(join(project, 'package.json'), `${JSON.stringify({ private: true, dependencies: { '@dataform/core': core.version } }, null, 2)}\n`);
    // A copy, not a symlink: the CLI's sandbox (vm2) refuses modules that resolve outside the project.
    cpSync(core.dir, join(project, 'node_modules', '@dataform', 'core'), { recursive: true });
    const args = ['compile', project, '--json'];
    const pairs = Object.entries(vars).map(([k, v]) => `${k}=${v}`);
    if (pairs.length > 0) args.push(`--vars=${pairs.join(',')}`);
    cliRuns++;
    // npm_config_offline: should the CLI ever reach for npm again, it fails at once instead of downloading.
    const out = execFileSync(join(REPO, 'node_modules', '.bin', 'dataform'), args, {
      encoding: 'utf8',
      cwd: work,
      maxBuffer: 64 << 20,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...env, npm_config_offline: 'true' },
    });
    const compiled = compiledSchema.parse(JSON.parse(out));
    const errors = compiled.graphErrors?.compilationErrors;
    if (Array.isArray(errors) && errors.length > 0) throw new ConfigError(`dataform compilation of ${projectDir} failed: ${JSON.stringify(errors)}`);
    return compiled;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

interface Action {
  readonly target: { schema: string; name: string };
  readonly dependencyTargets: readonly { schema: string; name: string }[];
}

/** Actions (tables, operations) in an order where every action comes after the actions it reads. */
export function dependencyOrder<T extends Action>(tables: readonly T[]): T[] {
  const key = (t: { schema: string; name: string }) => `${t.schema}.${t.name}`;
  const byKey = new Map(tables.map((t) => [key(t.target), t]));
  const done = new Set<string>();
  const ordered: T[] = [];
  const visit = (t: T, path: string[]) => {
    const k = key(t.target);
    if (done.has(k)) return;
    if (path.includes(k)) throw new Error(`dependency cycle: ${[...path, k].join(' -> ')}`);
    for (const dep of t.dependencyTargets) {
      const d = byKey.get(key(dep));
      if (d) visit(d, [...path, k]);
    }
    done.add(k);
    ordered.push(t);
  };
  tables.forEach((t) => { visit(t, []); });
  return ordered;
}

/** An assertion whose query returned rows: what it checks, what it expected and what it found. */
export interface FailedAssertion {
  readonly name: string;
  readonly description: string;
  readonly expected: 'no rows';
  /** How many rows the assertion query returned. */
  readonly rows: number;
  /** The first rows returned (at most SAMPLE_ROWS), JSON-safe. */
  readonly sample: readonly Record<string, string | number | boolean | null>[];
  /** One line for a log or a test failure. */
  readonly message: string;
}

export interface TransformResult {
  /** Per table: how it was built, its rows afterwards and the time taken. */
  readonly tables: { readonly name: string; readonly mode: 'full' | 'incremental'; readonly rows: number; readonly ms: number }[];
  readonly failedAssertions: FailedAssertion[];
}

export interface RunOptions {
  /** Rebuild incremental tables from scratch (Dataform's "run with full refresh"). */
  readonly fullRefresh?: boolean;
}

type Table = CompiledProject['tables'][number];
type Operation = CompiledProject['operations'][number];

/**
 * Runs the compiled project on the warehouse (DuckDB locally) as Dataform runs it on BigQuery, in
 * dependency order: an operation runs its statements; a table runs its pre-operations, CREATE OR
 * REPLACE TABLE ... AS its SELECT, then its post-operations; an incremental table that exists
 * (and has the columns its query makes) runs its incremental pre-operations, INSERT INTO ... its
 * incremental SELECT and its incremental post-operations instead. Each action is one transaction.
 * Then every assertion runs; an assertion fails when its query returns rows.
 */
export async function runCompiledProject(warehouse: Warehouse, compiled: CompiledProject, options: RunOptions = {}): Promise<TransformResult> {
  const tables: TransformResult['tables'][number][] = [];
  const actions: (Table | Operation)[] = [...compiled.operations, ...compiled.tables];
  for (const action of dependencyOrder(actions)) {
    const started = Date.now();
    await warehouse.query(`CREATE SCHEMA IF NOT EXISTS ${action.target.schema}`);
    if ('queries' in action) {
      await inTransaction(warehouse, async () => { await runScript(warehouse, action.queries, new Map()); });
      continue;
    }
    const mode = await runTable(warehouse, action, options);
    const [count] = await warehouse.query(`SELECT COUNT(*) AS n FROM ${quoted(action.target)}`);
    tables.push({ name: action.target.name, mode, rows: Number(count!.n), ms: Date.now() - started });
  }
  return { tables, failedAssertions: await runAssertions(warehouse, compiled) };
}

const quoted = (t: { schema: string; name: string }) => `\`${t.schema}.${t.name}\``;

async function runTable(warehouse: Warehouse, t: Table, options: RunOptions): Promise<'full' | 'incremental'> {
  const existing = await tableColumns(warehouse, t.target);
  const incremental = t.type === 'incremental' && options.fullRefresh !== true && existing.length > 0 && sameColumns(existing, await queryColumns(warehouse, t));
  await inTransaction(warehouse, async () => {
    if (incremental) {
      const vars = await runScript(warehouse, t.incrementalPreOps, new Map());
      const columns = existing.map((c) => `\`${c}\``).join(', ');
      await warehouse.query(bindVariables(`INSERT INTO ${quoted(t.target)} (${columns}) SELECT ${columns} FROM (${stripComments(t.incrementalQuery ?? t.query)}) AS insertions`, vars));
      await runScript(warehouse, t.incrementalPostOps, vars);
    } else {
      const vars = await runScript(warehouse, t.preOps, new Map());
      await warehouse.query(bindVariables(`CREATE OR REPLACE TABLE ${quoted(t.target)} AS ${stripComments(t.query)}`, vars));
      await runScript(warehouse, t.postOps, vars);
    }
  });
  return incremental ? 'incremental' : 'full';
}

/**
 * Runs script blocks statement by statement; each DECLARE is evaluated once and bound as a literal.
 * Exported so a test can run one table's post-operations (its checks) over rows built to break them.
 */
export async function runScript(warehouse: Warehouse, blocks: readonly string[], bound: ReadonlyMap<string, string>): Promise<Map<string, string>> {
  const vars = new Map(bound);
  for (const statement of blocks.flatMap(splitStatements)) {
    const declaration = parseDeclaration(statement);
    if (!declaration) {
      await warehouse.query(bindVariables(statement, vars));
      continue;
    }
    const [row] = await warehouse.query(bindVariables(`SELECT CAST(CAST((${declaration.defaultSql}) AS ${declaration.type}) AS STRING) AS v`, vars));
    const value = row?.v;
    vars.set(declaration.name, typedLiteral(declaration.type, typeof value === 'string' ? value : null));
  }
  return vars;
}

async function inTransaction(warehouse: Warehouse, work: () => Promise<void>): Promise<void> {
  await warehouse.query('BEGIN TRANSACTION');
  try {
    await work();
    await warehouse.query('COMMIT');
  } catch (err) {
    await warehouse.query('ROLLBACK');
    throw err;
  }
}

async function tableColumns(warehouse: Warehouse, t: { schema: string; name: string }): Promise<string[]> {
  const rows = await warehouse.query('SELECT column_name FROM information_schema.columns WHERE table_schema = @s AND table_name = @t ORDER BY ordinal_position', { s: t.schema, t: t.name });
  return rows.map((r) => String(r.column_name));
}

/** The columns a full build of the table would make (variables bound to NULL: nothing is evaluated). */
async function queryColumns(warehouse: Warehouse, t: Table): Promise<string[]> {
  const nulls = new Map(t.preOps.flatMap(splitStatements).flatMap((s) => {
    const d = parseDeclaration(s);
    return d ? [[d.name, typedLiteral(d.type, null)] as const] : [];
  }));
  const rows = await warehouse.query(`DESCRIBE ${bindVariables(stripComments(t.query), nulls)}`);
  return rows.map((r) => String(r.column_name));
}

/** A table made by an older definition (other columns) is rebuilt in full, as Dataform needs a full refresh then. */
function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((c, i) => c === b[i]);
}

export const SAMPLE_ROWS = 3;

/** Runs every assertion of the project; one that returns rows has failed, and says what it found. */
export async function runAssertions(warehouse: Warehouse, compiled: CompiledProject): Promise<FailedAssertion[]> {
  const failed: FailedAssertion[] = [];
  for (const a of compiled.assertions) {
    const rows = await warehouse.query(a.query);
    if (rows.length === 0) continue;
    const description = describeAssertion(a);
    const sample = rows.slice(0, SAMPLE_ROWS).map(jsonSafeRow);
    const found = `found ${rows.length} row${rows.length === 1 ? '' : 's'}${rows.length > SAMPLE_ROWS ? `, first ${SAMPLE_ROWS}` : ''}: ${sample.map((r) => JSON.stringify(r)).join(' ')}`;
    failed.push({ name: a.target.name, description, expected: 'no rows', rows: rows.length, sample, message: `assertion ${a.target.name} failed (${description}): expected no rows, ${found}` });
  }
  return failed;
}

/** The assertion's own description, or what Dataform's built-in assertion of a table checks. */
function describeAssertion(a: CompiledProject['assertions'][number]): string {
  const own = a.actionDescriptor?.description;
  if (own) return own;
  const table = a.parentAction ? `${a.parentAction.schema}.${a.parentAction.name}` : 'its table';
  if (/_uniqueKey_\d+$/.test(a.target.name)) return `no two rows of ${table} share the unique key`;
  if (a.target.name.endsWith('_rowConditions')) return `in ${table} the non-null columns are not null and every row condition holds`;
  return `the query of ${a.target.name} returns no rows`;
}

function jsonSafeRow(row: Row): Record<string, string | number | boolean | null> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, jsonSafe(v)]));
}

function jsonSafe(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
}
