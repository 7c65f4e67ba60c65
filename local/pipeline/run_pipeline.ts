import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { renderReport } from '../../shared/report/render_report';
import { buildReportData } from './build_report';
import { openLocalStore } from '../../shared/local_store/store_identity';
import { join, resolve } from 'node:path';
import { parseFetchConfig } from '../../shared/fetch/fetch_config';
import { HOUR_SECONDS } from '../../shared/hours';
import { silentLogger, type Logger } from '../../shared/logging';
import { fetchSources } from '../../shared/pipeline/fetch_sources';
import { loadAllManifests } from '../../shared/pipeline/load_objects';
import { transformLocally } from '../../shared/pipeline/transform';
import { realRetryDeps } from '../../shared/retry';
import { envSecrets } from '../../shared/secrets/secrets';
import { openObjectStore } from '../../shared/storage/open_store';
import type { TransformResult } from '../../shared/transform/run_dataform_locally';
import { DuckDbWarehouse } from '../../shared/warehouse/duckdb_warehouse';
import { startLocalSubgraph } from '../subgraph/local_subgraph_server';
import { simulateMarket } from '../market/simulate_market';
import { BENCHMARK_SCORE_DAYS } from '../market/benchmark_window';
import { startSubgraphProcess } from './subgraph_process';
import { z } from 'zod';
import { alertsConfig, alertsEnvShape, openNotifier } from '../../shared/alerts/alerts_config';
import { loadMuteList } from '../../shared/alerts/mute_list';
import { scoreHour, type ScoreHourResult } from '../../shared/pipeline/score_hour';
import { trainModel, type TrainRunResult } from '../../shared/train/train_model';
import type { ObjectStore } from '../../shared/storage/object_store';
import { parseTrainOptions } from '../../shared/train/train_options';
import { recordsFromStoredAlerts } from '../../shared/detection/stored_alerts';
import { evaluateAlerts, type Evaluation, type EvaluationWindow, type TruthEvent } from '../../shared/detection/evaluate';

export interface PipelineOptions {
  readonly pools: number;
  readonly days: number;
  readonly seed: number;
  /** Everything the run writes goes below this folder (lake/, truth.json, alerts, report). */
  readonly outDir: string;
  /** The last hour of the simulated window (unix seconds of its start); a store keeps the one it was made with. */
  readonly endHour: number;
  /** 'process' serves the subgraph from a child process (two cores); 'in-process' for tests. */
  readonly subgraph: 'process' | 'in-process';
  readonly fresh?: boolean;
}

/** What the caller shows while the pipeline runs. */
export interface PipelineProgress {
  step(name: string, total?: number): void;
  tick(name: string, done: number): void;
  stepDone(name: string, seconds: number, summary: string): void;
}

export interface PipelineResult {
  readonly lakeDir: string;
  readonly truthFile: string;
  readonly steps: { readonly name: string; readonly seconds: number; readonly summary: string }[];
  readonly fetchedHours: number;
  readonly fetchedRows: number;
  readonly loadedManifests: number;
  readonly transform: TransformResult;
  readonly alertsFile: string;
  readonly reportFile: string;
  readonly trained: TrainRunResult;
  readonly scored: readonly ScoreHourResult[];
  /** First scored hour (unix seconds). */
  readonly scoreFrom: number;
  /** Detection against the simulator's truth (null when there is none). */
  readonly detection: Evaluation | null;
  readonly alerts: { readonly source: string; readonly pool: string; readonly type: string; readonly severity: string; readonly hour: string; readonly summary: string }[];
}

