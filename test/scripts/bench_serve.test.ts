import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FEATURE_NAMES } from '../../shared/features/feature_spec';
import { openRegistry } from '../../shared/model_registry/registry';
import { registryModelLoader } from '../../shared/serve/registry_model_loader';
import { openObjectStore } from '../../shared/storage/open_store';
import { parseTrainOptions } from '../../shared/train/train_options';
import { flagsSchema, median, pairOrder, pairedRatios, publishBenchModel } from '../../scripts/bench/serve';
import { CliUsageError, parseCliArgs } from '../../scripts/cli_args';

describe('bench:serve figures', () => {
  test.each([
    [[5], 5],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[0.9, 0.7, 0.8, 0.75, 1.2], 0.8],
  ])('median of %j is %d', (xs, expected) => {
    expect(median(xs)).toBe(expected);
  });

  test('median of nothing is refused', () => {
    expect(() => median([])).toThrow('median of no values');
  });

  test('paired ratios are taken round by round, then their median', () => {
    // A neighbour halves round 2 for both sides: its ratio is unchanged, unlike a best-of-each comparison.
    const r = pairedRatios([
      { noop: { rps: 1000, cpuUs: 300 }, serve: { rps: 800, cpuUs: 360 } },
      { noop: { rps: 500, cpuUs: 600 }, serve: { rps: 400, cpuUs: 720 } },
      { noop: { rps: 1000, cpuUs: 300 }, serve: { rps: 700, cpuUs: 420 } },
    ]);
    expect(r).toEqual({ rpsRatios: [0.8, 0.8, 0.7], cpuRatios: [1.2, 1.2, 1.4], rpsMedian: 0.8, cpuMedian: 1.2 });
  });

  test('the side that runs first alternates between rounds', () => {
    expect([0, 1, 2, 3].map((round) => pairOrder(round, 'noop', 'serve'))).toEqual([
      ['noop', 'serve'],
      ['serve', 'noop'],
      ['noop', 'serve'],
      ['serve', 'noop'],
    ]);
  });

  test.each([
    [['--rounds', '0'], '--rounds: must be at least 1: each round pairs the no-op and serve'],
    [['--rounds', '41'], '--rounds: Too big: expected number to be <=40'],
    [['--cold-starts', '0'], '--cold-starts: must be at least 1 spawn of each function'],
    [['--model-source', 'pinned'], '--model-source'],
  ])('%j is refused naming the flag', (argv, message) => {
    expect(() => parseCliArgs(flagsSchema, argv)).toThrow(CliUsageError);
    expect(() => parseCliArgs(flagsSchema, argv)).toThrow(message);
  });

  test('defaults: 15 paired rounds of 1 s, 5 cold starts each, the registry', () => {
    expect(parseCliArgs(flagsSchema, [])).toMatchObject({ rounds: 15, 'cold-starts': 5, 'model-source': 'registry', duration: 1, connections: 10 });
  });
});

describe('bench:serve model', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bench-serve-test-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test("is published as train publishes: the production alias points at it and serve's registry loader loads it at production size", async () => {
    const store = openObjectStore(dir);
    const defaults = parseTrainOptions({});
    const published = await publishBenchModel(store, new Date('2026-12-01T06:30:00Z'), 600);
    expect(published.modelName).toBe(defaults.modelName);
    expect(published.version).toMatch(/^20261201T063000Z-[0-9a-f]{8}$/);

    const registry = openRegistry(store, defaults.modelName);
    const alias = await registry.productionAlias();
    expect(alias.record).toMatchObject({ modelName: defaults.modelName, version: published.version, by: 'bench:serve', history: [] });
    const stored = await registry.readVersion(published.version);
    expect(stored.metadata.window).toEqual({ start: '2026-11-01T06:00:00.000Z', evalStart: '2026-11-24T06:00:00.000Z', end: '2026-12-01T06:00:00.000Z' });
    expect(stored.metadata.rowCounts).toEqual({ trainWindowRows: 600, trainRows: 600, evalWindowRows: 2000, evalRows: 2000, skippedNonFinite: 0 });
    expect(stored.metrics.challenger.overall.rows).toBe(2000);

    const loader = registryModelLoader(store, defaults.modelName);
    expect(await loader.productionVersion()).toBe(published.version);
    const loaded = await loader.load(published.version);
    expect(loaded.featureNames).toEqual(FEATURE_NAMES);
    expect(loaded.threshold).toBe(stored.metadata.threshold.value);
    expect(loaded.model.treeCount).toBe(defaults.trees);
    expect(loaded.model.model.params.maxSamplesUsed).toBe(defaults.samples);
  });
});
