import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { PreconditionFailedError } from '../errors';
import { assertValidKey, type ObjectInfo, type ObjectStore, type StoredObject, type WriteOptions } from './object_store';

const TEMP_PREFIX = '.tmp-';

/**
 * A folder as an object store. A write goes to a temporary file renamed into place, so readers
 * never see half an object; the generation is the file's inode and modification time in
 * nanoseconds, which every rename changes. Preconditions hold between writers in this process
 * (writes to one key are serialised); separate processes should not share a folder.
 */
export class LocalFolderStore implements ObjectStore {
  private readonly locks = new Map<string, Promise<unknown>>();

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

  /** Runs `fn` after every earlier operation on `key` has finished. */
  private exclusive<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const next = previous.then(fn, fn);
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
      const temp = join(dirname(path), `${TEMP_PREFIX}${randomBytes(6).toString('hex')}`);
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
        if (entry.isDirectory()) await walk(full);
        else if (entry.isFile() && !entry.name.startsWith(TEMP_PREFIX)) {
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
