import { InvalidInputError, ModelFileError, PreconditionFailedError } from '../../../shared/errors';
import { openRegistry } from '../../../shared/model_registry/registry';
import { aliasKey } from '../../../shared/model_registry/registry_layout';
import { MemoryStore } from '../../../shared/storage/memory_store';
import { TEST_MODEL_FEATURES, testModelVersion } from '../../helpers/model_versions';

const NAMES = TEST_MODEL_FEATURES;
const version = testModelVersion;

test('versions are listed in time order; promote, promote, rollback, rollback', async () => {
  const store = new MemoryStore();
  const reg = openRegistry(store, 'm');
  const v1 = version(1, '2026-11-01T00:00:00.000Z');
  const v2 = version(2, '2026-11-08T00:00:00.000Z');
  expect(v1.id).toMatch(/^20261101T000000Z-[0-9a-f]{8}$/);
  await reg.writeVersion(v2.id, v2.files);
  await reg.writeVersion(v1.id, v1.files);
  expect((await reg.listVersions()).map((v) => v.version)).toEqual([v1.id, v2.id]);
  expect(await reg.loadProductionModel()).toBeNull();

  const now = new Date('2026-11-09T00:00:00Z');
  let alias = await reg.productionAlias();
  expect(alias).toEqual({ record: null, generation: '0' });
  await reg.promote(v1.id, { expectedGeneration: alias.generation, by: 'train', reason: 'first', now });
  alias = await reg.productionAlias();
  await reg.promote(v2.id, { expectedGeneration: alias.generation, by: 'alice', reason: 'better', now });
  alias = await reg.productionAlias();
  expect(alias.record).toEqual({ modelName: 'm', version: v2.id, promotedAt: now.toISOString(), by: 'alice', reason: 'better', history: [{ version: v1.id, promotedAt: now.toISOString(), by: 'train', reason: 'first' }] });
  expect((await reg.loadProductionModel(NAMES))!.version).toBe(v2.id);

  const back = await reg.rollback({ expectedGeneration: alias.generation, by: 'bob', reason: 'alerts storm', now });
  expect(back.version).toBe(v1.id);
  alias = await reg.productionAlias();
  expect([alias.record!.version, alias.record!.history]).toEqual([v1.id, []]);
  await expect(reg.rollback({ expectedGeneration: alias.generation, by: 'bob', reason: 'again', now })).rejects.toThrow('model m has no earlier production version to roll back to');
  await expect(reg.rollback({ expectedGeneration: '1', by: 'bob', reason: 'stale', now })).rejects.toThrow(PreconditionFailedError);
});

test('unknown versions, rewritten versions and tampered models are refused', async () => {
  const store = new MemoryStore();
  const reg = openRegistry(store, 'm');
  const v1 = version(1, '2026-11-01T00:00:00.000Z');
  await reg.writeVersion(v1.id, v1.files);
  await reg.writeVersion(v1.id, v1.files); // the same files again: a retried run
  await expect(reg.writeVersion(v1.id, { ...v1.files, modelText: version(3, '2026-11-01T00:00:00.000Z').files.modelText })).rejects.toThrow('already exists with other content');
  await expect(reg.promote('20261101T000000Z-00000000', { expectedGeneration: '0', by: 'x', reason: 'y', now: new Date() })).rejects.toThrow('model m has no version 20261101T000000Z-00000000');
  await expect(reg.readVersion('latest')).rejects.toThrow(InvalidInputError);
  await reg.promote(v1.id, { expectedGeneration: '0', by: 'x', reason: 'y', now: new Date() });
  await expect(reg.loadProductionModel(['b', 'a'])).rejects.toThrow('production model m/' + v1.id + ' was trained on features [a, b] but the mart has [b, a]: same names in another order');
  await store.write(`models/m/${v1.id}/model.json`, Buffer.from(v1.files.modelText.replace('"offset":-0.5', '"offset":-0.4')));
  await expect(reg.loadProductionModel()).rejects.toThrow(ModelFileError);
  await store.write(aliasKey('m'), Buffer.from('{"version": 3'));
  await expect(reg.productionAlias()).rejects.toThrow('models/m/production.json is not valid JSON');
});
