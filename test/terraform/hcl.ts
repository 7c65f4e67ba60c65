import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/** The repository's terraform/ folder. */
export const TERRAFORM_DIR = resolve(__dirname, '..', '..', 'terraform');

/** A block body as @cdktf/hcl2json gives it: attributes as values ("${...}" for expressions), nested blocks as arrays. */
export type Body = Record<string, unknown>;

/** One folder's .tf files merged: resource/data/module/variable/output/locals by kind. */
export interface TfModule {
  readonly dir: string;
  readonly files: readonly string[];
  readonly resources: ReadonlyMap<string, Body>;
  readonly data: ReadonlyMap<string, Body>;
  readonly modules: ReadonlyMap<string, Body>;
  readonly variables: ReadonlyMap<string, Body>;
  readonly outputs: ReadonlyMap<string, Body>;
  readonly locals: Readonly<Record<string, unknown>>;
}

function tfFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tfFiles(path));
    else if (entry.name.endsWith('.tf')) out.push(path);
  }
  return out.sort();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstBody(value: unknown): Body {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return isRecord(first) ? first : {};
}

// @cdktf/hcl2json runs Go compiled to WebAssembly, whose runtime never ends: parsing in a child
// process that exits keeps jest's workers free of it (and makes the parse synchronous).
const PARSE_SCRIPT = `
const { parse } = require('@cdktf/hcl2json');
const { readFileSync } = require('node:fs');
const files = JSON.parse(process.argv[1]);
Promise.all(files.map((f) => parse(f.name, readFileSync(f.path, 'utf8'))))
  .then((parsed) => { process.stdout.write(JSON.stringify(parsed)); process.exit(0); })
  .catch((err) => { process.stderr.write(String(err && err.message || err)); process.exit(1); });
`;

function parseFiles(root: string, files: readonly string[]): unknown[] {
  try {
    const out = execFileSync(process.execPath, ['-e', PARSE_SCRIPT, JSON.stringify(files.map((f) => ({ name: relative(root, f), path: f })))], { cwd: resolve(__dirname, '..', '..'), encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
    return JSON.parse(out) as unknown[];
  } catch (err) {
    throw new Error(`terraform files do not parse: ${(err as { stderr?: string }).stderr ?? (err as Error).message}`, { cause: err });
  }
}

/** Parses every .tf file under terraform/ (a syntax error fails with the file and line) into one entry per folder. */
export function loadTerraform(root: string = TERRAFORM_DIR): Map<string, TfModule> {
  interface Entry {
    files: string[];
    resources: Map<string, Body>;
    data: Map<string, Body>;
    modules: Map<string, Body>;
    variables: Map<string, Body>;
    outputs: Map<string, Body>;
    locals: Record<string, unknown>;
  }
  const byDir = new Map<string, Entry>();
  const files = tfFiles(root);
  const parsed = parseFiles(root, files);
  for (const [index, file] of files.entries()) {
    const dir = relative(root, join(file, '..'));
    const entry: Entry = byDir.get(dir) ?? { files: [], resources: new Map(), data: new Map(), modules: new Map(), variables: new Map(), outputs: new Map(), locals: {} };
    byDir.set(dir, entry);
    entry.files.push(relative(root, file));
    const json = parsed[index];
    if (!isRecord(json)) throw new Error(`${relative(root, file)}: parsed to ${JSON.stringify(json)}`);
    for (const [kind, target] of [['resource', entry.resources], ['data', entry.data]] as const) {
      const blocks = json[kind];
      if (!isRecord(blocks)) continue;
      for (const [type, byName] of Object.entries(blocks)) {
        if (!isRecord(byName)) continue;
        for (const [name, body] of Object.entries(byName)) target.set(`${type}.${name}`, firstBody(body));
      }
    }
    for (const [kind, target] of [['module', entry.modules], ['variable', entry.variables], ['output', entry.outputs]] as const) {
      const blocks = json[kind];
      if (!isRecord(blocks)) continue;
      for (const [name, body] of Object.entries(blocks)) target.set(name, firstBody(body));
    }
    const locals = json.locals;
    for (const block of Array.isArray(locals) ? locals : []) if (isRecord(block)) Object.assign(entry.locals, block);
  }
  return new Map([...byDir].map(([dir, e]) => [dir, { dir, ...e }]));
}

/** The folder a module block's `source` points at, relative to terraform/. */
export function moduleDir(callerDir: string, source: unknown): string {
  if (typeof source !== 'string' || !source.startsWith('.')) throw new Error(`module source ${JSON.stringify(source)} is not a local path`);
  return relative(TERRAFORM_DIR, resolve(TERRAFORM_DIR, callerDir, source));
}

/** A module's folder, failing with its name when absent. */
export function mustGet(tf: ReadonlyMap<string, TfModule>, dir: string): TfModule {
  const m = tf.get(dir);
  if (!m) throw new Error(`terraform/${dir} has no .tf files`);
  return m;
}

/** Nested blocks of a body (hcl2json gives each block kind as an array). */
export function blocks(body: Body, name: string): Body[] {
  const value = body[name];
  return Array.isArray(value) ? value.filter(isRecord) : isRecord(value) ? [value] : [];
}

/** A map-valued attribute (a literal object in HCL), or undefined when it is an expression. */
export function mapAttr(body: Body, name: string): Record<string, unknown> | undefined {
  const value = body[name];
  return isRecord(value) ? value : undefined;
}

/** Every string anywhere in a parsed body, for checks that no value may contain. */
export function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (isRecord(value)) return Object.values(value).flatMap(allStrings);
  return [];
}
