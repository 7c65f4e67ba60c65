import { parseOrThrow } from '../validation';
import * as z from 'zod';
import { ModelFileError } from '../errors';
import type { ForestArrays } from './forest_arrays';
import { IsolationForest } from './isolation_forest';
import type { IsolationForestModel } from './model';
import { canonicalJsonSha256 } from './model_checksum';
import { decodeTypedArray, encodeTypedArray } from './typed_array_codec';

export const MODEL_FORMAT = 'dex-anomaly/isolation-forest';
export const MODEL_SCHEMA_VERSION = 1;

/**
 * The scoring conventions this build follows, written into every file: if a future scikit-learn
 * changes one, a model trained under the old rule is refused instead of silently rescored.
 */
const SEMANTICS = {
  inputCast: 'float32',
  split: 'x <= threshold goes left; threshold float64',
  pathLengthNormaliser: 'c(n) = 2(ln(n-1) + euler_gamma) - 2(n-1)/n',
  score: 'score_samples = -2^(-mean path length / c(maxSamplesUsed))',
  anomaly: 'predict = -1 when decision_function < 0',
} as const;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const count = z.number().int().min(0);
const finite = z.number().refine(Number.isFinite, 'must be finite');

const envelopeSchema = z
  .object({
    format: z.literal(MODEL_FORMAT),
    schemaVersion: z.literal(MODEL_SCHEMA_VERSION),
    featureNames: z.array(z.string().min(1)).min(1),
    params: z
      .object({
        kind: z.enum(['axis-parallel', 'extended']),
        nEstimators: z.number().int().min(1),
        maxSamples: z.union([z.literal('auto'), z.number().positive()]),
        maxSamplesUsed: z.number().int().min(1),
        maxFeatures: z.number().positive(),
        maxFeaturesUsed: z.number().int().min(1),
        contamination: z.union([z.literal('auto'), z.number().gt(0).lte(0.5)]),
        seed: z.number().int().nullable(),
        heightLimit: count,
        extensionLevel: count.nullable(),
      })
      .strict(),
    offset: finite,
    semantics: z
      .object({
        inputCast: z.literal(SEMANTICS.inputCast),
        split: z.literal(SEMANTICS.split),
        pathLengthNormaliser: z.literal(SEMANTICS.pathLengthNormaliser),
        score: z.literal(SEMANTICS.score),
        anomaly: z.literal(SEMANTICS.anomaly),
      })
      .strict(),
    training: z
      .object({
        rows: count,
        featureStats: z.array(z.object({ min: finite, max: finite, mean: finite }).strict()).nullable(),
        producer: z.string(),
        metadata: z.record(z.string(), z.string()),
      })
      .strict(),
    trees: z
      .object({
        count: z.number().int().min(1),
        nodes: z.number().int().min(1),
        planeTerms: count,
        nodeOffsets: base64,
        left: base64,
        right: base64,
        nodeSamples: base64,
        feature: base64,
        threshold: base64,
        planeOffsets: base64.optional(),
        planeFeature: base64.optional(),
        planeWeight: base64.optional(),
      })
      .strict(),
    checksum: z.string().regex(/^sha256:[0-9a-f]{64}$/, "must be 'sha256:' and 64 hex digits"),
  })
  .strict();

type Envelope = z.infer<typeof envelopeSchema>;

/** Serialises a model as JSON text: header fields plus flat little-endian arrays in base64. */
export function serializeModel(model: IsolationForestModel): string {
  const f = model.forest;
  const unsigned: Omit<Envelope, 'checksum'> = {
    format: MODEL_FORMAT,
    schemaVersion: MODEL_SCHEMA_VERSION,
    featureNames: [...model.featureNames],
    params: { ...model.params },
    offset: model.offset,
    semantics: { ...SEMANTICS },
    training: {
      rows: model.training.rows,
      featureStats: model.training.featureStats ? model.training.featureStats.map((s) => ({ ...s })) : null,
      producer: model.training.producer,
      metadata: { ...model.training.metadata },
    },
    trees: {
      count: f.nodeOffsets.length - 1,
      nodes: f.left.length,
      planeTerms: f.planeFeature?.length ?? 0,
      nodeOffsets: encodeTypedArray(f.nodeOffsets),
      left: encodeTypedArray(f.left),
      right: encodeTypedArray(f.right),
      nodeSamples: encodeTypedArray(f.nodeSamples),
      feature: encodeTypedArray(f.feature),
      threshold: encodeTypedArray(f.threshold),
      ...(f.kind === 'extended'
        ? { planeOffsets: encodeTypedArray(f.planeOffsets!), planeFeature: encodeTypedArray(f.planeFeature!), planeWeight: encodeTypedArray(f.planeWeight!) }
        : {}),
    },
  };
  return JSON.stringify({ ...unsigned, checksum: checksumOf(unsigned) });
}

