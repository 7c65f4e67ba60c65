/**
 * Where raw data lives: GCS in the cloud, a folder or memory locally. Keys are '/'-separated
 * paths under the store's root. Generations make concurrent writers safe: a write with
 * `ifGenerationMatch` succeeds only if the object is still at that generation ('0': absent).
 */
export interface StoredObject {
  readonly data: Buffer;
  readonly generation: string;
}

export interface ObjectInfo {
  readonly key: string;
  readonly generation: string;
  readonly size: number;
}

export interface WriteOptions {
  /** The generation the object must have for the write to happen; '0' means it must not exist. */
  readonly ifGenerationMatch?: string;
  readonly contentType?: string;
}

export interface ObjectStore {
  /** The URL the store was opened from (gs://..., a path, memory://...). */
  readonly url: string;
  read(key: string): Promise<StoredObject | null>;
  /** Throws PreconditionFailedError when `ifGenerationMatch` does not hold. */
  write(key: string, data: Buffer, options?: WriteOptions): Promise<{ generation: string }>;
  /** Objects whose key starts with `prefix`, sorted by key. */
  list(prefix: string): Promise<ObjectInfo[]>;
  /** Deletes if present; with `ifGenerationMatch`, only at that generation. */
  delete(key: string, options?: { ifGenerationMatch?: string }): Promise<void>;
}

/** Keys are relative, '/'-separated, without '.', '..' or empty segments. */
export function assertValidKey(key: string): void {
  if (key.length === 0 || key.startsWith('/') || key.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    throw new RangeError(`invalid object key '${key}'`);
  }
}
