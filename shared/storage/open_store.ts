import { isAbsolute, resolve } from 'node:path';
import type { StorageOptions } from '@google-cloud/storage';
import { ConfigError } from '../errors';
import { GcsStore } from './gcs_store';
import { LocalFolderStore } from './local_folder_store';
import { MemoryStore } from './memory_store';
import type { ObjectStore } from './object_store';

const memoryStores = new Map<string, MemoryStore>();

/**
 * Opens the store a URL names: `gs://bucket/prefix` (GCS), `memory://name` (one shared store per
 * name in this process), or a folder path (`file://` optional, relative to the working directory).
 */
export function openObjectStore(url: string, gcsOptions: StorageOptions = {}): ObjectStore {
  if (url.startsWith('gs://')) {
    const match = /^gs:\/\/([a-z0-9][a-z0-9._-]{1,220}[a-z0-9])(?:\/(.*?))?\/?$/.exec(url);
    if (!match) throw new ConfigError(`'${url}' is not a valid gs://bucket/prefix URL`);
    return new GcsStore(url.replace(/\/$/, ''), match[1]!, match[2] ?? '', gcsOptions);
  }
  if (url.startsWith('memory://')) {
    let store = memoryStores.get(url);
    if (!store) {
      store = new MemoryStore(url);
      memoryStores.set(url, store);
    }
    return store;
  }
  const path = url.startsWith('file://') ? url.slice('file://'.length) : url;
  if (path.length === 0 || /^[a-z][a-z0-9+.-]*:\/\//i.test(path)) throw new ConfigError(`unsupported store URL '${url}' (use gs://, memory:// or a path)`);
  const root = isAbsolute(path) ? path : resolve(path);
  return new LocalFolderStore(root, root);
}