/**
 * Parses and checks a model file: JSON, format and schema version, every field (zod), the
 * checksum, array sizes and the trees' structure. Any failure is a ModelFileError that says what
 * is wrong, so a corrupted or truncated file never scores.
 */
export function parseModelFile(text: string): IsolationForest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ModelFileError(`model file is not valid JSON (truncated or corrupted?): ${(err as Error).message}`, { cause: err });
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new ModelFileError('model file must be a JSON object');
  const header = raw as { format?: unknown; schemaVersion?: unknown };
  if (header.format !== MODEL_FORMAT) {
    throw new ModelFileError(`not a ${MODEL_FORMAT} model file (format is ${JSON.stringify(header.format)})`);
  }
  if (header.schemaVersion !== MODEL_SCHEMA_VERSION) {
    throw new ModelFileError(`model file schema version ${JSON.stringify(header.schemaVersion)} is not supported; this build reads version ${MODEL_SCHEMA_VERSION}`);
  }
  const env = parseOrThrow(envelopeSchema, raw, 'model file field', (m) => new ModelFileError(m));
  const { checksum, ...unsigned } = raw as Envelope;
  if (checksumOf(unsigned) !== checksum) throw new ModelFileError('model file checksum does not match its content: the file was altered or corrupted');

  if (env.featureNames.length !== new Set(env.featureNames).size) throw new ModelFileError('model file field \'featureNames\': a name appears twice');
  if (env.training.featureStats && env.training.featureStats.length !== env.featureNames.length) {
    throw new ModelFileError(`model file field 'training.featureStats': ${env.training.featureStats.length} entries for ${env.featureNames.length} features`);
  }
  const model: IsolationForestModel = {
    featureNames: env.featureNames,
    params: env.params,
    offset: env.offset,
    forest: decodeForest(env),
    training: env.training,
  };
  return new IsolationForest(model);
}

function decodeForest(env: Envelope): ForestArrays {
  const { trees, params } = env;
  const decode = <K extends 'int32' | 'float64'>(field: keyof Envelope['trees'], kind: K, length: number) => {
    const text = trees[field];
    if (typeof text !== 'string') throw new ModelFileError(`model file field 'trees.${field}' is required for a ${params.kind} forest`);
    const arr = decodeTypedArray(text, kind, length);
    if (typeof arr === 'string') throw new ModelFileError(`model file field 'trees.${field}' ${arr}`);
    return arr;
  };
  if (trees.count !== params.nEstimators) throw new ModelFileError(`model file has ${trees.count} trees but params.nEstimators is ${params.nEstimators}`);
  const common = {
    nodeOffsets: decode('nodeOffsets', 'int32', trees.count + 1),
    left: decode('left', 'int32', trees.nodes),
    right: decode('right', 'int32', trees.nodes),
    nodeSamples: decode('nodeSamples', 'int32', trees.nodes),
    feature: decode('feature', 'int32', trees.nodes),
    threshold: decode('threshold', 'float64', trees.nodes),
  };
  if (params.kind === 'axis-parallel') return { kind: 'axis-parallel', ...common };
  return {
    kind: 'extended',
    ...common,
    planeOffsets: decode('planeOffsets', 'int32', trees.nodes + 1),
    planeFeature: decode('planeFeature', 'int32', trees.planeTerms),
    planeWeight: decode('planeWeight', 'float64', trees.planeTerms),
  };
}

function checksumOf(unsigned: unknown): string {
  return `sha256:${canonicalJsonSha256(unsigned)}`;
}
