import type { ObjectInfo, ObjectStore, StoredObject, WriteOptions } from '../../shared/storage/object_store';

/** A seeded generator (mulberry32) so a trial's interleaving can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Wraps a store so every call first waits 0 to `maxDelayMs` (seeded): concurrent writers then
 * interleave differently on each trial. Only the order of operations changes, never an assertion.
 */
export function jitteryStore(store: ObjectStore, random: () => number, maxDelayMs = 30): ObjectStore {
  const pause = () => new Promise<void>((resolve) => setTimeout(resolve, Math.floor(random() * (maxDelayMs + 1))));
  return {
    url: store.url,
    async read(key: string): Promise<StoredObject | null> {
      await pause();
      return store.read(key);
    },
    async write(key: string, data: Buffer, options?: WriteOptions): Promise<{ generation: string }> {
      await pause();
      return store.write(key, data, options);
    },
    async list(prefix: string): Promise<ObjectInfo[]> {
      await pause();
      return store.list(prefix);
    },
    async delete(key: string, options?: { ifGenerationMatch?: string }): Promise<void> {
      await pause();
      await store.delete(key, options);
    },
  };
}
