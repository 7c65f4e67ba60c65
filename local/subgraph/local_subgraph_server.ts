import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { execute } from 'graphql';
import { createHandler } from 'graphql-http';
import { HOUR_SECONDS, SUBGRAPH_KINDS, type Market, type SubgraphKind } from '../market/market';
import { ChainClock } from './chain_clock';
import { corruptRows, FaultPlan, GATEWAY_MESSAGES } from './faults';
import { MarketSource, type EntitySource } from './market_source';
import { applyIndexingErrorPolicy, loadSubgraphSchema, subgraphFieldResolver, type RequestContext, type SubgraphState } from './subgraph_runtime';

/** What the server serves: a simulated market, or recorded data replayed. */
export interface ServedData {
  /** Unix seconds of the first hour with data. */
  readonly startTime: number;
  /** Unix seconds just after the last hour with data. */
  readonly endTime: number;
  source(kind: SubgraphKind, clock: ChainClock): EntitySource;
}

export function marketData(market: Market): ServedData {
  return {
    startTime: market.startTime,
    endTime: market.startTime + market.hours * HOUR_SECONDS,
    source: (kind, clock) => new MarketSource(market, kind, clock),
  };
}

export interface LocalSubgraphOptions {
  /** A simulated market (or `data` for anything else, such as a replay). */
  readonly market?: Market;
  readonly data?: ServedData;
  readonly port?: number;
  readonly host?: string;
  /** Key the gateway path `/api/<key>/subgraphs/id/<id>` requires. */
  readonly apiKey?: string;
  /** Seconds after the last window hour's end that the indexed head sits (default 120). */
  readonly headLagSeconds?: number;
}

export interface LocalSubgraph {
  readonly port: number;
  readonly apiKey: string;
  readonly faults: FaultPlan;
  /** `http://host:port/subgraphs/name/<kind>`. */
  url(kind: SubgraphKind): string;
  /** The gateway form, `http://host:port/api/<key>/subgraphs/id/<subgraph id>`. */
  gatewayUrl(kind: SubgraphKind, apiKey?: string): string;
  subgraphId(kind: SubgraphKind): string;
  /** Live state of one subgraph (head, pruning horizon, indexing errors) for tests to change. */
  state(kind: SubgraphKind): SubgraphState;
  /** Requests received, per subgraph. */
  readonly requests: Readonly<Record<SubgraphKind, number>>;
  close(): Promise<void>;
}

const GENESIS_BLOCK = 17_000_000;

/** A base58-looking id derived from a name, for deployment (Qm...) and gateway subgraph ids. */
function fakeId(name: string, prefix: string, length: number): string {
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  const digest = createHash('sha512').update(name).digest();
  let out = prefix;
  for (let i = 0; out.length < length; i++) out += alphabet.charAt(digest[i % digest.length]! % alphabet.length);
  return out;
}

/**
 * Serves the simulated market as graph-node does (`/subgraphs/name/<kind>`) and as the gateway
 * does (`/api/<key>/subgraphs/id/<id>`), with fault switches for testing clients.
 */
