import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { REPO } from './system_expectations';

/** The repository's .ts files a file reaches through relative imports (static and dynamic), itself included, repository-relative. */
export function importGraph(entry: string): string[] {
  const seen = new Set<string>();
  const stack = [resolve(REPO, entry)];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)) {
      const base = resolve(dirname(file), m[1]!);
      const found = [`${base}.ts`, `${base}/index.ts`].find((c) => existsSync(c) && statSync(c).isFile());
      if (found) stack.push(found);
    }
  }
  return [...seen].map((f) => relative(REPO, f)).sort();
}

/** A file's code without comments (block comments and whole-line // comments), so a table named in a doc comment is not a call. */
export function codeOf(file: string): string {
  return readFileSync(resolve(REPO, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
}

export type StoreVerb = 'read' | 'write' | 'list' | 'delete';

/** ObjectStore calls in a file: `store.write(`, `deps.store.delete(`, ... */
export function storeVerbs(file: string): StoreVerb[] {
  return [...new Set([...codeOf(file).matchAll(/\b\w*[sS]tore\.(read|write|list|delete)\(/g)].map((m) => m[1] as StoreVerb))].sort();
}

/** `export const NAME: TableSpec = { dataset: 'd', name: 't'` across shared/, by constant name. */
export function tableSpecConstants(files: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of files) for (const m of readFileSync(resolve(REPO, f), 'utf8').matchAll(/export const (\w+): TableSpec = \{\s*dataset: '(\w+)',\s*name: '(\w+)'/g)) out.set(m[1]!, `${m[2]!}.${m[3]!}`);
  return out;
}

/**
 * BigQuery tables a file touches: `dataset.table` written in its SQL, a TableSpec given to
 * ensureTable/replaceRows or spelled into SQL (`ALERTS.dataset`), and the raw external table
 * when it calls exposeRawLayer.
 */
export function tablesTouched(file: string, specs: ReadonlyMap<string, string>): string[] {
  const code = codeOf(file);
  const found = new Set<string>();
  for (const m of code.matchAll(/\b(dex_[a-z_]+\.[a-z_]+)\b/g)) found.add(m[1]!);
  for (const m of code.matchAll(/\b(?:ensureTable|replaceRows)\(\s*(\w+)/g)) if (specs.has(m[1]!)) found.add(specs.get(m[1]!)!);
  for (const m of code.matchAll(/\b([A-Z][A-Z_]+)\.dataset\b/g)) if (specs.has(m[1]!)) found.add(specs.get(m[1]!)!);
  if (/\.exposeRawLayer\(/.test(code)) found.add('dex_raw.raw_pool_hour');
  return [...found].sort();
}

/** Whether a file reads a secret through the Secrets port (`secrets.get(` on any receiver named for secrets). */
export function readsSecrets(file: string): boolean {
  return /\b\w*[sS]ecrets\)?\.get\(/.test(codeOf(file));
}
