import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  defaultFieldResolver,
  GraphQLError,
  Kind,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import type { SubgraphKind } from '../market/market';
import type { ChainClock } from './chain_clock';
import { hintFromWhere, runCollection, type CollectionArgs } from './collection';
import type { BlockView, Entity, EntitySource } from './market_source';
import { entityMetas, queryFieldTarget, type EntityMetas } from './schema_meta';

export const SCHEMA_DIR = join(__dirname, 'schemas');

const SCHEMA_FILES: Record<SubgraphKind, string> = {
  'uniswap-v3': 'uniswap-v3.query.graphql',
  'sushiswap-v2': 'sushiswap-v2.query.graphql',
  'sushiswap-v3': 'sushiswap-v3.query.graphql',
};

/** Time field and pool reference of each entity type, for narrowing listings. */
const TIME_FIELDS: Readonly<Record<string, string>> = { PoolHourData: 'periodStartUnix', PairHourData: 'hourStartUnix', PoolDayData: 'date', PairDayData: 'date' };
const POOL_FIELDS: Readonly<Record<string, string>> = { PoolHourData: 'pool', PairHourData: 'pair', PoolDayData: 'pool', Pool: 'id', Pair: 'id' };

export interface LoadedSchema {
  readonly schema: GraphQLSchema;
  readonly metas: EntityMetas;
}

const schemaCache = new Map<SubgraphKind, LoadedSchema>();

/** The query schema a subgraph serves, from the SDL files kept beside this module. */
export function loadSubgraphSchema(kind: SubgraphKind): LoadedSchema {
  let loaded = schemaCache.get(kind);
  if (!loaded) {
    const schema = buildSchema(readFileSync(join(SCHEMA_DIR, SCHEMA_FILES[kind]), 'utf8'));
    loaded = { schema, metas: entityMetas(schema) };
    schemaCache.set(kind, loaded);
  }
  return loaded;
}

/** What one subgraph deployment is right now: its data, head, pruning horizon and health. */
export interface SubgraphState {
  readonly kind: SubgraphKind;
  readonly deployment: string;
  readonly source: EntitySource;
  readonly clock: ChainClock;
  /** Latest indexed block. */
  headBlock: number;
  /** Oldest block still queryable (history before it is pruned). */
  earliestBlock: number;
  /** A non-fatal indexing error: data only with `subgraphError: allow`. */
  indexingErrors: boolean;
}

/** Per-request view: faults can make one request see another head or repeat page boundaries. */
export type RequestContext = {
  readonly state: SubgraphState;
  readonly loaded: LoadedSchema;
  readonly headBlock: number;
  readonly repeatBoundaryRows: boolean;
};

interface BlockArg {
  number?: number;
  number_gte?: number;
  hash?: string;
}

/** The block a field reads at, or graph-node's error for a block it cannot serve. */
export function resolveBlock(block: BlockArg | undefined, ctx: RequestContext): BlockView {
  const { state } = ctx;
  const head = ctx.headBlock;
  const view = (n: number): BlockView => ({ number: n, time: state.clock.timeOf(n) });
  if (!block) return view(head);
  let n: number;
  if (block.hash !== undefined) {
    const found = state.clock.blockOfHash(block.hash);
    if (found === undefined) throw new GraphQLError(`Failed to decode \`block.hash\` value: \`no block with that hash found\``);
    n = found;
  } else if (block.number !== undefined) {
    n = block.number;
  } else if (block.number_gte !== undefined) {
    if (block.number_gte > head) throw notYetIndexed(state, head, block.number_gte);
    return view(head);
  } else {
    return view(head);
  }
  if (n > head) throw notYetIndexed(state, head, n);
  if (n < state.earliestBlock) {
    throw new GraphQLError(`subgraph ${state.deployment} only has data starting at block number ${state.earliestBlock} and data for block number ${n} is therefore not available`);
  }
  return view(n);
}

