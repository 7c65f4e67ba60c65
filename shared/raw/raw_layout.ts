/**
 * Where each hour of each source lives. Data under raw/ uses hive partitions that BigQuery
 * external tables read (`raw/source=<id>/dt=YYYY-MM-DD/hour=HH/part-00000.jsonl.gz`); quarantined
 * rows and manifests sit in their own trees so a table over raw/ reads nothing else.
 */
export const RAW_PREFIX = 'raw';
export const QUARANTINE_PREFIX = 'quarantine';
export const MANIFEST_PREFIX = 'manifests';
export const WATERMARK_PREFIX = 'state/watermarks';
export const REPAIR_PREFIX = 'state/repairs';

function partition(sourceId: string, hourStart: number): string {
  const iso = new Date(hourStart * 1000).toISOString();
  return `source=${sourceId}/dt=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}`;
}

export function rawDataKey(sourceId: string, hourStart: number): string {
  return `${RAW_PREFIX}/${partition(sourceId, hourStart)}/part-00000.jsonl.gz`;
}

export function quarantineKey(sourceId: string, hourStart: number): string {
  return `${QUARANTINE_PREFIX}/${partition(sourceId, hourStart)}/part-00000.jsonl.gz`;
}

export function manifestKey(sourceId: string, hourStart: number): string {
  return `${MANIFEST_PREFIX}/${partition(sourceId, hourStart)}/manifest.json`;
}

export function watermarkKey(sourceId: string): string {
  return `${WATERMARK_PREFIX}/${sourceId}.json`;
}

/** Where a mark asking the next fetch run or backfill to refetch an hour lives. */
export function repairMarkerKey(sourceId: string, hourStart: number): string {
  return `${REPAIR_PREFIX}/source=${sourceId}/${new Date(hourStart * 1000).toISOString().slice(0, 13)}.json`;
}

/** The hour a repair marker key names, or undefined for any other key. */
export function parseRepairMarkerKey(key: string): { sourceId: string; hourStart: number } | undefined {
  const m = /^state\/repairs\/source=([^/]+)\/(\d{4}-\d{2}-\d{2}T\d{2})\.json$/.exec(key);
  if (!m) return undefined;
  return { sourceId: m[1]!, hourStart: Date.parse(`${m[2]!}:00:00Z`) / 1000 };
}

/** The source and hour a manifest key names, or undefined for any other key. */
export function parseManifestKey(key: string): { sourceId: string; hourStart: number } | undefined {
  const m = /^manifests\/source=([^/]+)\/dt=(\d{4}-\d{2}-\d{2})\/hour=(\d{2})\/manifest\.json$/.exec(key);
  if (!m) return undefined;
  return { sourceId: m[1]!, hourStart: Date.parse(`${m[2]!}T${m[3]!}:00:00Z`) / 1000 };
}