/** The alerts a user received (one per episode), judged against the injected events of the truth file. */
async function evaluateAgainstTruth(warehouse: DuckDbWarehouse, truthFile: string, sources: readonly { id: string; kind: string }[], window: EvaluationWindow): Promise<Evaluation | null> {
  const truth = readTruth(truthFile) as { anomalies?: { subgraph: string; pool: string; type: string; origin?: string; hours: number[] }[] } | undefined;
  if (!truth?.anomalies) return null;
  const sourceOf = new Map(sources.map((s) => [s.kind, s.id]));
  const events: TruthEvent[] = truth.anomalies
    .filter((t) => sourceOf.has(t.subgraph))
    .map((t) => ({ pool: `${sourceOf.get(t.subgraph)!}/${t.pool}`, type: (t.origin === 'abandonment' ? 'abandonment' : t.type) as TruthEvent['type'], hours: t.hours }));
  // Every alerting hour (caught = any alert from the onset on), posted at its episode's first hour: what the bench counts.
  const decisions = await warehouse.query('SELECT source, pool_id, alert_type, UNIX_SECONDS(hour_ts) AS hour FROM `dex_anomaly.pool_scores` WHERE alert_type IS NOT NULL');
  const episodes = await warehouse.query('SELECT source, pool_id, alert_type, UNIX_SECONDS(episode_start) AS episode_start FROM `dex_anomaly.alerts`');
  const alerts = recordsFromStoredAlerts(
    decisions.map((r) => ({ pool: `${String(r.source)}/${String(r.pool_id)}`, hour: Number(r.hour), type: String(r.alert_type) })),
    episodes.map((r) => ({ pool: `${String(r.source)}/${String(r.pool_id)}`, type: String(r.alert_type), episodeStart: Number(r.episode_start) })),
  );
  return evaluateAlerts(events, alerts, window);
}

const MODEL_NAME = 'pool-hour-iforest';
const TRAIN_RESULT_KEY = 'state/pipeline/train_result.json';

/** The training result an earlier run on this store kept, if any. */
async function readPipelineModel(store: ObjectStore): Promise<TrainRunResult | null> {
  const stored = await store.read(TRAIN_RESULT_KEY);
  return stored ? (JSON.parse(stored.data.toString('utf8')) as TrainRunResult) : null;
}

const fmt = (x: number | null | undefined) => (x === null || x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(3));

const REPO = resolve(__dirname, '..', '..');

/** A logger that counts the hours fetched, for the progress bar. */
function countingLogger(onHour: () => void): Logger {
  const logger: Logger = {
    log: (_severity, message) => {
      if (message.startsWith('fetched hour')) onHour();
    },
    child: () => logger,
  };
  return logger;
}

/**
 * The whole pipeline on embedded defaults through the same use-cases the functions call:
 * simulate and serve the market, fetch every hour of the window, load the manifests into DuckDB,
 * build the feature mart.
 */
