import type { ObjectStore } from '../storage/object_store';
import { openRegistry, type ModelRegistry } from './registry';

export type ProductionModel = NonNullable<Awaited<ReturnType<ModelRegistry['loadProductionModel']>>>;

/** Loaded models per store, then per model name and feature list: one entry, the version last loaded. */
const loaded = new WeakMap<ObjectStore, Map<string, ProductionModel>>();

/**
 * The production model of `name`, its files read and checked once per version: the alias is read
 * on every call, so a promotion or rollback is picked up on the next run, and a version's files
 * are never overwritten (writeVersion), so its id names one model. Keyed by the store object: a
 * warm function instance or the local pipeline keeps its store for its whole life.
 */
export async function loadProductionModelCached(store: ObjectStore, name: string, expectedFeatures: readonly string[]): Promise<ProductionModel | null> {
  const registry = openRegistry(store, name);
  const { record } = await registry.productionAlias();
  if (!record) return null;
  const byName = loaded.get(store) ?? new Map<string, ProductionModel>();
  loaded.set(store, byName);
  const key = `${name}\n${expectedFeatures.join('\n')}`;
  const cached = byName.get(key);
  if (cached?.version === record.version) return cached;
  const production = await registry.loadProductionModel(expectedFeatures);
  if (production) byName.set(key, production);
  else byName.delete(key);
  return production;
}
