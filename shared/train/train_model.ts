import { createHash, randomUUID } from 'node:crypto';
import { AppError, NotReadyError, PreconditionFailedError } from '../errors';
import { FEATURE_NAMES } from '../features/feature_spec';
import { IsolationForest } from '../iforest/isolation_forest';
import { serializeModel } from '../iforest/model_file';
import type { Logger } from '../logging';
import { evaluateScores, type EvaluationMetrics, type RankingMetrics } from '../metrics/evaluation';
import { recordModelRun } from '../model_registry/record_run';
import { openRegistry, type ModelRegistry } from '../model_registry/registry';
import { versionId } from '../model_registry/registry_layout';
import { truthColumns } from '../model_registry/model_runs_table';
import { featureHash, type VersionMetadata, type VersionMetrics } from '../model_registry/version_metadata';
import type { ObjectStore } from '../storage/object_store';
import type { QueryParam, Warehouse } from '../warehouse/warehouse';
import { DEFAULT_POLICY, DEFAULT_SPIKE_CONFIRM_RATE } from '../alerting/alert_policy';
import { alertThreshold } from './alert_threshold';
import { decidePromotion, type Decision } from './promotion_decision';
import { readEvaluationRows, readTrainingSample, type EvaluationData } from './read_training_data';
import type { TrainGroundTruth } from './simulator_truth';
import { parseTrainOptions, type TrainOptions } from './train_options';
import { detectAgainstTruth, NO_GROUND_TRUTH, type TruthDetection } from './truth_detection';
import { SAMPLE_BUCKETS, windowCountSql } from './training_query';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const PROMOTE_ATTEMPTS = 5;

export interface TrainDeps {
  readonly warehouse: Warehouse;
  readonly store: ObjectStore;
  now(): Date;
  readonly logger: Logger;
  /** The build's commit or version, stored with every model. */
  readonly codeVersion?: string;
  /** The feature list the mart provides; FEATURE_NAMES unless a test says otherwise. */
  readonly featureNames?: readonly string[];
  /** Where the injected anomalies are known (the local simulator): also evaluated against them (never part of the gate). */
  readonly groundTruth?: TrainGroundTruth;
  /** Who or what started the run, for model_runs. */
  readonly triggeredBy?: string;
}

/** A model brought from elsewhere (a scikit-learn export): evaluated like a challenger, never promoted by a run. */
export interface ImportedCandidate {
  readonly forest: IsolationForest;
  readonly producer: string;
}

export interface TrainRunResult {
  readonly runId: string;
  readonly modelName: string;
  readonly version: string;
  readonly promoted: boolean;
  readonly reason: string;
  readonly productionBefore: string | null;
  readonly productionAfter: string | null;
  readonly window: { readonly start: string; readonly evalStart: string; readonly end: string };
  readonly rows: { readonly train: number; readonly evaluation: number; readonly trainWindow: number; readonly evalWindow: number };
  readonly threshold: number;
  readonly metrics: EvaluationMetrics;
  readonly productionMetrics: EvaluationMetrics | null;
  /** Ranking figures against the ground truth's pool-hours; null without a ground truth. */
  readonly groundTruth: EvaluationMetrics | null;
  /** The detection benchmark's figures on the evaluation days, or `available: false` saying why not. */
  readonly truthDetection: TruthDetection;
  readonly timingsMs: Readonly<Record<string, number>>;
}

interface Window {
  readonly start: Date;
  readonly evalStart: Date;
  readonly end: Date;
}

function windowOf(options: TrainOptions, now: Date): Window {
  const end = options.windowEnd ? new Date(options.windowEnd) : new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
  return { start: new Date(end.getTime() - options.windowDays * DAY_MS), evalStart: new Date(end.getTime() - options.evalDays * DAY_MS), end };
}

function anomalyScores(forest: IsolationForest, data: { matrix: EvaluationData['matrix'] }): Float64Array {
  const scores = forest.scoreSamples(data.matrix);
  for (let i = 0; i < scores.length; i++) scores[i] = -scores[i]!;
  return scores;
}

interface Champion {
  readonly version: string | null;
  readonly generation: string;
  readonly evaluation: EvaluationMetrics | null;
  readonly problem: string | null;
}

/** Scores production on the same rows; a production model that cannot score them loses by default. */
async function evaluateChampion(registry: ModelRegistry, featureNames: readonly string[], evalData: EvaluationData): Promise<Champion> {
  const { record, generation } = await registry.productionAlias();
  if (!record) return { version: null, generation, evaluation: null, problem: null };
  try {
    const loaded = await registry.loadProductionModel(featureNames);
    const scores = anomalyScores(loaded!.model, evalData);
    return { version: record.version, generation, evaluation: evaluateScores({ ...evalData.context, scores }, loaded!.metadata.threshold.value), problem: null };
  } catch (err) {
    if (!(err instanceof AppError) || err.retryable) throw err;
    return { version: record.version, generation, evaluation: null, problem: err.message };
  }
}

