import type { StorageOptions } from '@google-cloud/storage';
import { GcsJsonReader, type GcsJsonReaderOptions } from './gcs_json_reader';
import { GcsStore } from './gcs_store';
import { LocalFolderStore } from './local_folder_store';
import { MemoryStore } from './memory_store';
import type { ObjectStore } from './object_store';
import { parseStoreUrl } from './store_url';

const memoryStores = new Map<string, MemoryStore>();

/**
 * Opens the store a URL names (see parseStoreUrl): `gs://bucket/prefix` (GCS), `memory://name`
 * (one shared store per name in this process), or a local folder.
 */
export function openObjectStore(url: string, gcsOptions: StorageOptions = {}): ObjectStore {
  const location = parseStoreUrl(url);
  switch (location.kind) {
    case 'gcs':
      return new GcsStore(location.url, location.bucket, location.prefix, gcsOptions);
    case 'memory': {
      let store = memoryStores.get(location.url);
      if (!store) {
        store = new MemoryStore(location.url);
        memoryStores.set(location.url, store);
      }
      return store;
    }
    case 'folder':
      return new LocalFolderStore(location.path, location.path);
  }
}

/**
 * A store that is only read (serve): for gs:// the JSON API over plain fetch (gcs_json_reader.ts),
 * without the client library's load time at cold start; anything else as openObjectStore.
 */
export function openReadOnlyObjectStore(url: string, gcsOptions: GcsJsonReaderOptions = {}): ObjectStore {
  const location = parseStoreUrl(url);
  if (location.kind === 'gcs') return new GcsJsonReader(location.url, location.bucket, location.prefix, gcsOptions);
  return openObjectStore(url);
}
