import type { SubgraphKind } from '../market/market';

/** What can go wrong with one request, as clients of The Graph see it go wrong. */
export type Fault =
  /** HTTP 429 with Retry-After (seconds). */
  | { readonly kind: 'rate-limited'; readonly retryAfterSeconds: number }
  /** HTTP 5xx with a plain body. */
  | { readonly kind: 'server-error'; readonly status: number }
  /** The answer comes late. */
  | { readonly kind: 'slow'; readonly delayMs: number }
  /** No answer at all until the client gives up (or the server closes). */
  | { readonly kind: 'hang' }
  /** The gateway's failure delivered as HTTP 200 with an `errors` array. */
  | { readonly kind: 'gateway-error'; readonly message: string }
  /**
   * Rows of each list get a BigDecimal that is not a number, lose a field, or get `value` in it:
   * every `every`-th row, or the one row at index `at` (negative counts from the end: -1 is last).
   */
  | { readonly kind: 'malformed-rows'; readonly field: string; readonly mode: 'not-a-number' | 'missing' | 'value'; readonly value?: string; readonly every?: number; readonly at?: number }
  /** `id_gt` acts as `id_gte`: the last row of the previous page comes back on the next. */
  | { readonly kind: 'repeat-rows' }
  /** The indexed head moves forward by `blocks` after the request: `_meta` changes between pages. */
  | { readonly kind: 'head-advances'; readonly blocks: number }
  /** The request is served by an indexer `blocks` behind the head. */
  | { readonly kind: 'head-behind'; readonly blocks: number };

/** Typical gateway messages (from the gateway's source and docs). */
export const GATEWAY_MESSAGES = {
  auth: 'auth error: invalid API key',
  noAllocations: 'subgraph not found: no allocations',
  noIndexers: 'no indexers found',
  badIndexers: (missing: number, latest: number) =>
    `bad indexers: {0x3f8e4c2b7a9d1e6f5c4b3a29180f7e6d5c4b3a29: Timeout, 0x9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b: Unavailable(missing block: ${missing}, latest: ${latest}), 0x1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e: BadResponse}`,
} as const;

export interface FaultRule {
  readonly fault: Fault;
  /** Only requests to this subgraph (default: all). */
  readonly subgraph?: SubgraphKind;
  /** Matching requests to let through first. */
  readonly skip?: number;
  /** Matching requests it applies to, then it is spent (default: every one). */
  readonly times?: number;
  /** Only every `every`-th matching request (after `skip`), e.g. 3: the 3rd, 6th, 9th... */
  readonly every?: number;
}

/** Fault rules applied in order to each request, counting down their skip and times. */
export class FaultPlan {
  private rules: { rule: FaultRule; skip: number; times: number; seen: number }[] = [];

  add(rule: FaultRule): this {
    this.rules.push({ rule, skip: rule.skip ?? 0, times: rule.times ?? Infinity, seen: 0 });
    return this;
  }

  clear(): void {
    this.rules = [];
  }

  /** The faults for the next request to `subgraph` (consumes them). */
  take(subgraph: SubgraphKind | undefined): Fault[] {
    const faults: Fault[] = [];
    for (const entry of this.rules) {
      if (entry.rule.subgraph && entry.rule.subgraph !== subgraph) continue;
      if (entry.skip > 0) {
        entry.skip--;
        continue;
      }
      if (entry.times <= 0) continue;
      entry.seen++;
      if (entry.rule.every !== undefined && entry.seen % entry.rule.every !== 0) continue;
      entry.times--;
      faults.push(entry.rule.fault);
    }
    return faults;
  }
}

/** Applies a malformed-rows fault to a response's data (in place). */
export function corruptRows(data: Record<string, unknown>, fault: Extract<Fault, { kind: 'malformed-rows' }>): void {
  for (const value of Object.values(data)) {
    if (!Array.isArray(value)) continue;
    const at = fault.at === undefined ? undefined : fault.at < 0 ? value.length + fault.at : fault.at;
    value.forEach((row: Record<string, unknown>, i) => {
      const chosen = at !== undefined ? i === at : (i + 1) % (fault.every ?? 1) === 0;
      if (!chosen || !(fault.field in row)) return;
      if (fault.mode === 'missing') Reflect.deleteProperty(row, fault.field);
      else row[fault.field] = fault.mode === 'value' ? (fault.value ?? '') : 'not-a-number';
    });
  }
}
