import { createHash } from 'node:crypto';
import { InvalidInputError } from '../errors';
import type { FeatureMatrix } from '../iforest/feature_matrix';
import type { ScoredRows } from '../metrics/evaluation';
import type { QueryParam, Warehouse } from '../warehouse/warehouse';
import { forEachRow, type ColumnReader } from './row_cursor';
import { evaluationSql, trainingSampleSql } from './training_query';

const FLOAT32_MAX = 3.4028234663852886e38;

/** A flat buffer that doubles when full, so a stream of rows never becomes an array of objects. */
class GrowingBuffer<T extends Float64Array | Float32Array | Uint8Array | Int32Array | Uint16Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = this.make(Math.max(16, this.data.length * 2));
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
  trimmed(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

/**
 * Copies one row's features (columns first .. first + names - 1) into the buffer; false, with
 * nothing written, when one is null or not finite.
 */
function pushFeatures(read: ColumnReader, first: number, featureNames: readonly string[], out: GrowingBuffer<Float64Array> | GrowingBuffer<Float32Array>, limit: number): boolean {
  for (let c = 0; c < featureNames.length; c++) {
    const v = read(first + c);
    if (typeof v !== 'number') {
      if (v === undefined) throw new InvalidInputError(`the mart has no column '${featureNames[c]!}' (the model's features: ${featureNames.join(', ')})`);
      if (v !== null) throw new InvalidInputError(`mart column '${featureNames[c]!}' must be a number, got ${typeof v}`);
      return false;
    }
    if (!Number.isFinite(v) || Math.abs(v) > limit) return false;
  }
  for (let c = 0; c < featureNames.length; c++) out.push(read(first + c) as number);
  return true;
}

export interface TrainingSample {
  readonly matrix: FeatureMatrix;
  readonly skippedNonFinite: number;
  /** SHA-256 of the feature names and the row-major float64 values: same rows, same fingerprint. */
  readonly fingerprint: string;
}

/** Streams the hash-sampled training rows straight into a float64 matrix. */
export async function readTrainingSample(warehouse: Warehouse, featureNames: readonly string[], params: Readonly<Record<string, QueryParam>>, expectedRows: number): Promise<TrainingSample> {
  const cols = featureNames.length;
  const values = new GrowingBuffer(new Float64Array(Math.ceil(expectedRows * 1.1 + 64) * cols), (n) => new Float64Array(n));
  let skipped = 0;
  await forEachRow(warehouse, trainingSampleSql(warehouse.dialect, featureNames), params, featureNames, (read) => {
    if (!pushFeatures(read, 0, featureNames, values, FLOAT32_MAX)) skipped++;
  });
  const data = values.trimmed();
  const hash = createHash('sha256').update(JSON.stringify(featureNames)).update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return { matrix: { featureNames, rows: data.length / cols, values: data }, skippedNonFinite: skipped, fingerprint: `sha256:${hash.digest('hex')}` };
}

/** Tells whether a (source, pool, hour) is a true anomaly, where a ground truth exists (the simulator). */
export type GroundTruth = (source: string, poolId: string, hourUnix: number) => boolean;

export interface EvaluationData {
  /** Float32: the forest casts inputs to float32 anyway, so this halves memory at no cost. */
  readonly matrix: FeatureMatrix;
  readonly context: Omit<ScoredRows, 'scores'>;
  readonly truthLabels: Uint8Array | null;
  readonly skippedNonFinite: number;
}

/** Streams the evaluation rows into a float32 matrix plus per-row label, hour and source index. */
/** With `sampleHours`, params carry @seed and @buckets and only that share of hours is read. */
export async function readEvaluationRows(warehouse: Warehouse, featureNames: readonly string[], params: Readonly<Record<string, QueryParam>>, expectedRows: number, sampleHours: boolean, truth?: GroundTruth): Promise<EvaluationData> {
  const cap = Math.ceil(expectedRows * 1.05 + 64);
  const values = new GrowingBuffer(new Float32Array(cap * featureNames.length), (n) => new Float32Array(n));
  const labels = new GrowingBuffer(new Uint8Array(cap), (n) => new Uint8Array(n));
  const hours = new GrowingBuffer(new Int32Array(cap), (n) => new Int32Array(n));
  const sources = new GrowingBuffer(new Uint16Array(cap), (n) => new Uint16Array(n));
  const truthLabels = truth ? new GrowingBuffer(new Uint8Array(cap), (n) => new Uint8Array(n)) : null;
  const sourceIndex = new Map<string, number>();
  let skipped = 0;
  const columns = ['source', 'hour_unix', 'y', 'pool_id', ...featureNames];
  await forEachRow(warehouse, evaluationSql(warehouse.dialect, featureNames, truth !== undefined, sampleHours), params, columns, (read) => {
    if (!pushFeatures(read, 4, featureNames, values, FLOAT32_MAX)) {
      skipped++;
      return;
    }
    const source = String(read(0));
    let s = sourceIndex.get(source);
    if (s === undefined) sourceIndex.set(source, (s = sourceIndex.size));
    const hourUnix = Number(read(1));
    const y = read(2);
    labels.push(y === true || y === 1 ? 1 : 0);
    hours.push(Math.floor(hourUnix / 3600));
    sources.push(s);
    truthLabels?.push(truth!(source, String(read(3)), hourUnix) ? 1 : 0);
  });
  return {
    matrix: { featureNames, rows: labels.length, values: values.trimmed() },
    context: { labels: labels.trimmed(), hours: hours.trimmed(), sources: sources.trimmed(), sourceNames: [...sourceIndex.keys()] },
    truthLabels: truthLabels ? truthLabels.trimmed() : null,
    skippedNonFinite: skipped,
  };
}
