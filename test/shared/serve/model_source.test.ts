import { NotReadyError } from '../../../shared/errors';
import { memoryLogger } from '../../../shared/logging';
import { refreshingModelSource } from '../../../shared/serve/model_source';
import { fakeRegistry, loadedModel } from '../../helpers/serve_model';

const NAMES = ['a', 'b', 'c'];
const v1 = loadedModel(NAMES, 'v1', 1);
const v2 = loadedModel(NAMES, 'v2', 2);

function setup() {
  const registry = fakeRegistry(v1);
  registry.models.set('v2', v2);
  let now = 1_000_000;
  const logger = memoryLogger();
  const source = refreshingModelSource(registry, { checkEverySeconds: 60, clock: () => now, logger });
  return { registry, source, logger, advance: (seconds: number) => (now += seconds * 1000) };
}

test('loads once at cold start, then answers from the cache without asking the registry', async () => {
  const { registry, source } = setup();
  expect((await source.current()).version).toBe('v1');
  for (let i = 0; i < 5; i++) expect((await source.current()).version).toBe('v1');
  await source.idle();
  expect([registry.versionCalls, registry.loadCalls]).toEqual([1, 1]);
});

test('checks the alias at most every N seconds, in the background, and switches when it moved', async () => {
  const { registry, source, advance, logger } = setup();
  await source.current();
  registry.production = 'v2';
  advance(59);
  expect((await source.current()).version).toBe('v1');
  await source.idle();
  expect(registry.versionCalls).toBe(1);
  advance(1);
  // The request that triggers the check is answered with the cached model at once.
  expect((await source.current()).version).toBe('v1');
  await source.idle();
  expect([registry.versionCalls, registry.loadCalls]).toEqual([2, 2]);
  expect((await source.current()).version).toBe('v2');
  expect(logger.lines.map((l) => l.message)).toContain('production alias moved: serving model v2 (was v1)');
  // Requests inside the next interval do not check again.
  advance(30);
  await source.current();
  await source.idle();
  expect(registry.versionCalls).toBe(2);
});

test('an unchanged alias costs one version read and no download', async () => {
  const { registry, source, advance } = setup();
  await source.current();
  advance(120);
  await source.current();
  await source.idle();
  expect([registry.versionCalls, registry.loadCalls]).toEqual([2, 1]);
});

test('a failed check keeps serving the old model and is retried after the next interval', async () => {
  const { registry, source, advance, logger } = setup();
  await source.current();
  registry.production = 'v2';
  registry.failNext = true;
  advance(60);
  await source.current();
  await source.idle();
  expect((await source.current()).version).toBe('v1');
  expect(logger.lines.filter((l) => l.severity === 'WARNING').map((l) => l.message)).toEqual(['model refresh failed, still serving v1: registry unreachable']);
  advance(60);
  await source.current();
  await source.idle();
  expect((await source.current()).version).toBe('v2');
});

test('a failed cold-start load is a NotReadyError telling the caller to retry, its cause in the log; the next request tries again', async () => {
  const { registry, source, logger } = setup();
  registry.production = 'missing';
  const failure = await source.current().catch((err: unknown) => err);
  expect(failure).toBeInstanceOf(NotReadyError);
  expect((failure as NotReadyError).message).toBe('no production model is loaded yet; retry in a few seconds (the function log says why)');
  expect(logger.lines.filter((l) => l.severity === 'WARNING').map((l) => l.message)).toEqual(['the production model could not be loaded: no model missing']);
  registry.production = 'v1';
  expect((await source.current()).version).toBe('v1');
});

test('concurrent first requests share one load', async () => {
  const { registry, source } = setup();
  const versions = await Promise.all([source.current(), source.current(), source.current()]);
  expect(versions.map((m) => m.version)).toEqual(['v1', 'v1', 'v1']);
  expect(registry.loadCalls).toBe(1);
});

test('loadedNow: undefined before the first load, then the cached model without a promise, checking the alias like current()', async () => {
  const { registry, source, advance } = setup();
  expect(source.loadedNow()).toBeUndefined();
  expect(registry.versionCalls).toBe(0);
  await source.current();
  expect(source.loadedNow()?.version).toBe('v1');
  registry.production = 'v2';
  advance(60);
  expect(source.loadedNow()?.version).toBe('v1');
  await source.idle();
  expect([registry.versionCalls, registry.loadCalls]).toEqual([2, 2]);
  expect(source.loadedNow()?.version).toBe('v2');
});