function decide(candidate: RankingMetrics, champion: Champion, options: TrainOptions, imported: boolean): Decision {
  if (imported) return { promote: false, reason: 'imported model: registered and evaluated, never promoted automatically (npm run models -- promote <version>)' };
  if (champion.version !== null && champion.evaluation === null) {
    return { promote: true, reason: `production ${champion.version} cannot score the current mart (${champion.problem ?? 'unknown'}): replaced` };
  }
  return decidePromotion(candidate, champion.evaluation?.overall ?? null, options);
}

/**
 * One training run: reads the window's eligible mart rows (hash-sampled for training, the newest
 * evalDays in full for evaluation), fits the forest, sets the alert threshold, evaluates it and
 * production on the same rows, registers the version, promotes it if the gate passes (the alias
 * moved under a generation precondition) and appends the run to model_runs.
 * With `imported`, the given forest replaces the fit and is never promoted.
 */
export async function trainModel(deps: TrainDeps, input: unknown, imported?: ImportedCandidate): Promise<TrainRunResult> {
  const options = parseTrainOptions(input);
  const featureNames = deps.featureNames ?? FEATURE_NAMES;
  const runAt = deps.now();
  const runId = randomUUID();
  const log = deps.logger.child({ runId, modelName: options.modelName });
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string): void => {
    const t = performance.now();
    timings[name] = Math.round(t - mark);
    mark = t;
  };

  const w = windowOf(options, runAt);
  const windowParams = { window_start: w.start, eval_start: w.evalStart, window_end: w.end };
  const counts = (await deps.warehouse.query(windowCountSql(), windowParams))[0] ?? {};
  const trainWindow = Number(counts.train_rows ?? 0);
  const evalWindow = Number(counts.eval_rows ?? 0);
  const evalHours = Number(counts.eval_hours ?? 0);
  const span = `${w.start.toISOString()} .. ${w.end.toISOString()}`;
  if (trainWindow + evalWindow === 0) throw new NotReadyError(`the mart has no eligible rows (warm, no data error) in the window ${span}`);
  if (trainWindow < 2) throw new NotReadyError(`the mart has ${trainWindow} eligible rows before the evaluation part (${w.start.toISOString()} .. ${w.evalStart.toISOString()}); need at least 2`);
  if (evalWindow === 0) throw new NotReadyError(`the mart has no eligible rows in the evaluation part ${w.evalStart.toISOString()} .. ${w.end.toISOString()}`);
  lap('count');

  const trainBuckets = Math.min(SAMPLE_BUCKETS, Math.max(1, Math.ceil((options.trainRows / trainWindow) * SAMPLE_BUCKETS)));
  const sample = await readTrainingSample(deps.warehouse, featureNames, { window_start: w.start, eval_start: w.evalStart, seed: options.seed, buckets: trainBuckets }, Math.min(trainWindow, options.trainRows));
  if (sample.matrix.rows < 2) throw new NotReadyError(`only ${sample.matrix.rows} usable training rows in ${span}`);
  lap('readTrain');

  const metadataForModel = { modelName: options.modelName, windowStart: w.start.toISOString(), evalStart: w.evalStart.toISOString(), trainingFingerprint: sample.fingerprint };
  const forest = imported ? imported.forest : IsolationForest.fit(sample.matrix, { nEstimators: options.trees, maxSamples: options.samples, seed: options.seed }, metadataForModel);
  const trainingScores = anomalyScores(forest, sample);
  const threshold = alertThreshold(trainingScores, options.targetAlertRate);
  const spikeConfirmValue = alertThreshold(trainingScores, DEFAULT_SPIKE_CONFIRM_RATE);
  const modelText = serializeModel(forest.model);
  const modelSha256 = createHash('sha256').update(modelText).digest('hex');
  lap('fit');

  // Whole hours are sampled when the evaluation part is larger than evalMaxRows: Precision@10 needs every pool of an hour.
  const sampleHours = evalWindow > options.evalMaxRows;
  const evalParams: Readonly<Record<string, QueryParam>> = sampleHours
    ? { eval_start: w.evalStart, window_end: w.end, seed: options.seed, buckets: Math.max(1, Math.floor((options.evalMaxRows / evalWindow) * SAMPLE_BUCKETS)) }
    : { eval_start: w.evalStart, window_end: w.end };
  const evalData = await readEvaluationRows(deps.warehouse, featureNames, evalParams, Math.min(evalWindow, options.evalMaxRows), sampleHours, deps.groundTruth?.isAnomalous);
  if (evalData.matrix.rows === 0) throw new NotReadyError(`no usable evaluation rows in ${w.evalStart.toISOString()} .. ${w.end.toISOString()} (${evalHours} hours)`);
  lap('readEval');

  const scores = anomalyScores(forest, evalData);
  const metrics = evaluateScores({ ...evalData.context, scores }, threshold);
  const truthMetrics = evalData.truthLabels ? evaluateScores({ ...evalData.context, labels: evalData.truthLabels, scores }, threshold) : null;
  lap('evaluate');

  // Every pool of every evaluation hour replayed through the policy with this model's thresholds, as the hourly scorer would alert.
  const truthDetection = deps.groundTruth
    ? await detectAgainstTruth(deps.warehouse, forest, featureNames, deps.groundTruth.events, { eval_start: w.evalStart, window_end: w.end }, { ...DEFAULT_POLICY, scoreThreshold: threshold, spikeConfirmThreshold: spikeConfirmValue })
    : NO_GROUND_TRUTH;
  if (deps.groundTruth) lap('truthDetection');

  const registry = openRegistry(deps.store, options.modelName);
  const version = versionId(runAt, modelSha256);
  const metadata: VersionMetadata = {
    modelName: options.modelName,
    version,
    createdAt: runAt.toISOString(),
    origin: imported ? 'imported' : 'trained',
    producer: imported ? imported.producer : forest.model.training.producer,
    featureNames: [...featureNames],
    featureHash: featureHash(featureNames),
    modelSha256,
    window: { start: w.start.toISOString(), evalStart: w.evalStart.toISOString(), end: w.end.toISOString() },
    rowCounts: { trainWindowRows: trainWindow, trainRows: sample.matrix.rows, evalWindowRows: evalWindow, evalRows: evalData.matrix.rows, skippedNonFinite: sample.skippedNonFinite + evalData.skippedNonFinite },
    trainingFingerprint: sample.fingerprint,
    params: { ...forest.model.params, trainRowsRequested: options.trainRows, seedOfSample: options.seed },
    threshold: { value: threshold, scale: 'anomaly_score', targetAlertRate: options.targetAlertRate, spikeConfirmValue },
    codeVersion: deps.codeVersion ?? 'unknown',
  };

  // Decide against production as it is now; if another trainer moves the alias meanwhile, decide again against the new one.
  let champion = await evaluateChampion(registry, featureNames, evalData);
  let decision = decide(metrics.overall, champion, options, imported !== undefined);
  const metricsFile = (): VersionMetrics => ({
    window: { evalStart: w.evalStart.toISOString(), end: w.end.toISOString() },
    challenger: metrics,
    production: champion.version ? { version: champion.version, evaluation: champion.evaluation, problem: champion.problem } : null,
    groundTruth: truthMetrics,
    truthDetection,
  });
  await registry.writeVersion(version, { modelText, metrics: metricsFile(), metadata });
  let productionAfter = champion.version;
  for (let attempt = 1; decision.promote; attempt++) {
    try {
      await registry.promote(version, { expectedGeneration: champion.generation, by: deps.triggeredBy ?? 'train', reason: decision.reason, now: runAt });
      productionAfter = version;
      break;
    } catch (err) {
      if (!(err instanceof PreconditionFailedError) || attempt >= PROMOTE_ATTEMPTS) throw err;
      log.log('INFO', 'production moved while deciding; deciding again', { attempt });
      champion = await evaluateChampion(registry, featureNames, evalData);
      decision = decide(metrics.overall, champion, options, false);
      productionAfter = champion.version;
    }
  }
  lap('register');

  const overall = metrics.overall;
  await recordModelRun(deps.warehouse, {
    run_id: runId,
    run_at: runAt.toISOString(),
    action: imported ? 'import' : 'train',
    model_name: options.modelName,
    version,
    promoted: productionAfter === version,
    decision_reason: decision.reason,
    triggered_by: deps.triggeredBy ?? 'train',
    production_before: champion.version,
    window_start: w.start.toISOString(),
    eval_start: w.evalStart.toISOString(),
    window_end: w.end.toISOString(),
    train_rows: sample.matrix.rows,
    eval_rows: evalData.matrix.rows,
    pr_auc: overall.prAuc,
    roc_auc: overall.rocAuc,
    precision_at_10: overall.precisionAt10,
    recall_at_10: overall.recallAt10,
    alert_rate: overall.alertRate,
    target_alert_rate: options.targetAlertRate,
    production_pr_auc: champion.evaluation?.overall.prAuc ?? null,
    production_alert_rate: champion.evaluation?.overall.alertRate ?? null,
    metrics: JSON.stringify(metricsFile()),
    code_version: deps.codeVersion ?? null,
    ...truthColumns(truthDetection),
  });
  lap('record');

  const result: TrainRunResult = {
    runId,
    modelName: options.modelName,
    version,
    promoted: productionAfter === version,
    reason: decision.reason,
    productionBefore: champion.version,
    productionAfter,
    window: metadata.window,
    rows: { train: sample.matrix.rows, evaluation: evalData.matrix.rows, trainWindow, evalWindow },
    threshold,
    metrics,
    productionMetrics: champion.evaluation,
    groundTruth: truthMetrics,
    truthDetection,
    timingsMs: timings,
  };
  log.log('INFO', result.promoted ? 'model trained and promoted' : 'model trained, production kept', { version, reason: decision.reason, prAuc: overall.prAuc, alertRate: overall.alertRate, rows: result.rows, timingsMs: timings });
  return result;
}
