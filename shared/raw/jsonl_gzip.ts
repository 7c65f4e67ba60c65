import { promisify } from 'node:util';
import { gunzip, gunzipSync, gzip, gzipSync, type ZlibOptions } from 'node:zlib';

const gzipAsync = promisify<Buffer, ZlibOptions, Buffer>(gzip);
const gunzipAsync = promisify<Buffer, Buffer>(gunzip);

// mtime 0 in the gzip header keeps the bytes (and so the checksum) the same for the same rows.
const GZIP_OPTIONS: ZlibOptions = { level: 6 };

function jsonLines(rows: readonly unknown[]): Buffer {
  return Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length > 0 ? '\n' : ''), 'utf8');
}

function parseLines(text: string): unknown[] {
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as unknown);
}

/** Rows as newline-delimited JSON, gzip-compressed (what BigQuery reads as NEWLINE_DELIMITED_JSON). */
export function encodeJsonlGzip(rows: readonly unknown[]): Buffer {
  return gzipSync(jsonLines(rows), GZIP_OPTIONS);
}

/**
 * `encodeJsonlGzip`, the same bytes, compressed on libuv's thread pool: the event loop (and a
 * second core) stays free for other hours meanwhile.
 */
export function encodeJsonlGzipAsync(rows: readonly unknown[]): Promise<Buffer> {
  return gzipAsync(jsonLines(rows), GZIP_OPTIONS);
}

export function decodeJsonlGzip(data: Buffer): unknown[] {
  return parseLines(gunzipSync(data).toString('utf8'));
}

/** `decodeJsonlGzip`, decompressing on libuv's thread pool. */
export async function decodeJsonlGzipAsync(data: Buffer): Promise<unknown[]> {
  return parseLines((await gunzipAsync(data)).toString('utf8'));
}
