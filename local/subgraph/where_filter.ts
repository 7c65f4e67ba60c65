import { GraphQLError } from 'graphql';
import type { Entity } from './market_source';
import type { EntityMetas, FieldMeta } from './schema_meta';

// Longest first, so `_not_in` is not read as `_in`.
const OPERATORS = [
  '_not_contains_nocase', '_not_starts_with_nocase', '_not_ends_with_nocase', '_contains_nocase', '_starts_with_nocase',
  '_ends_with_nocase', '_not_contains', '_not_starts_with', '_not_ends_with', '_starts_with', '_ends_with', '_contains',
  '_not_in', '_not', '_gte', '_lte', '_gt', '_lt', '_in',
] as const;
type Operator = (typeof OPERATORS)[number] | '';

/** Whether an entity passes a graph-node `where` filter (field operators, nested `x_`, and/or). */
export function matchesWhere(entity: Entity | undefined, where: Readonly<Record<string, unknown>>, type: string, metas: EntityMetas): boolean {
  if (!entity) return false;
  const fields = metas.get(type);
  if (!fields) throw new GraphQLError(`Entity type \`${type}\` is not known`);
  for (const [key, value] of Object.entries(where)) {
    if (key === '_change_block') continue;
    if (key === 'and' || key === 'or') {
      const parts = (value as Record<string, unknown>[] | null) ?? [];
      const results = parts.map((part) => matchesWhere(entity, part, type, metas));
      if (key === 'and' ? !results.every(Boolean) : !results.some(Boolean)) return false;
      continue;
    }
    if (key.endsWith('_') && fields.get(key.slice(0, -1))?.kind === 'entity') {
      const field = fields.get(key.slice(0, -1))!;
      if (!matchesWhere(entity[key.slice(0, -1)] as Entity | undefined, value as Record<string, unknown>, field.entity!, metas)) return false;
      continue;
    }
    const [name, op] = splitKey(key, fields);
    const field = fields.get(name)!;
    const actual = field.kind === 'entity' ? (entity[name] as Entity | undefined)?.id : entity[name];
    if (!test(actual, op, value, field)) return false;
  }
  return true;
}

function splitKey(key: string, fields: ReadonlyMap<string, FieldMeta>): [string, Operator] {
  for (const op of OPERATORS) {
    if (key.endsWith(op) && fields.has(key.slice(0, -op.length))) return [key.slice(0, -op.length), op];
  }
  if (fields.has(key)) return [key, ''];
  throw new GraphQLError(`Filter not supported by value \`${key}\``);
}

/** -1, 0 or 1 comparing two stored values of one field kind. */
export function compareValues(a: unknown, b: unknown, kind: FieldMeta['kind']): number {
  switch (kind) {
    case 'Int':
      return Math.sign(Number(a) - Number(b));
    case 'BigInt': {
      const x = BigInt(asText(a));
      const y = BigInt(asText(b));
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 'BigDecimal':
      return Math.sign(Number(a) - Number(b));
    case 'Boolean':
      return Number(a) - Number(b);
    default: {
      const x = normalise(a, kind);
      const y = normalise(b, kind);
      return x < y ? -1 : x > y ? 1 : 0;
    }
  }
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

function normalise(value: unknown, kind: FieldMeta['kind']): string {
  const s = asText(value);
  return kind === 'Bytes' || kind === 'entity' ? s.toLowerCase() : s;
}

function test(actual: unknown, op: Operator, expected: unknown, field: FieldMeta): boolean {
  if (actual === undefined || actual === null) return op === '_not' || op === '_not_in' ? expected !== null : expected === null && op === '';
  const kind = field.kind === 'entity' ? 'String' : field.kind;
  const cmp = (b: unknown) => compareValues(actual, b, kind);
  const text = asText(actual);
  const needle = asText(expected);
  switch (op) {
    case '':
      return cmp(expected) === 0;
    case '_not':
      return cmp(expected) !== 0;
    case '_gt':
      return cmp(expected) > 0;
    case '_lt':
      return cmp(expected) < 0;
    case '_gte':
      return cmp(expected) >= 0;
    case '_lte':
      return cmp(expected) <= 0;
    case '_in':
      return (expected as unknown[]).some((v) => cmp(v) === 0);
    case '_not_in':
      return !(expected as unknown[]).some((v) => cmp(v) === 0);
    case '_contains':
      return text.includes(needle);
    case '_not_contains':
      return !text.includes(needle);
    case '_contains_nocase':
      return text.toLowerCase().includes(needle.toLowerCase());
    case '_not_contains_nocase':
      return !text.toLowerCase().includes(needle.toLowerCase());
    case '_starts_with':
      return text.startsWith(needle);
    case '_not_starts_with':
      return !text.startsWith(needle);
    case '_starts_with_nocase':
      return text.toLowerCase().startsWith(needle.toLowerCase());
    case '_not_starts_with_nocase':
      return !text.toLowerCase().startsWith(needle.toLowerCase());
    case '_ends_with':
      return text.endsWith(needle);
    case '_not_ends_with':
      return !text.endsWith(needle);
    case '_ends_with_nocase':
      return text.toLowerCase().endsWith(needle.toLowerCase());
    case '_not_ends_with_nocase':
      return !text.toLowerCase().endsWith(needle.toLowerCase());
  }
}
