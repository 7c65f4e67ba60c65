import { createHash } from 'node:crypto';
import { mkdir, open, readFile, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** True when a process with this id runs on this machine (signal 0 only checks). */
export function processIsAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 1 + Math.floor(Math.random() * 4)));

/**
 * Runs `fn` holding `<lockDir>/<hash of key>`, a file created exclusively (O_EXCL) that holds the
 * owner's pid. A lock whose owner has died (a killed writer) is taken over, so a crash never
 * blocks a key for good. Waiting polls every few milliseconds: holders only rename one file.
 */
export async function withKeyLock<T>(lockDir: string, key: string, fn: () => Promise<T>): Promise<T> {
  const path = join(lockDir, createHash('sha256').update(key).digest('hex').slice(0, 40));
  await mkdir(lockDir, { recursive: true });
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      try {
        await handle.writeFile(String(process.pid));
      } finally {
        await handle.close();
      }
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(await readFile(path, 'utf8').catch(() => ''));
      // An empty file is a lock being created right now; only a dead owner's lock is broken.
      if (owner > 0 && !processIsAlive(owner)) await unlink(path).catch(() => undefined);
      else await pause();
    }
  }
  try {
    return await fn();
  } finally {
    await unlink(path).catch(() => undefined);
  }
}

/** Deletes temporary files (`<pid>-<random>`) whose writing process no longer runs. */
export async function removeDeadTempFiles(tempDir: string): Promise<number> {
  let removed = 0;
  for (const name of await readdir(tempDir).catch(() => [] as string[])) {
    const pid = Number(name.split('-')[0]);
    if (pid === process.pid || processIsAlive(pid)) continue;
    await unlink(join(tempDir, name)).catch(() => undefined);
    removed++;
  }
  return removed;
}
