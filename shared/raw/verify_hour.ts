import { createHash } from 'node:crypto';
import type { ObjectStore } from '../storage/object_store';
import { hourManifestSchema, type HourManifest } from './hour_manifest';
import { decodeJsonlGzip, decodeJsonlGzipAsync } from './jsonl_gzip';
import { manifestKey, quarantineKey } from './raw_layout';

export const sha256Hex = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** Why an hour's stored objects cannot be trusted; each needs a refetch, not a retry. */
export type HourProblem = 'manifest-missing' | 'manifest-invalid' | 'object-missing' | 'sha-mismatch' | 'undecodable' | 'row-count' | 'stray-quarantine';

export type HourCheck =
  | { readonly ok: true; readonly manifest: HourManifest; readonly manifestSha256: string; readonly manifestGeneration: string }
  | {
      readonly ok: false;
      readonly problem: HourProblem;
      readonly detail: string;
      /** The manifest's generation ('0' when absent), for a precondition on replacing it. */
      readonly manifestGeneration: string;
      readonly manifestSha256?: string;
      /** An object that is not gzip JSON lines at all (it would break any query over raw/). */
      readonly undecodable?: { readonly key: string; readonly generation: string };
    };

/**
 * Checks that an hour's manifest is valid and that every object it lists is present with the
 * SHA-256 it names (and, with `decode`, is gzip JSON lines with the row count it names), and that
 * no quarantine part exists that the manifest does not list.
 */
export async function verifyHour(store: ObjectStore, sourceId: string, hourStart: number, options: { decode?: boolean } = {}): Promise<HourCheck> {
  const key = manifestKey(sourceId, hourStart);
  const stored = await store.read(key);
  if (!stored) return { ok: false, problem: 'manifest-missing', detail: `manifest ${key} is missing`, manifestGeneration: '0' };
  const manifestSha256 = sha256Hex(stored.data);
  const base = { ok: false as const, manifestGeneration: stored.generation, manifestSha256 };
  let manifest: HourManifest;
  try {
    manifest = hourManifestSchema.parse(JSON.parse(stored.data.toString('utf8')));
  } catch (err) {
    return { ...base, problem: 'manifest-invalid', detail: `manifest ${key} is invalid: ${(err as Error).message.split('\n')[0]!}` };
  }
  for (const o of manifest.objects) {
    const object = await store.read(o.key);
    if (!object) return { ...base, problem: 'object-missing', detail: `${o.key} is missing, though manifest ${key} lists it` };
    if (sha256Hex(object.data) !== o.sha256) {
      const undecodable = options.decode && !decodes(object.data) ? { undecodable: { key: o.key, generation: object.generation } } : {};
      return { ...base, ...undecodable, problem: 'sha-mismatch', detail: `${o.key} has SHA-256 ${sha256Hex(object.data)}, manifest ${key} names ${o.sha256}` };
    }
    if (options.decode) {
      let rows: number;
      try {
        rows = (await decodeJsonlGzipAsync(object.data)).length;
      } catch (err) {
        return { ...base, undecodable: { key: o.key, generation: object.generation }, problem: 'undecodable', detail: `${o.key} is not gzip JSON lines: ${(err as Error).message}` };
      }
      if (rows !== o.rows) return { ...base, problem: 'row-count', detail: `${o.key} holds ${rows} rows, manifest ${key} names ${o.rows}` };
    }
  }
  if (!manifest.objects.some((o) => o.role === 'quarantine')) {
    const stray = await store.read(quarantineKey(sourceId, hourStart));
    if (stray) return { ...base, problem: 'stray-quarantine', detail: `${quarantineKey(sourceId, hourStart)} exists, though manifest ${key} lists no quarantine part` };
  }
  return { ok: true, manifest, manifestSha256, manifestGeneration: stored.generation };
}

function decodes(data: Buffer): boolean {
  try {
    decodeJsonlGzip(data);
    return true;
  } catch {
    return false;
  }
}
