import { createHash } from 'node:crypto';
import * as z from 'zod';
import { InvalidInputError, ModelFileError, PreconditionFailedError } from '../errors';
import { parseModelFile } from '../iforest/model_file';
import type { IsolationForest } from '../iforest/isolation_forest';
import type { ObjectStore } from '../storage/object_store';
import { assertModelFeatures } from './feature_check';
import { aliasKey, isVersionId, modelPrefix, versionKey } from './registry_layout';
import { versionMetadataSchema, versionMetricsSchema, type VersionMetadata, type VersionMetrics } from './version_metadata';

const HISTORY_LIMIT = 50;

const aliasEntrySchema = z.object({ version: z.string(), promotedAt: z.iso.datetime(), by: z.string(), reason: z.string() });
/** production.json: the current version, and the versions it replaced (newest first) for rollback. */
const aliasSchema = aliasEntrySchema.extend({ modelName: z.string(), history: z.array(aliasEntrySchema) });
export type ProductionAliasRecord = z.infer<typeof aliasSchema>;

export interface ProductionAlias {
  /** null before the first promotion. */
  readonly record: ProductionAliasRecord | null;
  /** The alias object's generation; '0' when absent. Pass it back to promote as expectedGeneration. */
  readonly generation: string;
}

export interface StoredVersion {
  readonly metadata: VersionMetadata;
  readonly metrics: VersionMetrics;
  readonly modelText: string;
}

export interface PromoteOptions {
  /** The alias generation the decision was made against: a concurrent move makes the promotion fail. */
  readonly expectedGeneration: string;
  readonly by: string;
  readonly reason: string;
  readonly now: Date;
}

export interface ModelRegistry {
  readonly name: string;
  /** Complete versions (metadata.json present), oldest first. */
  listVersions(): Promise<VersionMetadata[]>;
  readVersion(version: string): Promise<StoredVersion>;
  /** Writes a new version; its files are never overwritten (metadata.json last marks it complete). */
  writeVersion(version: string, files: StoredVersion): Promise<void>;
  productionAlias(): Promise<ProductionAlias>;
  /** The production model, checked against the features the caller will feed it; null before the first promotion. */
  loadProductionModel(expectedFeatures?: readonly string[]): Promise<{ version: string; model: IsolationForest; metadata: VersionMetadata } | null>;
  /** Points production at `version`; PreconditionFailedError when the alias moved since expectedGeneration. */
  promote(version: string, options: PromoteOptions): Promise<{ generation: string }>;
  /** Points production back at the version it replaced; InvalidInputError when there is none. */
  rollback(options: PromoteOptions): Promise<{ version: string; generation: string }>;
}

