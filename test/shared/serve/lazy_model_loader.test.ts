import { lazyModelLoader } from '../../../shared/serve/lazy_model_loader';
import { fakeRegistry, loadedModel } from '../../helpers/serve_model';

test('imports the loader once, on first use, retries a failed import, and forwards both calls', async () => {
  const registry = fakeRegistry(loadedModel(['a', 'b'], 'v3'));
  let imports = 0;
  let failNext = true;
  const loader = lazyModelLoader(() => {
    imports++;
    if (failNext) {
      failNext = false;
      return Promise.reject(new Error('import failed'));
    }
    return Promise.resolve(registry);
  });
  expect(imports).toBe(0);
  await expect(loader.productionVersion()).rejects.toThrow('import failed');
  expect(await loader.productionVersion()).toBe('v3');
  expect((await loader.load('v3')).version).toBe('v3');
  expect(imports).toBe(2);
  expect([registry.versionCalls, registry.loadCalls]).toEqual([1, 1]);
});
