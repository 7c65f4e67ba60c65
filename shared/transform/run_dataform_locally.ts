import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { Warehouse } from '../warehouse/warehouse';

const target = z.object({ schema: z.string(), name: z.string() });
const compiledSchema = z.object({
  tables: z.array(z.object({ target, query: z.string(), dependencyTargets: z.array(target).default([]), type: z.string().optional() })).default([]),
  assertions: z.array(z.object({ target, query: z.string() })).default([]),
  graphErrors: z.record(z.string(), z.unknown()).optional(),
});
export type CompiledProject = z.infer<typeof compiledSchema>;

const REPO = resolve(__dirname, '..', '..');

/** `dataform compile --json` of the project (offline, no credentials), with variables. */
export function compileDataform(projectDir: string, vars: Readonly<Record<string, string>> = {}): CompiledProject {
  const args = ['compile', projectDir, '--json'];
  const pairs = Object.entries(vars).map(([k, v]) => `${k}=${v}`);
  if (pairs.length > 0) args.push(`--vars=${pairs.join(',')}`);
  const out = execFileSync(join(REPO, 'node_modules', '.bin', 'dataform'), args, { encoding: 'utf8', cwd: REPO, maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  const compiled = compiledSchema.parse(JSON.parse(out));
  const errors = compiled.graphErrors?.compilationErrors;
  if (Array.isArray(errors) && errors.length > 0) throw new Error(`dataform compilation failed: ${JSON.stringify(errors)}`);
  return compiled;
}

/** Tables in an order where every table comes after the tables it reads. */
export function dependencyOrder(tables: CompiledProject['tables']): CompiledProject['tables'] {
  const key = (t: { schema: string; name: string }) => `${t.schema}.${t.name}`;
  const byKey = new Map(tables.map((t) => [key(t.target), t]));
  const done = new Set<string>();
  const ordered: CompiledProject['tables'] = [];
  const visit = (t: CompiledProject['tables'][number], path: string[]) => {
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

export interface TransformResult {
  readonly tables: { readonly name: string; readonly rows: number; readonly ms: number }[];
  readonly failedAssertions: { readonly name: string; readonly rows: number }[];
}

/**
 * Runs the compiled project on the warehouse (DuckDB locally): each table is rebuilt with
 * CREATE OR REPLACE TABLE ... AS its SELECT, in dependency order, then every assertion runs;
 * an assertion fails when its query returns rows.
 */
export async function runCompiledProject(warehouse: Warehouse, compiled: CompiledProject): Promise<TransformResult> {
  const tables: TransformResult['tables'][number][] = [];
  for (const t of dependencyOrder(compiled.tables)) {
    const started = Date.now();
    await warehouse.query(`CREATE SCHEMA IF NOT EXISTS ${t.target.schema}`);
    await warehouse.query(`CREATE OR REPLACE TABLE \`${t.target.schema}.${t.target.name}\` AS ${t.query}`);
    const [count] = await warehouse.query(`SELECT COUNT(*) AS n FROM \`${t.target.schema}.${t.target.name}\``);
    tables.push({ name: t.target.name, rows: Number(count!.n), ms: Date.now() - started });
  }
  return { tables, failedAssertions: await runAssertions(warehouse, compiled) };
}

/** Runs every assertion of the project; one that returns rows has failed. */
export async function runAssertions(warehouse: Warehouse, compiled: CompiledProject): Promise<TransformResult['failedAssertions'][number][]> {
  const failed: TransformResult['failedAssertions'][number][] = [];
  for (const a of compiled.assertions) {
    const rows = await warehouse.query(a.query);
    if (rows.length > 0) failed.push({ name: a.target.name, rows: rows.length });
  }
  return failed;
}