export async function runPipeline(asked: PipelineOptions, progress: PipelineProgress): Promise<PipelineResult> {
  let options = asked;
  const outDir = resolve(options.outDir);
  const lakeDir = join(outDir, 'lake');
  // A store remembers the simulation that made it: another one is refused (or cleared with fresh).
  const opened = openLocalStore(lakeDir, { seed: options.seed, pools: options.pools, days: options.days }, { fresh: options.fresh ?? false, defaultEndHour: new Date(options.endHour * 1000).toISOString() });
  options = { ...options, endHour: Date.parse(opened.identity.endHour) / 1000 };
  const truthFile = join(outDir, 'truth.json');
  const steps: PipelineResult['steps'][number][] = [];
  const timed = async <T>(name: string, total: number | undefined, run: () => Promise<T>, summary: (r: T) => string): Promise<T> => {
    progress.step(name, total);
    const started = performance.now();
    const result = await run();
    const seconds = (performance.now() - started) / 1000;
    const text = summary(result);
    steps.push({ name, seconds, summary: text });
    progress.stepDone(name, seconds, text);
    return result;
  };

  const server = await timed(
    'simulate',
    undefined,
    async () => {
      if (options.subgraph === 'process') return startSubgraphProcess({ ...options, truthFile });
      const market = simulateMarket({ seed: options.seed, pools: options.pools, days: options.days, endHour: options.endHour });
      const { writeFileSync } = await import('node:fs');
      writeFileSync(truthFile, `${JSON.stringify({ seed: options.seed, startTime: market.startTime, hours: market.hours, anomalies: market.truth }, null, 2)}\n`);
      const sg = await startLocalSubgraph({ market });
      return { baseUrl: `http://127.0.0.1:${sg.port}`, close: () => sg.close() };
    },
    () => `${options.pools} pools x 3 subgraphs, ${options.days} days (seed ${options.seed}); truth in ${truthFile}`,
  );
  const store = openObjectStore(lakeDir);
  const warehouse = await DuckDbWarehouse.open(join(lakeDir, 'warehouse.duckdb'));
  try {
    const hoursPerSource = options.days * 24;
    const config = parseFetchConfig({ DATA_STORE_URL: lakeDir, LOCAL_SUBGRAPH_URL: server.baseUrl });
    let fetchedSoFar = 0;
    const fetched = await timed(
      'fetch',
      hoursPerSource * config.sources.length,
      () =>
        fetchSources(
          config,
          { store, secrets: envSecrets({}), logger: countingLogger(() => { progress.tick('fetch', ++fetchedSoFar); }), retryDeps: realRetryDeps, now: () => new Date((options.endHour + HOUR_SECONDS + 600) * 1000) },
          { maxHoursPerSource: hoursPerSource, startHour: options.endHour - (hoursPerSource - 1) * HOUR_SECONDS },
        ),
      (r) => `${r.sources.reduce((n, s) => n + s.fetched.length, 0)} hours, ${r.sources.reduce((n, s) => n + s.fetched.reduce((m, h) => m + h.rows, 0), 0)} rows`,
    );
    if (!fetched.ok) throw new Error(`fetch failed: ${fetched.sources.filter((s) => s.error).map((s) => `${s.source}: ${s.error!.message}`).join('; ')}`);
    const manifests = (await store.list('manifests/')).length;
    let loadedSoFar = 0;
    const loaded = await timed(
      'load',
      manifests,
      () => loadAllManifests({ store, storeUrl: lakeDir, warehouse, logger: silentLogger, now: () => new Date() }, { onLoaded: () => { progress.tick('load', ++loadedSoFar); } }),
      (r) => `${r.loaded} manifests loaded${r.refused.length > 0 ? `, ${r.refused.length} refused as corrupt (marked for repair)` : ''}`,
    );
    const transform = await timed(
      'transform',
      undefined,
      () => transformLocally(warehouse, lakeDir, join(REPO, 'dataform'), { freshness_reference: new Date((options.endHour + HOUR_SECONDS) * 1000).toISOString() }),
      (r) => r.tables.map((t) => `${t.name} ${t.rows} rows`).join(', ') + (r.failedAssertions.length > 0 ? `; FAILED assertions: ${r.failedAssertions.map((a) => a.name).join(', ')}` : ''),
    );
    if (transform.failedAssertions.length > 0) throw new Error(`transform assertions failed: ${transform.failedAssertions.map((a) => a.message).join('; ')}`);

    // Train on the older part, then score the newest days hour by hour as the hourly job would.
    // The benchmark's scored days (fewer on short windows), so a run reports what bench:detect does.
    const scoreDays = Math.min(BENCHMARK_SCORE_DAYS, Math.floor(options.days / 3));
    const scoreFrom = options.endHour - (scoreDays * 24 - 1) * HOUR_SECONDS;
    const trainWindowDays = options.days - scoreDays;
    const trained = await timed(
      'train',
      undefined,
      async () =>
        // A rerun on the same store keeps the model it trained (same data, same seed: same model).
        (await readPipelineModel(store)) ??
        trainModel(
          { warehouse, store, now: () => new Date(scoreFrom * 1000), logger: silentLogger, triggeredBy: 'pipeline' },
          parseTrainOptions({ windowEnd: new Date(scoreFrom * 1000).toISOString(), windowDays: trainWindowDays, evalDays: Math.max(1, Math.floor(trainWindowDays / 4)), seed: options.seed }),
        ),
      (r) => `model ${r.version} on ${r.rows.train} sampled rows, ${r.promoted ? 'promoted' : `not promoted (${r.reason})`}; PR-AUC ${fmt(r.metrics.overall.prAuc)}, P@10 ${fmt(r.metrics.overall.precisionAt10)}`,
    );
    await store.write(TRAIN_RESULT_KEY, Buffer.from(JSON.stringify(trained)));
    const alertsFile = join(outDir, 'alerts.jsonl');
    const alertEnv = z.object(alertsEnvShape).parse({ ALERTS_FILE: alertsFile });
    const alertConfig = alertsConfig(alertEnv, lakeDir);
    const notifier = await openNotifier(alertConfig, envSecrets({}), {}, silentLogger);
    let simulatedNow = new Date(scoreFrom * 1000);
    const scoreDeps = { warehouse, store, modelName: MODEL_NAME, alerts: { notifier, loadMuteList: () => loadMuteList(store, alertConfig.muteListKey), config: alertConfig.policy, now: () => simulatedNow, logger: silentLogger } };
    const scoreHours = Array.from({ length: scoreDays * 24 }, (_, k) => scoreFrom + k * HOUR_SECONDS);
    const scored = await timed(
      'score',
      scoreHours.length,
      async () => {
        const results: ScoreHourResult[] = [];
        for (const hour of scoreHours) {
          simulatedNow = new Date((hour + HOUR_SECONDS + 1800) * 1000);
          results.push(await scoreHour(scoreDeps, hour));
          progress.tick('score', results.length);
        }
        return results;
      },
      (r) => `${r.length} hours, ${r.reduce((n, h) => n + h.pools, 0)} pool-hours, ${r.reduce((n, h) => n + h.published.alerts.newAlerts, 0)} alerts (${alertsFile})`,
    );
    const detection = await evaluateAgainstTruth(warehouse, truthFile, config.sources, { from: scoreFrom, to: options.endHour, pools: options.pools * config.sources.length });
    const alerts = await warehouse.query('SELECT source, pool_id, alert_type, severity, hour_ts, summary FROM `dex_anomaly.alerts` ORDER BY hour_ts, source, pool_id');
    const reportFile = join(outDir, 'report.html');
    await timed(
      'report',
      undefined,
      async () => {
        const truth = (readTruth(truthFile) as { anomalies?: { subgraph: string; pool: string; type: string; origin?: string; hours: number[] }[] } | undefined)?.anomalies ?? [];
        const sourceOf = new Map(config.sources.map((src) => [src.kind as string, src.id]));
        const data = await buildReportData(warehouse, {
          seed: options.seed,
          pools: options.pools,
          days: options.days,
          fromHour: options.endHour - (options.days * 24 - 1) * HOUR_SECONDS,
          toHour: options.endHour,
          scoreFrom,
          sources: config.sources,
          steps,
          files: [
            { label: 'lake (raw, manifests, models, DuckDB)', path: lakeDir },
            { label: 'alerts as Slack gets them', path: alertsFile },
            { label: 'injected anomalies', path: truthFile },
            { label: 'this report', path: reportFile },
          ],
          trained,
          detection,
          truth: truth.filter((t) => sourceOf.has(t.subgraph)).map((t) => ({ pool: `${sourceOf.get(t.subgraph)!}/${t.pool}`, type: t.origin === 'abandonment' ? 'abandonment' : t.type, hours: t.hours })),
          generatedAt: new Date(),
        });
        writeFileSync(reportFile, renderReport(data));
      },
      () => reportFile,
    );
    return {
      lakeDir,
      truthFile,
      alertsFile,
      reportFile,
      detection,
      alerts: alerts.map((a) => ({ source: String(a.source), pool: String(a.pool_id), type: String(a.alert_type), severity: String(a.severity), hour: String(a.hour_ts), summary: typeof a.summary === 'string' ? a.summary : '' })),
      trained,
      scored,
      scoreFrom,
      steps,
      fetchedHours: fetched.sources.reduce((n, s) => n + s.fetched.length, 0),
      fetchedRows: fetched.sources.reduce((n, s) => n + s.fetched.reduce((m, h) => m + h.rows, 0), 0),
      loadedManifests: loaded.loaded,
      transform,
    };
  } finally {
    await warehouse.close();
    await server.close();
  }
}

/** The truth file a run wrote, if any. */
export function readTruth(truthFile: string): unknown {
  return existsSync(truthFile) ? (JSON.parse(readFileSync(truthFile, 'utf8')) as unknown) : undefined;
}
