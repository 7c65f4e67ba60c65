import { GraphQLError } from 'graphql';
import type { Entity, ListHint } from './market_source';
import type { EntityMetas } from './schema_meta';
import { compareValues, matchesWhere } from './where_filter';

export const MAX_FIRST = 1000;
export const MAX_SKIP = 5000;

export interface CollectionArgs {
  readonly first: number;
  readonly skip: number;
  readonly orderBy?: string;
  readonly orderDirection?: 'asc' | 'desc';
  readonly where?: Readonly<Record<string, unknown>>;
}

/** graph-node's limits, with its messages. */
export function checkRange(args: CollectionArgs): void {
  if (args.first < 0 || args.first > MAX_FIRST) throw new GraphQLError(`The \`first\` argument must be between 0 and ${MAX_FIRST}, but is ${args.first}`);
  if (args.skip < 0 || args.skip > MAX_SKIP) throw new GraphQLError(`The \`skip\` argument must be between 0 and ${MAX_SKIP}, but is ${args.skip}`);
}

/** Filter, order (ties broken by id, as graph-node does), skip and take. */
export function runCollection(rows: readonly Entity[], args: CollectionArgs, type: string, metas: EntityMetas): Entity[] {
  checkRange(args);
  const fields = metas.get(type)!;
  const where = args.where;
  const kept = where ? rows.filter((row) => matchesWhere(row, where, type, metas)) : [...rows];
  const orderBy = args.orderBy ?? 'id';
  const field = fields.get(orderBy);
  if (!field) throw new GraphQLError(`Ordering by \`${orderBy}\` is not supported for type \`${type}\``);
  const sign = args.orderDirection === 'desc' ? -1 : 1;
  const idKind = fields.get('id')!.kind;
  const key = (row: Entity) => (field.kind === 'entity' ? (row[orderBy] as Entity | undefined)?.id : row[orderBy]);
  kept.sort((a, b) => sign * (compareValues(key(a), key(b), field.kind === 'entity' ? 'String' : field.kind) || compareValues(a.id, b.id, idKind)));
  return kept.slice(args.skip, args.skip + args.first);
}

/**
 * What a top-level `where` says about time and pools, so the source need not build entities the
 * filter would drop anyway. Anything under `or` is left to the filter.
 */
export function hintFromWhere(where: Readonly<Record<string, unknown>> | undefined, timeField: string | undefined, refField: string | undefined): ListHint {
  if (!where) return {};
  let fromTime: number | undefined;
  let toTime: number | undefined;
  const raise = (v: number) => (fromTime = fromTime === undefined ? v : Math.max(fromTime, v));
  const lower = (v: number) => (toTime = toTime === undefined ? v : Math.min(toTime, v));
  if (timeField) {
    const exact = where[timeField];
    if (typeof exact === 'number') {
      raise(exact);
      lower(exact);
    }
    const num = (k: string) => (typeof where[`${timeField}${k}`] === 'number' ? (where[`${timeField}${k}`] as number) : undefined);
    const gte = num('_gte');
    const gt = num('_gt');
    const lte = num('_lte');
    const lt = num('_lt');
    if (gte !== undefined) raise(gte);
    if (gt !== undefined) raise(gt + 1);
    if (lte !== undefined) lower(lte);
    if (lt !== undefined) lower(lt - 1);
    const inList = where[`${timeField}_in`];
    if (Array.isArray(inList) && inList.length > 0) {
      raise(Math.min(...(inList as number[])));
      lower(Math.max(...(inList as number[])));
    }
  }
  let poolIds: Set<string> | undefined;
  if (refField) {
    const one = where[refField];
    const many = where[`${refField}_in`];
    if (typeof one === 'string') poolIds = new Set([one.toLowerCase()]);
    else if (Array.isArray(many)) poolIds = new Set((many as string[]).map((s) => s.toLowerCase()));
  }
  return { fromTime, toTime, poolIds };
}
