import { PreconditionFailedError } from '../errors';
import { assertValidKey, type ObjectInfo, type ObjectStore, type StoredObject, type WriteOptions } from './object_store';

/** An in-memory store that enforces generation preconditions like GCS (for tests and demos). */
export class MemoryStore implements ObjectStore {
  private readonly objects = new Map<string, StoredObject>();
  private nextGeneration = 1_700_000_000_000_000;

  constructor(readonly url = 'memory://') {}

  async read(key: string): Promise<StoredObject | null> {
    await Promise.resolve();
    assertValidKey(key);
    const o = this.objects.get(key);
    return o ? { data: Buffer.from(o.data), generation: o.generation } : null;
  }

  async write(key: string, data: Buffer, options: WriteOptions = {}): Promise<{ generation: string }> {
    await Promise.resolve();
    assertValidKey(key);
    const current = this.objects.get(key)?.generation ?? '0';
    if (options.ifGenerationMatch !== undefined && options.ifGenerationMatch !== current) {
      throw new PreconditionFailedError(`${this.url}${key}: at generation ${current}, expected ${options.ifGenerationMatch}`);
    }
    const generation = String(this.nextGeneration++);
    this.objects.set(key, { data: Buffer.from(data), generation });
    return { generation };
  }

  list(prefix: string): Promise<ObjectInfo[]> {
    const out = [...this.objects.entries()].filter(([k]) => k.startsWith(prefix)).map(([key, o]) => ({ key, generation: o.generation, size: o.data.length }));
    return Promise.resolve(out.sort((a, b) => (a.key < b.key ? -1 : 1)));
  }

  async delete(key: string, options: { ifGenerationMatch?: string } = {}): Promise<void> {
    await Promise.resolve();
    assertValidKey(key);
    const current = this.objects.get(key)?.generation ?? '0';
    if (options.ifGenerationMatch !== undefined && options.ifGenerationMatch !== current) {
      throw new PreconditionFailedError(`${this.url}${key}: at generation ${current}, expected ${options.ifGenerationMatch}`);
    }
    this.objects.delete(key);
  }
}