export async function startLocalSubgraph(options: LocalSubgraphOptions): Promise<LocalSubgraph> {
  const data = options.data ?? (options.market ? marketData(options.market) : undefined);
  if (!data) throw new Error('startLocalSubgraph needs a market or data to serve');
  const apiKey = options.apiKey ?? 'local-dev-key';
  // Genesis before every pool's creation; the head just after the window's last hour has ended.
  const clock = new ChainClock(data.startTime - 6000 * HOUR_SECONDS, GENESIS_BLOCK);
  const windowEnd = data.endTime;
  const states = new Map<SubgraphKind, SubgraphState>();
  const ids = new Map<string, SubgraphKind>();
  for (const kind of SUBGRAPH_KINDS) {
    states.set(kind, {
      kind,
      deployment: fakeId(`deployment:${kind}`, 'Qm', 46),
      source: data.source(kind, clock),
      clock,
      headBlock: clock.blockAt(windowEnd + (options.headLagSeconds ?? 120)),
      earliestBlock: GENESIS_BLOCK,
      indexingErrors: false,
    });
    ids.set(fakeId(`subgraph:${kind}`, '', 44), kind);
  }
  const faults = new FaultPlan();
  const requests = Object.fromEntries(SUBGRAPH_KINDS.map((k) => [k, 0])) as Record<SubgraphKind, number>;
  const handler = createHandler<IncomingMessage, RequestContext, RequestContext>({
    schema: (req) => req.context.loaded.schema,
    context: (req) => req.context,
    execute: (args) => execute({ ...args, fieldResolver: subgraphFieldResolver }),
    onOperation: (req, args, result) => (req.context.state.indexingErrors ? applyIndexingErrorPolicy(result, args.document, args.variableValues ?? undefined) : undefined),
  });

  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const route = routeOf(req.url ?? '/');
    if (!route) { json(res, 404, { errors: [{ message: `no subgraph at ${req.url}` }] }); return; }
    if ('gatewayError' in route) { json(res, 200, { errors: [{ message: route.gatewayError }] }); return; }
    const kind = route.kind;
    requests[kind]++;
    const body = await readBody(req);
    const active = faults.take(kind);
    const state = states.get(kind)!;
    let headBlock = state.headBlock;
    let repeatBoundaryRows = false;
    for (const fault of active) {
      switch (fault.kind) {
        case 'rate-limited':
          { reply(res, 429, { 'content-type': 'text/plain', 'retry-after': String(fault.retryAfterSeconds) }, 'Too Many Requests'); return; }
        case 'server-error':
          { reply(res, fault.status, { 'content-type': 'text/plain' }, 'upstream unavailable'); return; }
        case 'hang':
          return; // never answered; the socket closes with the client or the server
        case 'gateway-error':
          { json(res, 200, { errors: [{ message: fault.message }] }); return; }
        case 'slow':
          await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
          break;
        case 'head-behind':
          headBlock -= fault.blocks;
          break;
        case 'repeat-rows':
          repeatBoundaryRows = true;
          break;
        default:
          break;
      }
    }
    const context: RequestContext = { state, loaded: loadSubgraphSchema(kind), headBlock, repeatBoundaryRows };
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    // graph-node answers GraphQL errors with HTTP 200 and application/json.
    headers.accept = 'application/json';
    const [responseBody, init] = await handler({ method: req.method ?? 'POST', url: req.url ?? '/', headers, body, raw: req, context });
    for (const fault of active) if (fault.kind === 'head-advances') state.headBlock += fault.blocks;
    let text = responseBody ?? '';
    const corrupts = active.some((fault) => fault.kind === 'malformed-rows');
    // Re-encoding a large answer costs as much as executing it: only when something changes.
    if (init.status === 200 && (corrupts || text.includes('"data":null'))) {
      const parsed = JSON.parse(text) as { data?: Record<string, unknown> | null };
      // graph-node leaves `data` out when execution failed.
      if (parsed.data === null) delete parsed.data;
      for (const fault of active) if (fault.kind === 'malformed-rows' && parsed.data) corruptRows(parsed.data, fault);
      text = JSON.stringify(parsed);
    }
    reply(res, init.status, { 'content-type': 'application/json' }, text);
  }

  function routeOf(url: string): { kind: SubgraphKind } | { gatewayError: string } | undefined {
    const path = url.split('?')[0]!;
    const named = /^\/subgraphs\/name\/([\w-]+)\/?$/.exec(path);
    if (named) {
      const kind = SUBGRAPH_KINDS.find((k) => k === named[1]);
      return kind ? { kind } : undefined;
    }
    const gateway = /^\/api\/([^/]+)\/subgraphs\/id\/([^/]+)\/?$/.exec(path);
    if (!gateway) return undefined;
    if (gateway[1] !== apiKey) return { gatewayError: GATEWAY_MESSAGES.auth };
    const kind = ids.get(gateway[2]!);
    return kind ? { kind } : { gatewayError: GATEWAY_MESSAGES.noAllocations };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => { resolve(); });
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? '127.0.0.1';
  const idOf = (kind: SubgraphKind) => [...ids.entries()].find(([, k]) => k === kind)![0];
  return {
    port,
    apiKey,
    faults,
    requests,
    url: (kind) => `http://${host}:${port}/subgraphs/name/${kind}`,
    gatewayUrl: (kind, key = apiKey) => `http://${host}:${port}/api/${key}/subgraphs/id/${idOf(kind)}`,
    subgraphId: idOf,
    state: (kind) => states.get(kind)!,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => { resolve(); });
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => { resolve(Buffer.concat(chunks).toString('utf8')); });
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, headers);
  res.end(body);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  reply(res, status, { 'content-type': 'application/json' }, JSON.stringify(value));
}
