import { getNamedType, isListType, isNonNullType, isObjectType, type GraphQLOutputType, type GraphQLSchema } from 'graphql';

export type ValueKind = 'Int' | 'BigInt' | 'BigDecimal' | 'String' | 'ID' | 'Bytes' | 'Boolean' | 'entity';

export interface FieldMeta {
  readonly kind: ValueKind;
  /** The referenced entity type, for kind 'entity'. */
  readonly entity?: string;
}

/** Field kinds of every entity type (object types with an `id`), read off the served schema. */
export type EntityMetas = ReadonlyMap<string, ReadonlyMap<string, FieldMeta>>;

export function entityMetas(schema: GraphQLSchema): EntityMetas {
  const metas = new Map<string, Map<string, FieldMeta>>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('_') || type === schema.getQueryType()) continue;
    const fields = type.getFields();
    if (!('id' in fields)) continue;
    const meta = new Map<string, FieldMeta>();
    for (const [name, field] of Object.entries(fields)) {
      const named = getNamedType(field.type);
      meta.set(name, isObjectType(named) ? { kind: 'entity', entity: named.name } : { kind: named.name as ValueKind });
    }
    metas.set(type.name, meta);
  }
  return metas;
}

/** The entity type a Query field returns, and whether it is a collection. */
export function queryFieldTarget(type: GraphQLOutputType): { entity: string; list: boolean } {
  const inner = isNonNullType(type) ? type.ofType : type;
  return { entity: getNamedType(type).name, list: isListType(inner) };
}
