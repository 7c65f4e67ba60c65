import * as z from 'zod';
import { parseRetryAfterMs } from '../retry';
import { UpstreamError } from '../errors';
import { assertValidKey, type ObjectInfo, type ObjectStore, type StoredObject } from './object_store';

/** One page of objects.list, the fields asked for. */
const listPageSchema = z.object({
  items: z.array(z.object({ name: z.string().min(1), generation: z.string().regex(/^\d+$/), size: z.string().regex(/^\d+$/) })).optional(),
  nextPageToken: z.string().min(1).optional(),
});

const tokenSchema = z.object({ access_token: z.string().min(1), expires_in: z.number() });

/** Where the GCS JSON API and the metadata server are, and how requests are made (tests: loopback). */
export interface GcsJsonReaderOptions {
  /** Default https://storage.googleapis.com; STORAGE_EMULATOR_HOST as the client libraries read it. */
  readonly endpoint?: string;
  /**
   * An OAuth access token for the request; default: the function's service account, from the
   * metadata server, and none against an emulator (STORAGE_EMULATOR_HOST), as the client libraries do.
   */
  readonly accessToken?: (() => Promise<string>) | null;
  readonly fetch?: typeof fetch;
  /** Longest wait for one answer (default 30 s): a hung GCS must not hold a cold start for minutes. */
  readonly timeoutMs?: number;
}

/**
 * A read-only GCS store over the JSON API with plain fetch, for serve: loading
 * @google-cloud/storage and its auth library costs a cold start a few hundred milliseconds of
 * CPU, more than everything else serve does before its first answer; serve only reads (the
 * model, its metadata and the production alias). A read is one media download whose
 * x-goog-generation header names the generation served, so data and generation always match.
 * Failures are not retried here: the model source answers 503 (retryable) until a load works and
 * keeps the loaded model when a later check fails.
 */
export class GcsJsonReader implements ObjectStore {
  private readonly endpoint: string;
  private readonly accessToken: (() => Promise<string>) | null;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(
    readonly url: string,
    private readonly bucket: string,
    private readonly prefix: string,
    options: GcsJsonReaderOptions = {},
  ) {
    const emulator = emulatorEndpoint();
    this.endpoint = (options.endpoint ?? emulator ?? 'https://storage.googleapis.com').replace(/\/$/, '');
    this.fetch = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.accessToken = options.accessToken !== undefined ? options.accessToken : emulator !== undefined && options.endpoint === undefined ? null : metadataServerToken(this.fetch);
  }

  private name(key: string): string {
    assertValidKey(key);
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  private async get(path: string, what: string): Promise<Response | null> {
    let res: Response;
    try {
      const headers: Record<string, string> = this.accessToken ? { authorization: `Bearer ${await this.accessToken()}` } : {};
      res = await this.fetch(`${this.endpoint}/storage/v1/b/${encodeURIComponent(this.bucket)}${path}`, { headers, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      throw err instanceof UpstreamError ? err : new UpstreamError(`${what}: ${fetchFailure(err)}`, true, { cause: err });
    }
    if (res.status === 404) {
      await res.arrayBuffer();
      return null;
    }
    if (!res.ok) {
      const detail = (await res.text()).slice(0, 300);
      throw new UpstreamError(`${what}: GCS answered ${res.status}: ${detail}`, res.status === 429 || res.status >= 500, { retryAfterMs: parseRetryAfterMs(res.headers.get('retry-after'), Date.now()) });
    }
    return res;
  }

  async read(key: string): Promise<StoredObject | null> {
    const what = `read ${this.url}/${key}`;
    const res = await this.get(`/o/${encodeURIComponent(this.name(key))}?alt=media`, what);
    if (!res) return null;
    const generation = res.headers.get('x-goog-generation');
    const data = Buffer.from(await res.arrayBuffer());
    if (!generation) throw new UpstreamError(`${what}: GCS sent no x-goog-generation header`, true);
    return { data, generation };
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const what = `list ${this.url}/${prefix}`;
    const out: ObjectInfo[] = [];
    let pageToken: string | undefined;
    do {
      const query = new URLSearchParams({ prefix: this.prefix ? `${this.prefix}/${prefix}` : prefix, fields: 'items(name,generation,size),nextPageToken' });
      if (pageToken) query.set('pageToken', pageToken);
      const res = await this.get(`/o?${query.toString()}`, what);
      if (!res) throw new UpstreamError(`${what}: bucket ${this.bucket} not found`, false);
      const parsed = listPageSchema.safeParse(await res.json());
      if (!parsed.success) throw new UpstreamError(`${what}: unexpected answer from GCS: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, true);
      const page = parsed.data;
      for (const item of page.items ?? []) out.push({ key: this.prefix ? item.name.slice(this.prefix.length + 1) : item.name, generation: item.generation, size: Number(item.size) });
      pageToken = page.nextPageToken;
    } while (pageToken);
    return out.sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  write(key: string): Promise<{ generation: string }> {
    return Promise.reject(new Error(`${this.url}/${key}: this store only reads (serve never writes)`));
  }

  delete(key: string): Promise<void> {
    return Promise.reject(new Error(`${this.url}/${key}: this store only reads (serve never deletes)`));
  }
}

/** fetch's "fetch failed" with its cause (ENOTFOUND, ECONNREFUSED, a timeout), which says what went wrong. */
function fetchFailure(err: unknown): string {
  const e = err as { name?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } };
  if (e.name === 'TimeoutError') return `no answer within the time limit (${String(e.message)})`;
  const cause = typeof e.cause?.code === 'string' ? e.cause.code : typeof e.cause?.message === 'string' ? e.cause.message : undefined;
  return `${String(e.message)}${cause === undefined ? '' : ` (${cause})`}`;
}

function emulatorEndpoint(): string | undefined {
  const host = process.env.STORAGE_EMULATOR_HOST;
  if (!host) return undefined;
  return /^https?:\/\//.test(host) ? host : `http://${host}`;
}

/**
 * The service account's access token from the metadata server (GCE_METADATA_HOST as the auth
 * library reads it), kept until a minute before it expires; concurrent callers share one request.
 */
export function metadataServerToken(fetchFn: typeof fetch = fetch, now: () => number = Date.now): () => Promise<string> {
  const host = process.env.GCE_METADATA_HOST ?? 'metadata.google.internal';
  let cached: { token: string; until: number } | undefined;
  let pending: Promise<string> | undefined;
  return () => {
    if (cached && now() < cached.until) return Promise.resolve(cached.token);
    return (pending ??= (async () => {
      const what = 'access token from the metadata server';
      let res: Response;
      try {
        res = await fetchFn(`http://${host}/computeMetadata/v1/instance/service-accounts/default/token`, { headers: { 'metadata-flavor': 'Google' }, signal: AbortSignal.timeout(10_000) });
      } catch (err) {
        // Off Google Cloud there is no metadata server: locally, serve a folder store (or an emulator).
        throw new UpstreamError(`${what}: ${fetchFailure(err)}; outside Google Cloud use a local store or STORAGE_EMULATOR_HOST`, true, { cause: err });
      }
      if (!res.ok) throw new UpstreamError(`${what}: ${res.status} ${(await res.text()).slice(0, 200)}`, res.status >= 500);
      const parsed = tokenSchema.safeParse(await res.json());
      if (!parsed.success) throw new UpstreamError(`${what}: the answer has no access_token and expires_in`, true);
      const body = parsed.data;
      cached = { token: body.access_token, until: now() + (body.expires_in - 60) * 1000 };
      return body.access_token;
    })().finally(() => {
      pending = undefined;
    }));
  };
}
