import type { Bucket, StorageOptions } from '@google-cloud/storage';
import { PreconditionFailedError, UpstreamError } from '../errors';
import { assertValidKey, type ObjectInfo, type ObjectStore, type StoredObject, type WriteOptions } from './object_store';

function codeOf(err: unknown): number | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

function wrap(err: unknown, what: string): Error {
  const code = codeOf(err);
  if (code === 412) return new PreconditionFailedError(`${what}: generation precondition failed`, { cause: err });
  return new UpstreamError(`${what}: ${(err as Error).message}`, code === undefined || code === 429 || code >= 500, { cause: err });
}

/**
 * A GCS bucket and prefix (`gs://bucket/prefix`) as an object store. The client library is
 * loaded on first use: it takes longer to load than a whole function, and a process whose store
 * is a local folder never needs it.
 */
export class GcsStore implements ObjectStore {
  private opened: Promise<Bucket> | undefined;

  constructor(
    readonly url: string,
    private readonly bucketName: string,
    private readonly prefix: string,
    private readonly options: StorageOptions = {},
  ) {}

  private bucket(): Promise<Bucket> {
    return (this.opened ??= import('@google-cloud/storage').then((m) => new m.Storage(this.options).bucket(this.bucketName)));
  }

  private name(key: string): string {
    assertValidKey(key);
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  async read(key: string): Promise<StoredObject | null> {
    const name = this.name(key);
    const bucket = await this.bucket();
    for (let attempt = 0; attempt < 5; attempt++) {
      let generation: string;
      try {
        const [meta] = await bucket.file(name).getMetadata();
        generation = String(meta.generation);
      } catch (err) {
        if (codeOf(err) === 404) return null;
        throw wrap(err, `read ${this.url}/${key}`);
      }
      try {
        // Download exactly the generation just seen, so data and generation always match.
        const [data] = await bucket.file(name, { generation }).download();
        return { data, generation };
      } catch (err) {
        if (codeOf(err) !== 404) throw wrap(err, `read ${this.url}/${key}`);
        // Overwritten or deleted between the two calls: look again.
      }
    }
    throw new UpstreamError(`read ${this.url}/${key}: object kept changing while being read`, true);
  }

  async write(key: string, data: Buffer, options: WriteOptions = {}): Promise<{ generation: string }> {
    const file = (await this.bucket()).file(this.name(key));
    try {
      await file.save(data, {
        resumable: false,
        contentType: options.contentType ?? 'application/octet-stream',
        ...(options.ifGenerationMatch !== undefined ? { preconditionOpts: { ifGenerationMatch: Number(options.ifGenerationMatch) } } : {}),
      });
    } catch (err) {
      throw wrap(err, `write ${this.url}/${key}`);
    }
    return { generation: String(file.metadata.generation) };
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    try {
      const [files] = await (await this.bucket()).getFiles({ prefix: this.prefix ? `${this.prefix}/${prefix}` : prefix, autoPaginate: true });
      return files
        .map((f) => ({ key: this.prefix ? f.name.slice(this.prefix.length + 1) : f.name, generation: String(f.metadata.generation), size: Number(f.metadata.size) }))
        .sort((a, b) => (a.key < b.key ? -1 : 1));
    } catch (err) {
      throw wrap(err, `list ${this.url}/${prefix}`);
    }
  }

  async delete(key: string, options: { ifGenerationMatch?: string } = {}): Promise<void> {
    try {
      await (await this.bucket()).file(this.name(key)).delete({ ignoreNotFound: true, ...(options.ifGenerationMatch !== undefined ? { ifGenerationMatch: Number(options.ifGenerationMatch) } : {}) });
    } catch (err) {
      throw wrap(err, `delete ${this.url}/${key}`);
    }
  }
}
