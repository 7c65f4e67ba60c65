import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { PreconditionFailedError } from '../errors';
import { removeDeadTempFiles, withKeyLock } from './folder_lock';
import { assertValidKey, type ObjectInfo, type ObjectStore, type StoredObject, type WriteOptions } from './object_store';

/** Store-internal folders at the root: never keys, never inside a data partition. */
export const TEMP_DIR = '.tmp';
export const LOCK_DIR = '.locks';
const INTERNAL = new Set([TEMP_DIR, LOCK_DIR]);

/**
 * A folder as an object store. A write goes to a temporary file in `<root>/.tmp` renamed into
 * place, so readers never see half an object and a killed writer leaves nothing inside a data
 * partition; the generation is the file's inode and modification time in nanoseconds, which every
 * rename changes. Writes and deletes of a key hold a lock file (`<root>/.locks`), so preconditions
 * hold between store instances and processes sharing the folder, as they do on GCS.
 */
export class LocalFolderStore implements ObjectStore {
  private readonly locks = new Map<string, Promise<unknown>>();
  private tempSwept: Promise<void> | undefined;

  constructor(
    readonly root: string,
    readonly url = root,
  ) {}

  private path(key: string): string {
    assertValidKey(key);
    return join(this.root, ...key.split('/'));
  }

  private async generationOf(path: string): Promise<string> {
    try {
      const s = await stat(path, { bigint: true });
      return `${s.ino}.${s.mtimeNs}`;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '0';
      throw err;
    }
  }

  /** Runs `fn` after every earlier operation on `key` has finished, here and in other processes. */
  private exclusive<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const locked = () => withKeyLock(join(this.root, LOCK_DIR), key, fn);
    const next = previous.then(locked, locked);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.locks.set(key, settled);
    // Forget the key once nothing is queued behind this operation, so the map does not grow.
    void settled.then(() => {
      if (this.locks.get(key) === settled) this.locks.delete(key);
    });
    return next;
  }

  async read(key: string): Promise<StoredObject | null> {
    const path = this.path(key);
    for (;;) {
      const before = await this.generationOf(path);
      if (before === '0') return null;
      let data: Buffer;
      try {
        data = await readFile(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      // A rename between stat and read would pair old data with a new generation: check again.
      if ((await this.generationOf(path)) === before) return { data, generation: before };
    }
  }

  async write(key: string, data: Buffer, options: WriteOptions = {}): Promise<{ generation: string }> {
    const path = this.path(key);
    return await this.exclusive(key, async () => {
      const current = await this.generationOf(path);
      if (options.ifGenerationMatch !== undefined && options.ifGenerationMatch !== current) {
        throw new PreconditionFailedError(`${this.url}/${key}: at generation ${current}, expected ${options.ifGenerationMatch}`);
      }
      await mkdir(dirname(path), { recursive: true });
      const tempDir = join(this.root, TEMP_DIR);
      // Once per instance: temporary files of writers that died before their rename.
      await (this.tempSwept ??= mkdir(tempDir, { recursive: true }).then(async () => { await removeDeadTempFiles(tempDir); }));
      const temp = join(tempDir, `${process.pid}-${randomBytes(6).toString('hex')}`);
      await writeFile(temp, data);
      await rename(temp, path);
      return { generation: await this.generationOf(path) };
    });
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw err;
      }
      for (const entry of entries) {
        const full = join(dir, entry.name);
        if (dir === this.root && INTERNAL.has(entry.name)) continue;
        if (entry.isDirectory()) await walk(full);
        else if (entry.isFile()) {
          const key = relative(this.root, full).split(sep).join('/');
          if (!key.startsWith(prefix)) continue;
          const s = await stat(full, { bigint: true });
          out.push({ key, generation: `${s.ino}.${s.mtimeNs}`, size: Number(s.size) });
        }
      }
    };
    // Only walk the deepest folder the prefix names.
    const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    await walk(folder ? join(this.root, ...folder.split('/')) : this.root);
    return out.sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  async delete(key: string, options: { ifGenerationMatch?: string } = {}): Promise<void> {
    const path = this.path(key);
    await this.exclusive(key, async () => {
      const current = await this.generationOf(path);
      if (options.ifGenerationMatch !== undefined && options.ifGenerationMatch !== current) {
        throw new PreconditionFailedError(`${this.url}/${key}: at generation ${current}, expected ${options.ifGenerationMatch}`);
      }
      if (current !== '0') await unlink(path);
    });
  }

  /** Removes the whole folder (tests). */
  async destroy(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}
