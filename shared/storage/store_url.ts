import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../errors';

export type StoreLocation =
  | { readonly kind: 'gcs'; readonly url: string; readonly bucket: string; readonly prefix: string }
  | { readonly kind: 'memory'; readonly url: string; readonly name: string }
  | { readonly kind: 'folder'; readonly url: string; readonly path: string };

const GCS = /^gs:\/\/([a-z0-9][a-z0-9._-]{1,220}[a-z0-9])(?:\/(.*?))?\/?$/;
const MEMORY = /^memory:\/\/([A-Za-z0-9._-]+)$/;

/**
 * Reads a store URL: `gs://bucket[/prefix]`, `memory://name`, or an explicit local folder path
 * (absolute, relative, or `file:///abs`). Anything else shaped like a URL (`gs:/bucket`,
 * `memory:/x`, `s3://...`) or a `~` the shell did not expand is refused with the reason, never
 * taken as a folder name.
 */
export function parseStoreUrl(url: string): StoreLocation {
  const text = url.trim();
  if (text.length === 0) throw new ConfigError('store URL is empty: use gs://bucket[/prefix], memory://name or a folder path');
  if (text.startsWith('gs:')) {
    const match = GCS.exec(text);
    if (!match) throw new ConfigError(`'${url}' is not a valid GCS URL: expected gs://bucket[/prefix] (bucket: 3-222 lower-case letters, digits, '.', '-', '_')`);
    const prefix = (match[2] ?? '').replace(/\/+$/, '');
    return { kind: 'gcs', url: `gs://${match[1]!}${prefix ? `/${prefix}` : ''}`, bucket: match[1]!, prefix };
  }
  if (text.startsWith('memory:')) {
    const match = MEMORY.exec(text);
    if (!match) throw new ConfigError(`'${url}' is not a valid memory store URL: expected memory://name (letters, digits, '.', '-', '_')`);
    return { kind: 'memory', url: text, name: match[1]! };
  }
  if (text.startsWith('file:')) {
    if (!text.startsWith('file:///')) throw new ConfigError(`'${url}' is not a valid file URL: expected file:///absolute/path, or the path itself`);
    const path = text.slice('file://'.length);
    return { kind: 'folder', url: path, path };
  }
  if (text.startsWith('~')) throw new ConfigError(`'${url}' starts with '~', which only a shell expands: give an absolute path (e.g. $HOME/...)`);
  if (/^[a-z][a-z0-9+.-]*:/i.test(text) && !/^[a-z]:[\\/]/i.test(text)) {
    throw new ConfigError(`'${url}' looks like a URL of an unsupported kind: use gs://bucket[/prefix], memory://name or a folder path`);
  }
  const path = isAbsolute(text) ? text : resolve(text);
  return { kind: 'folder', url: path, path };
}
