import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CRC32C } from '@google-cloud/storage';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
}

interface FakeObject {
  data: Buffer;
  generation: number;
  contentType: string;
}

/**
 * A loopback stand-in for the GCS JSON API, as much as the adapter uses: multipart upload,
 * metadata, media download (by generation), list with prefix, delete, and the generation
 * preconditions. It records every request so tests can check what the adapter sends.
 */
export class FakeGcs {
  readonly requests: RecordedRequest[] = [];
  private readonly objects = new Map<string, FakeObject>();
  private generation = 1_732_000_000_000_000;
  private server: Server | undefined;
  port = 0;

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(
        ({ status, headers, body }) => {
          res.writeHead(status, headers);
          res.end(body);
        },
        (err: unknown) => {
          res.writeHead(500);
          res.end(String(err));
        },
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => { resolve(); }));
  }

  private resource(bucket: string, name: string, o: FakeObject) {
    const crc = new CRC32C();
    crc.update(o.data);
    return {
      kind: 'storage#object',
      id: `${bucket}/${name}/${o.generation}`,
      name,
      bucket,
      generation: String(o.generation),
      metageneration: '1',
      contentType: o.contentType,
      size: String(o.data.length),
      md5Hash: createHash('md5').update(o.data).digest('base64'),
      crc32c: crc.toString(),
      updated: new Date().toISOString(),
    };
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; headers: Record<string, string>; body: string | Buffer }> {
    const url = new URL(req.url ?? '/', 'http://x');
    const query = Object.fromEntries(url.searchParams.entries());
    this.requests.push({ method: req.method ?? '', path: url.pathname, query, authorization: req.headers.authorization });
    const body = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => { resolve(Buffer.concat(chunks)); });
    });
    const json = (status: number, value: unknown) => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });
    const error = (status: number, reason: string) => json(status, { error: { code: status, message: reason, errors: [{ reason, message: reason }] } });
    const precondition = (current: FakeObject | undefined) => {
      if (query.ifGenerationMatch === undefined) return true;
      return Number(query.ifGenerationMatch) === (current?.generation ?? 0);
    };

    const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
    if (upload && req.method === 'POST') {
      const bucket = upload[1]!;
      const { metadata, data } = parseMultipart(req.headers['content-type'] ?? '', body);
      const name = query.name ?? (metadata.name as string);
      const key = `${bucket}/${name}`;
      if (!precondition(this.objects.get(key))) return error(412, 'conditionNotMet');
      const o = { data, generation: this.generation++, contentType: (metadata.contentType as string | undefined) ?? 'application/octet-stream' };
      this.objects.set(key, o);
      return json(200, this.resource(bucket, name, o));
    }
    const one = /^\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/.exec(url.pathname);
    if (one) {
      const bucket = one[1]!;
      const name = decodeURIComponent(one[2]!);
      const key = `${bucket}/${name}`;
      const o = this.objects.get(key);
      if (req.method === 'DELETE') {
        if (!precondition(o)) return error(412, 'conditionNotMet');
        if (!o) return error(404, 'notFound');
        this.objects.delete(key);
        return { status: 204, headers: {}, body: '' };
      }
      if (!o || (query.generation !== undefined && Number(query.generation) !== o.generation)) return error(404, 'notFound');
      if (query.alt === 'media') {
        const r = this.resource(bucket, name, o);
        return { status: 200, headers: { 'content-type': o.contentType, 'x-goog-generation': String(o.generation), 'x-goog-hash': `crc32c=${r.crc32c},md5=${r.md5Hash}` }, body: o.data };
      }
      return json(200, this.resource(bucket, name, o));
    }
    const list = /^\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
    if (list && req.method === 'GET') {
      const bucket = list[1]!;
      const prefix = query.prefix ?? '';
      const items = [...this.objects.entries()]
        .filter(([k]) => k.startsWith(`${bucket}/${prefix}`))
        .map(([k, o]) => this.resource(bucket, k.slice(bucket.length + 1), o))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      return json(200, { kind: 'storage#objects', items });
    }
    return error(404, `no route for ${req.method} ${url.pathname}`);
  }
}

/** multipart/related: a JSON metadata part, then the media part. */
function parseMultipart(contentType: string, body: Buffer): { metadata: Record<string, unknown>; data: Buffer } {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  if (!boundary) return { metadata: {}, data: body };
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Buffer[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    parts.push(body.subarray(start + delimiter.length, next));
    start = next;
  }
  const content = (part: Buffer) => {
    const headerEnd = part.indexOf('\r\n\r\n');
    let end = part.length;
    if (part[end - 2] === 13 && part[end - 1] === 10) end -= 2;
    return part.subarray(headerEnd + 4, end);
  };
  return { metadata: JSON.parse(content(parts[0]!).toString('utf8')) as Record<string, unknown>, data: Buffer.from(content(parts[1]!)) };
}
