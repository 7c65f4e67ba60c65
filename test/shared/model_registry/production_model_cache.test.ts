import { loadProductionModelCached } from '../../../shared/model_registry/production_model_cache';
import { openRegistry } from '../../../shared/model_registry/registry';
import { MemoryStore } from '../../../shared/storage/memory_store';
import { TEST_MODEL_FEATURES, testModelVersion } from '../../helpers/model_versions';

const NAMES = TEST_MODEL_FEATURES;
const version = testModelVersion;

/** A memory store that counts the reads of each key. */
class CountingStore extends MemoryStore {
  readonly reads = new Map<string, number>();
  override read(key: string) {
    this.reads.set(key, (this.reads.get(key) ?? 0) + 1);
    return super.read(key);
  }
  modelReads(): number {
    return [...this.reads].filter(([k]) => k.endsWith('/model.json')).reduce((n, [, c]) => n + c, 0);
  }
}

test('a version is read once; the alias is read every time, so a promotion is picked up on the next call', async () => {
  const store = new CountingStore();
  const registry = openRegistry(store, 'm');
  expect(await loadProductionModelCached(store, 'm', NAMES)).toBeNull();
  const v1 = version(1, '2026-11-01T00:00:00.000Z');
  const v2 = version(2, '2026-11-08T00:00:00.000Z');
  await registry.writeVersion(v1.id, v1.files);
  await registry.writeVersion(v2.id, v2.files);
  const now = new Date('2026-11-09T00:00:00Z');
  await registry.promote(v1.id, { expectedGeneration: '0', by: 'train', reason: 'first', now });
  store.reads.clear();

  const first = await loadProductionModelCached(store, 'm', NAMES);
  const again = await loadProductionModelCached(store, 'm', NAMES);
  expect([first!.version, again!.version, again === first, store.modelReads()]).toEqual([v1.id, v1.id, true, 1]);

  await registry.promote(v2.id, { expectedGeneration: (await registry.productionAlias()).generation, by: 'alice', reason: 'better', now });
  store.reads.clear();
  const promoted = await loadProductionModelCached(store, 'm', NAMES);
  expect([promoted!.version, store.modelReads()]).toEqual([v2.id, 1]);
  // Another store is another registry: nothing is shared.
  const other = new CountingStore();
  expect(await loadProductionModelCached(other, 'm', NAMES)).toBeNull();
});

test('the features are checked on the first load of a version, and a mismatch is not cached', async () => {
  const store = new CountingStore();
  const registry = openRegistry(store, 'm');
  const v1 = version(1, '2026-11-01T00:00:00.000Z');
  await registry.writeVersion(v1.id, v1.files);
  await registry.promote(v1.id, { expectedGeneration: '0', by: 'train', reason: 'first', now: new Date('2026-11-02T00:00:00Z') });
  await expect(loadProductionModelCached(store, 'm', ['a', 'c'])).rejects.toThrow(/feature/);
  await expect(loadProductionModelCached(store, 'm', ['a', 'c'])).rejects.toThrow(/feature/);
  expect((await loadProductionModelCached(store, 'm', NAMES))!.version).toBe(v1.id);
});