function parseJson<T>(schema: z.ZodType<T>, data: Buffer, key: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(data.toString('utf8'));
  } catch (err) {
    throw new ModelFileError(`${key} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ModelFileError(`${key} field '${issue.path.join('.')}': ${issue.message}`);
  }
  return parsed.data;
}

/** The model registry of one model name on an object store (GCS, a folder or memory). */
export function openRegistry(store: ObjectStore, name: string): ModelRegistry {
  async function readRequired(key: string): Promise<Buffer> {
    const stored = await store.read(key);
    if (!stored) throw new InvalidInputError(`${store.url}${key} does not exist`);
    return stored.data;
  }

  async function readVersion(version: string): Promise<StoredVersion> {
    if (!isVersionId(version)) throw new InvalidInputError(`'${version}' is not a version id (expected e.g. 20261130T220000Z-1a2b3c4d)`);
    const metaKey = versionKey(name, version, 'metadata.json');
    const stored = await store.read(metaKey);
    if (!stored) throw new InvalidInputError(`model ${name} has no version ${version}`);
    const metadata = parseJson(versionMetadataSchema, stored.data, metaKey);
    const metricsKey = versionKey(name, version, 'metrics.json');
    const metrics = parseJson(versionMetricsSchema, await readRequired(metricsKey), metricsKey);
    const modelText = (await readRequired(versionKey(name, version, 'model.json'))).toString('utf8');
    return { metadata, metrics, modelText };
  }

  async function productionAlias(): Promise<ProductionAlias> {
    const key = aliasKey(name);
    const stored = await store.read(key);
    if (!stored) return { record: null, generation: '0' };
    return { record: parseJson(aliasSchema, stored.data, key), generation: stored.generation };
  }

  async function writeAlias(record: ProductionAliasRecord, expectedGeneration: string): Promise<{ generation: string }> {
    return store.write(aliasKey(name), Buffer.from(JSON.stringify(record, null, 2)), { ifGenerationMatch: expectedGeneration, contentType: 'application/json' });
  }

  /** Reads the alias at the expected generation, derives the next one, writes it under the same precondition. */
  async function moveAlias(options: PromoteOptions, next: (current: ProductionAliasRecord | null) => Promise<{ version: string; history: ProductionAliasRecord['history'] }>): Promise<{ version: string; generation: string }> {
    const current = await productionAlias();
    if (current.generation !== options.expectedGeneration) {
      throw new PreconditionFailedError(`production alias of ${name} moved (generation ${current.generation}, expected ${options.expectedGeneration}); decide again`);
    }
    const { version, history } = await next(current.record);
    const record: ProductionAliasRecord = { modelName: name, version, promotedAt: options.now.toISOString(), by: options.by, reason: options.reason, history };
    const { generation } = await writeAlias(record, options.expectedGeneration);
    return { version, generation };
  }

  return {
    name,
    async listVersions() {
      const objects = await store.list(modelPrefix(name));
      const out: VersionMetadata[] = [];
      for (const o of objects) {
        if (!o.key.endsWith('/metadata.json')) continue;
        const stored = await store.read(o.key);
        if (stored) out.push(parseJson(versionMetadataSchema, stored.data, o.key));
      }
      return out.sort((a, b) => (a.version < b.version ? -1 : 1));
    },
    readVersion,
    async writeVersion(version, files) {
      const writes: [string, string][] = [
        [versionKey(name, version, 'model.json'), files.modelText],
        [versionKey(name, version, 'metrics.json'), JSON.stringify(files.metrics, null, 2)],
        [versionKey(name, version, 'metadata.json'), JSON.stringify(files.metadata, null, 2)],
      ];
      for (const [key, text] of writes) {
        try {
          await store.write(key, Buffer.from(text), { ifGenerationMatch: '0', contentType: 'application/json' });
        } catch (err) {
          if (!(err instanceof PreconditionFailedError)) throw err;
          // A retried write of the same version writes the same bytes; anything else is a real clash.
          const existing = await store.read(key);
          if (!existing || existing.data.toString('utf8') !== text) {
            throw new PreconditionFailedError(`${store.url}${key} already exists with other content`, { cause: err });
          }
        }
      }
    },
    productionAlias,
    async loadProductionModel(expectedFeatures) {
      const { record } = await productionAlias();
      if (!record) return null;
      const stored = await readVersion(record.version);
      const digest = createHash('sha256').update(stored.modelText).digest('hex');
      if (digest !== stored.metadata.modelSha256) throw new ModelFileError(`model ${name}/${record.version}: model.json does not match the SHA-256 in metadata.json`);
      const model = parseModelFile(stored.modelText);
      if (expectedFeatures) assertModelFeatures(model.featureNames, expectedFeatures, `production model ${name}/${record.version}`);
      return { version: record.version, model, metadata: stored.metadata };
    },
    async promote(version, options) {
      await readVersion(version);
      const { generation } = await moveAlias(options, (current) => {
        if (!current) return Promise.resolve({ version, history: [] });
        const { version: v, promotedAt, by, reason } = current;
        return Promise.resolve({ version, history: [{ version: v, promotedAt, by, reason }, ...current.history].slice(0, HISTORY_LIMIT) });
      });
      return { generation };
    },
    rollback(options) {
      return moveAlias(options, async (current) => {
        const previous = current?.history[0];
        if (!current || !previous) throw new InvalidInputError(`model ${name} has no earlier production version to roll back to`);
        await readVersion(previous.version);
        return { version: previous.version, history: current.history.slice(1) };
      });
    },
  };
}
