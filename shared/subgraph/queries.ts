import { QUERY_DOCUMENTS } from './query_documents';

/** A query document's file name in shared/subgraph/queries/. */
export type QueryFile = keyof typeof QUERY_DOCUMENTS;

/** Every query the fetcher sends; the documents are compiled in (npm run gen:queries), never read from disk. */
export const QUERY_FILES = Object.keys(QUERY_DOCUMENTS) as readonly QueryFile[];

export function loadQuery(file: QueryFile): string {
  return QUERY_DOCUMENTS[file];
}
