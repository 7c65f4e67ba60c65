import { createHash } from 'node:crypto';
import { InvalidInputError } from '../errors';
import type { FeatureMatrix } from '../iforest/feature_matrix';
import type { ScoredRows } from '../metrics/evaluation';
import type { QueryParam, Row, Warehouse } from '../warehouse/warehouse';
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

/** Copies one row's features into the buffer; false (nothing written) when one is not finite. */
function pushFeatures(row: Row, featureNames: readonly string[], out: GrowingBuffer<Float64Array> | GrowingBuffer<Float32Array>, limit: number): boolean {
  for (const name of featureNames) {
    const v = row[name];
    if (typeof v !== 'number') {
      if (v === undefined) throw new InvalidInputError(`the mart has no column '${name}' (the model's features: ${featureNames.join(', ')})`);
      if (v !== null) throw new InvalidInputError(`mart column '${name}' must be a number, got ${typeof v}`);
      return false;
    }
    if (!Number.isFinite(v) || Math.abs(v) > limit) return false;
  }
  for (const name of featureNames) out.push(row[name] as number);
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
  for await (const row of warehouse.stream(trainingSampleSql(warehouse.dialect, featureNames), params)) {
    if (!pushFeatures(row, featureNames, values, FLOAT32_MAX)) skipped++;
  }
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
export async function readEvaluationRows(warehouse: Warehouse, featureNames: readonly string[], params: Readonly<Record<string, QueryParam>>, expectedRows: number, truth?: GroundTruth): Promise<EvaluationData> {
  const cap = Math.ceil(expectedRows * 1.05 + 64);
  const values = new GrowingBuffer(new Float32Array(cap * featureNames.length), (n) => new Float32Array(n));
  const labels = new GrowingBuffer(new Uint8Array(cap), (n) => new Uint8Array(n));
  const hours = new GrowingBuffer(new Int32Array(cap), (n) => new Int32Array(n));
  const sources = new GrowingBuffer(new Uint16Array(cap), (n) => new Uint16Array(n));
  const truthLabels = truth ? new GrowingBuffer(new Uint8Array(cap), (n) => new Uint8Array(n)) : null;
  const sourceIndex = new Map<string, number>();
  let skipped = 0;
  for await (const row of warehouse.stream(evaluationSql(warehouse.dialect, featureNames), params)) {
    if (!pushFeatures(row, featureNames, values, FLOAT32_MAX)) {
      skipped++;
      continue;
    }
    const source = String(row.source);
    let s = sourceIndex.get(source);
    if (s === undefined) sourceIndex.set(source, (s = sourceIndex.size));
    const hourUnix = Number(row.hour_unix);
    labels.push(row.y === true || row.y === 1 ? 1 : 0);
    hours.push(Math.floor(hourUnix / 3600));
    sources.push(s);
    truthLabels?.push(truth!(source, String(row.pool_id), hourUnix) ? 1 : 0);
  }
  return {
    matrix: { featureNames, rows: labels.length, values: values.trimmed() },
    context: { labels: labels.trimmed(), hours: hours.trimmed(), sources: sources.trimmed(), sourceNames: [...sourceIndex.keys()] },
    truthLabels: truthLabels ? truthLabels.trimmed() : null,
    skippedNonFinite: skipped,
  };
}
