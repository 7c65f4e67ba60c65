import { gunzipSync, gzipSync } from 'node:zlib';

/** Rows as newline-delimited JSON, gzip-compressed (what BigQuery reads as NEWLINE_DELIMITED_JSON). */
export function encodeJsonlGzip(rows: readonly unknown[]): Buffer {
  const text = rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length > 0 ? '\n' : '');
  // mtime 0 in the gzip header keeps the bytes (and so the checksum) the same for the same rows.
  return gzipSync(Buffer.from(text, 'utf8'), { level: 6 });
}

export function decodeJsonlGzip(data: Buffer): unknown[] {
  return gunzipSync(data)
    .toString('utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as unknown);
}
