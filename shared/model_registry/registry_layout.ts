/**
 * Where the registry keeps things on the object store:
 *   models/<name>/<version>/model.json | metrics.json | metadata.json   (metadata.json written last)
 *   models/<name>/production.json                                       (the alias, generation-guarded)
 */
const VERSION = /^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}$/;

export function modelPrefix(name: string): string {
  return `models/${name}/`;
}

export function versionKey(name: string, version: string, file: 'model.json' | 'metrics.json' | 'metadata.json'): string {
  return `models/${name}/${version}/${file}`;
}

export function aliasKey(name: string): string {
  return `models/${name}/production.json`;
}

/** Versions sort by time: 20261130T220000Z-<first 8 hex of the model file's SHA-256>. */
export function versionId(at: Date, modelSha256: string): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return `${stamp}-${modelSha256.slice(0, 8)}`;
}

export function isVersionId(text: string): boolean {
  return VERSION.test(text);
}
