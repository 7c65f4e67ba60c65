import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { renderReport } from '../../shared/report/render_report';
import { buildReportData } from './build_report';
import { openLocalStore } from '../../shared/local_store/store_identity';
import { join, resolve } from 'node:path';
import { parseFetchConfig } from '../../shared/fetch/fetch_config';
import { HOUR_SECONDS } from '../../shared/hours';
import { silentLogger } from '../../shared/logging';
import { fetchWindow, loadWindow } from './fetch_and_load';
import { transformLocally } from '../../shared/pipeline/transform';
import { envSecrets } from '../../shared/secrets/secrets';
import { openObjectStore } from '../../shared/storage/open_store';
import type { TransformResult } from '../../shared/transform/run_dataform_locally';
import { DuckDbWarehouse } from '../../shared/warehouse/duckdb_warehouse';
import { replaySource, simulationSource, type PipelineDataSource } from './data_source';
import { parseTruthFile, truthEvents } from '../../shared/detection/truth_file';
import { ConfigError, InvalidInputError } from '../../shared/errors';
import { BENCHMARK_SCORE_DAYS } from '../market/benchmark_window';
import * as z from 'zod';
import { alertsConfig, alertsEnvShape, openNotifier } from '../../shared/alerts/alerts_config';
import { loadMuteList } from '../../shared/alerts/mute_list';
import { scoreHour, type ScoreHourResult } from '../../shared/pipeline/score_hour';
import { trainModel, type TrainRunResult } from '../../shared/train/train_model';
import type { ObjectStore } from '../../shared/storage/object_store';
import { parseTrainOptions } from '../../shared/train/train_options';
import { EVENT_TYPES, evaluateAlerts, type Evaluation, type EvaluationWindow, type TruthEvent } from '../../shared/detection/evaluate';
import { truthPoolKey } from '../../shared/detection/truth_file';
import { groundTruthFromEvents } from '../../shared/train/simulator_truth';
import type { TruthDetection } from '../../shared/train/truth_detection';
import { recordsFromStoredAlerts } from '../../shared/detection/stored_alerts';

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
  /** Serve this replay folder (docs/replay-format.md) instead of a simulation: pools, seed and the window come from it, `days` only as `replay.days`. */
  readonly replay?: { readonly dir: string; readonly days?: number };
  /** Judge the alerts against this truth file (shared/detection/truth_file.ts) instead of the simulator's truth.json. */
  readonly truthFile?: string;
}

/** What the caller shows while the pipeline runs. */
export interface PipelineProgress {
  step(name: string, total?: number): void;
  tick(name: string, done: number): void;
  stepDone(name: string, seconds: number, summary: string): void;
}

