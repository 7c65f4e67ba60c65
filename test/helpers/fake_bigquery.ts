import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BqRequest {
  method: string;
  path: string;
  body: Record<string, unknown> | undefined;
}

/**
 * A loopback stand-in for the BigQuery REST API, as much as the adapter uses: datasets and tables
 * (get, insert) and queries (jobs.insert / jobs.query, getQueryResults). Queries return no rows
 * unless a canned answer matches; every request is recorded for the tests to check.
 */
export class FakeBigQuery {
  readonly requests: BqRequest[] = [];
  readonly datasets = new Set<string>();
  readonly tables = new Map<string, Record<string, unknown>>();
  canned: { match: RegExp; fields: { name: string; type: string }[]; rows: unknown[][] } | undefined;
  private server: Server | undefined;
  private jobs = 0;
  port = 0;

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://x');
        const text = Buffer.concat(chunks).toString('utf8');
        const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
        this.requests.push({ method: req.method ?? '', path: url.pathname, body });
        const [status, payload] = this.route(req.method ?? '', url.pathname, body);
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => { resolve(); }));
  }

  private result(query: string, jobId: string, projectId: string) {
    const canned = this.canned && this.canned.match.test(query) ? this.canned : undefined;
    return {
      kind: 'bigquery#queryResponse',
      jobReference: { projectId, jobId, location: 'US' },
      jobComplete: true,
      schema: { fields: (canned?.fields ?? []).map((f) => ({ ...f, mode: 'NULLABLE' })) },
      rows: (canned?.rows ?? []).map((r) => ({ f: r.map((v) => ({ v })) })),
      totalRows: String(canned?.rows.length ?? 0),
    };
  }

  private route(method: string, path: string, body: Record<string, unknown> | undefined): [number, unknown] {
    const notFound: [number, unknown] = [404, { error: { code: 404, message: 'Not found', errors: [{ reason: 'notFound' }] } }];
    let m = /^\/bigquery\/v2\/projects\/([^/]+)\/datasets\/([^/]+)\/tables\/([^/]+)$/.exec(path);
    if (m && method === 'GET') {
      const t = this.tables.get(`${m[2]!}.${m[3]!}`);
      return t ? [200, t] : notFound;
    }
    m = /^\/bigquery\/v2\/projects\/([^/]+)\/datasets\/([^/]+)\/tables$/.exec(path);
    if (m && method === 'POST') {
      const ref = (body?.tableReference ?? {}) as { tableId?: string };
      const resource = { ...body, id: `${m[1]!}:${m[2]!}.${ref.tableId ?? ''}` };
      this.tables.set(`${m[2]!}.${ref.tableId ?? ''}`, resource);
      return [200, resource];
    }
    m = /^\/bigquery\/v2\/projects\/([^/]+)\/datasets\/([^/]+)$/.exec(path);
    if (m && method === 'GET') return this.datasets.has(m[2]!) ? [200, { datasetReference: { projectId: m[1], datasetId: m[2] } }] : notFound;
    m = /^\/bigquery\/v2\/projects\/([^/]+)\/datasets$/.exec(path);
    if (m && method === 'POST') {
      const ref = (body?.datasetReference ?? {}) as { datasetId?: string };
      this.datasets.add(ref.datasetId ?? '');
      return [200, body];
    }
    m = /^\/bigquery\/v2\/projects\/([^/]+)\/queries$/.exec(path);
    if (m && method === 'POST') return [200, this.result(typeof body?.query === 'string' ? body.query : '', `job_${++this.jobs}`, m[1]!)];
    m = /^\/bigquery\/v2\/projects\/([^/]+)\/jobs$/.exec(path);
    if (m && method === 'POST') {
      const query = ((body?.configuration as { query?: { query?: string } } | undefined)?.query?.query) ?? '';
      const jobId = `job_${++this.jobs}`;
      this.lastQuery.set(jobId, query);
      return [200, { ...body, jobReference: { projectId: m[1], jobId, location: 'US' }, status: { state: 'DONE' } }];
    }
    m = /^\/bigquery\/v2\/projects\/([^/]+)\/queries\/([^/]+)$/.exec(path);
    if (m && method === 'GET') return [200, this.result(this.lastQuery.get(m[2]!) ?? '', m[2]!, m[1]!)];
    m = /^\/bigquery\/v2\/projects\/([^/]+)\/jobs\/([^/]+)$/.exec(path);
    if (m && method === 'GET') return [200, { jobReference: { projectId: m[1], jobId: m[2], location: 'US' }, status: { state: 'DONE' }, configuration: { query: { query: this.lastQuery.get(m[2]!) ?? '' } } }];
    return notFound;
  }

  private readonly lastQuery = new Map<string, string>();
}
