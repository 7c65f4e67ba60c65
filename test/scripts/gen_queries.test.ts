import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QUERIES_DIR, QUERY_DOCUMENTS_FILE, renderQueryDocuments } from '../../scripts/gen_queries';
import { QUERY_FILES, loadQuery } from '../../shared/subgraph/queries';

test('shared/subgraph/query_documents.ts is fresh (run npm run gen:queries)', () => {
  expect(readFileSync(QUERY_DOCUMENTS_FILE, 'utf8')).toBe(renderQueryDocuments());
});

test('every .graphql file is a query document, byte for byte', () => {
  expect([...QUERY_FILES].sort()).toEqual(['pair_hour_page.graphql', 'pool_hour_page.graphql']);
  for (const file of QUERY_FILES) expect(loadQuery(file)).toBe(readFileSync(join(QUERIES_DIR, file), 'utf8'));
});

test('the rendering escapes what a document may hold and follows name order', () => {
  const dir = mkdtempSync(join(tmpdir(), 'queries-'));
  try {
    writeFileSync(join(dir, 'b.graphql'), 'query B { x(s: "a\\"b") }\n# `${not a template}`\n');
    writeFileSync(join(dir, 'a.graphql'), 'query A { y }\n');
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    const module = renderQueryDocuments(dir);
    expect(module.split('\n').slice(1)).toEqual([
      'export const QUERY_DOCUMENTS = {',
      '  "a.graphql": "query A { y }\\n",',
      '  "b.graphql": "query B { x(s: \\"a\\\\\\"b\\") }\\n# `${not a template}`\\n",',
      '} as const;',
      '',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
