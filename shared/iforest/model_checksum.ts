import { createHash, type Hash } from 'node:crypto';

/**
 * SHA-256 (hex) of canonicalJson(value) (shared/canonical_json.ts), fed to the hash piece by
 * piece: the same bytes, so the same checksum, without building the whole text. A model file's
 * base64 arrays are megabytes; copying them into one canonical string (and that string's UTF-8
 * form) before hashing was most of the cost of loading a model at cold start.
 */
export function canonicalJsonSha256(value: unknown): string {
  const hash = createHash('sha256');
  updateCanonical(hash, value);
  return hash.digest('hex');
}

function updateCanonical(hash: Hash, value: unknown, inArray = false): void {
  if (Array.isArray(value)) {
    hash.update('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) hash.update(',');
      updateCanonical(hash, value[i], true);
    }
    hash.update(']');
    return;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    hash.update('{');
    for (let i = 0; i < entries.length; i++) {
      const [k, v] = entries[i]!;
      hash.update(i > 0 ? `,${JSON.stringify(k)}:` : `${JSON.stringify(k)}:`);
      updateCanonical(hash, v);
    }
    hash.update('}');
    return;
  }
  // JSON.stringify gives undefined for undefined and functions: canonicalJson's array join then
  // writes nothing, its object template the word "undefined".
  const text = JSON.stringify(value) as string | undefined;
  hash.update(text ?? (inArray ? '' : 'undefined'));
}
