import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every query the fetcher sends, by file name; `npm run build` copies the folder beside bundles. */
export const QUERY_FILES = ['pool_hour_page.graphql', 'pair_hour_page.graphql'] as const;
export type QueryFile = (typeof QUERY_FILES)[number];

const cache = new Map<QueryFile, string>();

export function loadQuery(file: QueryFile): string {
  let text = cache.get(file);
  if (text === undefined) {
    text = readFileSync(join(__dirname, 'queries', file), 'utf8');
    cache.set(file, text);
  }
  return text;
}