export interface PipelineResult {
  readonly lakeDir: string;
  /** The truth the alerts were judged against (null: none, as for a replay without --truth). */
  readonly truthFile: string | null;
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
async function evaluateAgainstTruth(warehouse: DuckDbWarehouse, events: readonly TruthEvent[] | null, window: EvaluationWindow): Promise<Evaluation | null> {
  if (events === null) return null;
  // Every alerting hour (caught = any alert from the onset on), posted at its episode's first hour: what the bench counts.
  const decisions = await warehouse.query('SELECT source, pool_id, alert_type, UNIX_SECONDS(hour_ts) AS hour FROM `dex_anomaly.pool_scores` WHERE alert_type IS NOT NULL');
  const episodes = await warehouse.query('SELECT source, pool_id, alert_type, UNIX_SECONDS(episode_start) AS episode_start FROM `dex_anomaly.alerts`');
  const alerts = recordsFromStoredAlerts(
    decisions.map((r) => ({ pool: truthPoolKey(String(r.source), String(r.pool_id)), hour: Number(r.hour), type: String(r.alert_type) })),
    episodes.map((r) => ({ pool: truthPoolKey(String(r.source), String(r.pool_id)), type: String(r.alert_type), episodeStart: Number(r.episode_start) })),
  );
  return evaluateAlerts(events, alerts, window);
}

const MODEL_NAME = 'pool-hour-iforest';
const TRAIN_RESULT_KEY = 'state/pipeline/train_result.json';

/** The training result an earlier run on this store kept, if any. */
async function readPipelineModel(store: ObjectStore): Promise<TrainRunResult | null> {
  const stored = await store.read(TRAIN_RESULT_KEY);
  if (!stored) return null;
  const kept = JSON.parse(stored.data.toString('utf8')) as Omit<TrainRunResult, 'truthDetection'> & Partial<Pick<TrainRunResult, 'truthDetection'>>;
  return { ...kept, truthDetection: kept.truthDetection ?? { available: false, note: 'not computed: the model was trained by an earlier version of the pipeline (--fresh to retrain)' } };
}

const fmt = (x: number | null | undefined) => (x === null || x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(3));

/** The train step's ground-truth figures on its evaluation days, in one clause. */
function truthSummary(d: TruthDetection): string {
  if (!d.available) return '';
  const market = EVENT_TYPES.filter((t) => t !== 'mispriced_token').map((t) => d.figures.types[t]);
  const sum = (pick: (t: (typeof market)[number]) => number) => market.reduce((a, t) => a + pick(t), 0);
  return `; on its ${d.window.hours} evaluation hours vs the truth: ${sum((t) => t.caught_1h)}/${sum((t) => t.events)} events caught <=1 h, ${sum((t) => t.caught_2h)} <=2 h, precision ${fmt(d.figures.alert_precision)}, ${d.figures.alerts_per_1000_pools_day.toFixed(2)} false alerts per 1,000 pools per day`;
}

const REPO = resolve(__dirname, '..', '..');

/**
 * The whole pipeline on embedded defaults through the same use-cases the functions call:
 * simulate and serve the market, fetch every hour of the window, load the manifests into DuckDB,
 * build the feature mart.
 */
export async function runPipeline(asked: PipelineOptions, progress: PipelineProgress): Promise<PipelineResult> {
  let options = asked;
  const outDir = resolve(options.outDir);
  const lakeDir = join(outDir, 'lake');
  const source: PipelineDataSource = options.replay ? replaySource(options.replay.dir, options.replay.days, options.subgraph) : simulationSource(options, options.subgraph);
  // A user's truth file is checked before anything runs.
  const givenTruth = options.truthFile === undefined ? null : parseTruthFile(readTruthText(options.truthFile), resolve(options.truthFile));
  // A store remembers the data that made it: other data is refused (or cleared with fresh).
  const fixedEnd = source.endHour === undefined ? {} : { endHour: new Date(source.endHour * 1000).toISOString() };
  const opened = openLocalStore(lakeDir, { ...source.identity, ...fixedEnd }, { fresh: options.fresh ?? false, defaultEndHour: new Date(options.endHour * 1000).toISOString(), storeFlag: '--out' });
  refuseModelWithoutRecord(lakeDir);
  options = { ...options, seed: source.identity.seed, pools: source.identity.pools, days: source.identity.days, endHour: Date.parse(opened.identity.endHour) / 1000 };
  const simulatorTruthFile = join(outDir, 'truth.json');
  const truthFile = options.truthFile !== undefined ? resolve(options.truthFile) : source.writesTruth ? simulatorTruthFile : null;
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
    options.replay ? 'replay' : 'simulate',
    undefined,
    () => source.start(options.endHour, simulatorTruthFile),
    () => source.describe(options.endHour, simulatorTruthFile),
  );
  const store = openObjectStore(lakeDir);
  const warehouse = await DuckDbWarehouse.open(join(lakeDir, 'warehouse.duckdb'));
  try {
    const hoursPerSource = options.days * 24;
    const served = parseFetchConfig({ DATA_STORE_URL: lakeDir, LOCAL_SUBGRAPH_URL: server.baseUrl });
    // Only the subgraphs that have data (a replay may hold one kind).
    const config = { ...served, sources: served.sources.filter((s) => source.kinds.includes(s.kind)) };
    let fetchedSoFar = 0;
    const fetched = await timed(
      'fetch',
      hoursPerSource * config.sources.length,
      () => fetchWindow({ store, lakeDir, subgraphUrl: server.baseUrl, endHour: options.endHour, days: options.days, kinds: source.kinds, onHour: () => { progress.tick('fetch', ++fetchedSoFar); } }),
      (r) => `${r.sources.reduce((n, s) => n + s.fetched.length, 0)} hours, ${r.sources.reduce((n, s) => n + s.fetched.reduce((m, h) => m + h.rows, 0), 0)} rows`,
    );
    if (!fetched.ok) throw new Error(`fetch failed: ${fetched.sources.filter((s) => s.error).map((s) => `${s.source}: ${s.error!.message}`).join('; ')}`);
    const manifests = (await store.list('manifests/')).length;
    let loadedSoFar = 0;
    const loaded = await timed(
      'load',
      manifests,
      () => loadWindow({ store, lakeDir, warehouse, onLoaded: () => { progress.tick('load', ++loadedSoFar); } }),
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
    const truth = givenTruth ?? (truthFile === null ? null : parseTruthFile(readTruthText(truthFile), truthFile));
    const events = truth === null ? null : truthEvents(truth, config.sources).events;
    const trained = await timed(
      'train',
      undefined,
      async () =>
        // A rerun on the same store keeps the model it trained (same data, same seed: same model).
        (await readPipelineModel(store)) ??
        trainModel(
          { warehouse, store, now: () => new Date(scoreFrom * 1000), logger: silentLogger, triggeredBy: 'pipeline', ...(events ? { groundTruth: groundTruthFromEvents(events) } : {}) },
          parseTrainOptions({ windowEnd: new Date(scoreFrom * 1000).toISOString(), windowDays: trainWindowDays, evalDays: Math.max(1, Math.floor(trainWindowDays / 4)), seed: options.seed }),
        ),
      (r) => `model ${r.version} on ${r.rows.train} sampled rows, ${r.promoted ? 'promoted' : `not promoted (${r.reason})`}; PR-AUC ${fmt(r.metrics.overall.prAuc)}, P@10 ${fmt(r.metrics.overall.precisionAt10)}${truthSummary(r.truthDetection)}`,
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
    const detection = await evaluateAgainstTruth(warehouse, events, { from: scoreFrom, to: options.endHour, pools: source.scoredPools(config.sources.length) });
    const alerts = await warehouse.query('SELECT source, pool_id, alert_type, severity, hour_ts, summary FROM `dex_anomaly.alerts` ORDER BY hour_ts, source, pool_id');
    const reportFile = join(outDir, 'report.html');
    await timed(
      'report',
      undefined,
      async () => {
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
            ...(truthFile === null ? [] : [{ label: options.truthFile === undefined ? 'injected anomalies' : 'truth file', path: truthFile }]),
            { label: 'this report', path: reportFile },
          ],
          trained,
          detection,
          truth: events ?? [],
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

function readTruthText(file: string): string {
  if (!existsSync(file)) throw new InvalidInputError(`truth file ${resolve(file)} does not exist`);
  return readFileSync(file, 'utf8');
}

/**
 * A store made before the pipeline kept its training record (or a run stopped between registering
 * the model and recording it) would retrain into the same model version and fail deep inside the
 * registry ("metrics.json already exists"): say what to do before anything runs.
 */
function refuseModelWithoutRecord(lakeDir: string): void {
  if (existsSync(join(lakeDir, 'models', MODEL_NAME)) && !existsSync(join(lakeDir, ...TRAIN_RESULT_KEY.split('/')))) {
    throw new ConfigError(`${lakeDir} holds a registered model but no record of the run that trained it (${TRAIN_RESULT_KEY}): it was made by an earlier version of the pipeline or by a run that stopped after training; rerun with --fresh to start it again`);
  }
}