function notYetIndexed(state: SubgraphState, head: number, n: number): GraphQLError {
  return new GraphQLError(`Failed to decode \`block.number\` value: \`subgraph ${state.deployment} has only indexed up to block number ${head} and data for block number ${n} is therefore not yet available\``);
}

/** Resolves Query fields against the entity source; nested fields read the entity objects. */
export const subgraphFieldResolver: GraphQLFieldResolver<unknown, RequestContext, Record<string, unknown>> = (source, args, ctx, info) => {
  if (info.parentType !== info.schema.getQueryType()) return defaultFieldResolver(source, args, ctx, info);
  const at = resolveBlock(args.block as BlockArg | undefined, ctx);
  if (info.fieldName === '_meta') {
    return {
      block: { number: at.number, timestamp: at.time, hash: ctx.state.clock.hashOf(at.number), parentHash: ctx.state.clock.hashOf(at.number - 1) },
      deployment: ctx.state.deployment,
      hasIndexingErrors: ctx.state.indexingErrors,
    };
  }
  const target = queryFieldTarget(info.returnType);
  if (!target.list) {
    const id = String(args.id).toLowerCase();
    return ctx.state.source.list(target.entity, at, POOL_FIELDS[target.entity] === 'id' ? { poolIds: new Set([id]) } : {}).find((e) => e.id.toLowerCase() === id) ?? null;
  }
  let where = args.where as Record<string, unknown> | undefined;
  if (ctx.repeatBoundaryRows && where && 'id_gt' in where) {
    // Fault: the cursor boundary row comes back again, as a lagging replica can do.
    const { id_gt: boundary, ...rest } = where;
    where = { ...rest, id_gte: boundary };
  }
  const collectionArgs: CollectionArgs = {
    first: args.first as number,
    skip: args.skip as number,
    orderBy: args.orderBy as string | undefined,
    orderDirection: args.orderDirection as 'asc' | 'desc' | undefined,
    where,
  };
  const rows: Entity[] = ctx.state.source.list(target.entity, at, hintFromWhere(where, TIME_FIELDS[target.entity], POOL_FIELDS[target.entity]));
  return runCollection(rows, collectionArgs, target.entity, ctx.loaded.metas);
};

/**
 * graph-node's answer when the subgraph has a non-fatal indexing error and the query itself
 * succeeded: an `indexing_error` is added; under the default `subgraphError: deny` only the
 * `_meta` (and introspection) fields keep their data.
 */
export function applyIndexingErrorPolicy(result: ExecutionResult, document: DocumentNode, variables: Readonly<Record<string, unknown>> | undefined): ExecutionResult {
  if (result.errors && result.errors.length > 0) return result;
  const errors = [new GraphQLError('indexing_error')];
  if (queryAllowsErrors(document, variables)) return { ...result, errors };
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(result.data ?? {})) {
    if (keepsDataUnderDeny(document, key)) data[key] = value;
  }
  return { data, errors };
}

function topLevelFields(document: DocumentNode) {
  return document.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? d.selectionSet.selections : [])).filter((s) => s.kind === Kind.FIELD);
}

function queryAllowsErrors(document: DocumentNode, variables: Readonly<Record<string, unknown>> | undefined): boolean {
  return topLevelFields(document).some((field) =>
    (field.arguments ?? []).some((arg) => {
      if (arg.name.value !== 'subgraphError') return false;
      if (arg.value.kind === Kind.ENUM) return arg.value.value === 'allow';
      if (arg.value.kind === Kind.VARIABLE) return variables?.[arg.value.name.value] === 'allow';
      return false;
    }),
  );
}

function keepsDataUnderDeny(document: DocumentNode, responseKey: string): boolean {
  const field = topLevelFields(document).find((f) => (f.alias?.value ?? f.name.value) === responseKey);
  return field !== undefined && ['_meta', '__schema', '__type'].includes(field.name.value);
}
