// Compares prisma/schema.prisma with a migrated database and lists every difference: tables,
// columns, types, nullability, defaults and indexes. Prisma's own `migrate diff` needs the schema
// engine we cannot download, so this uses Prisma's WebAssembly schema parser (getDMMF) for the
// schema side and the PostgreSQL catalogs for the database side.

import { getDMMF } from '@prisma/get-dmmf';
import type { Queryable } from './pool';

interface SchemaColumn {
  table: string;
  column: string;
  type: string;
  nullable: boolean;
  hasDefault: boolean;
}

interface SchemaIndex {
  table: string;
  kind: 'primary' | 'unique' | 'index';
  columns: string[];
}

const SCALAR_TYPES: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Boolean: 'boolean',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Float: 'double precision',
  Decimal: 'numeric(65,30)',
  Bytes: 'bytea',
};

function nativeTypeName(nativeType: [string, string[]]): string {
  const [name, args] = nativeType;
  switch (name) {
    case 'Uuid':
      return 'uuid';
    case 'Char':
      return `character(${args[0] ?? 1})`;
    case 'VarChar':
      return args.length ? `character varying(${args[0]})` : 'character varying';
    case 'Timestamptz':
      return args.length === 0
        ? 'timestamp with time zone'
        : `timestamp(${args[0]}) with time zone`;
    case 'Timestamp':
      return args.length === 0
        ? 'timestamp without time zone'
        : `timestamp(${args[0]}) without time zone`;
    case 'Text':
      return 'text';
    case 'Inet':
      return 'inet';
    default:
      return name.toLowerCase();
  }
}

/** What schema.prisma says the database should contain. */
export async function describePrismaSchema(
  schemaText: string,
): Promise<{ columns: SchemaColumn[]; indexes: SchemaIndex[] }> {
  const parsed = await getDMMF({ datamodel: schemaText });
  if (!('datamodel' in parsed)) throw new Error(`schema.prisma does not parse: ${parsed.reason}`);
  const dmmf = parsed;
  const columns: SchemaColumn[] = [];
  const indexes: SchemaIndex[] = [];
  const tableOf = new Map<string, string>();
  const columnOf = new Map<string, string>();
  const enumNames = new Map(
    dmmf.datamodel.enums.map((item) => [item.name, item.dbName ?? item.name]),
  );
  for (const model of dmmf.datamodel.models) {
    const table = model.dbName ?? model.name;
    tableOf.set(model.name, table);
    for (const field of model.fields) {
      if (field.kind === 'object') continue;
      const column = field.dbName ?? field.name;
      columnOf.set(`${model.name}.${field.name}`, column);
      const elementType =
        field.kind === 'enum'
          ? (enumNames.get(field.type) ?? field.type)
          : field.nativeType
            ? nativeTypeName(field.nativeType as [string, string[]])
            : (SCALAR_TYPES[field.type] ?? field.type);
      columns.push({
        table,
        column,
        // A list field is a PostgreSQL array (never null: an empty list is an empty array).
        type: field.isList ? `${elementType}[]` : elementType,
        nullable: !field.isRequired && !field.isList,
        hasDefault: Boolean(field.hasDefaultValue || field.isUpdatedAt),
      });
    }
  }
  // Unsupported("...") fields are left out of the DMMF; read them from the schema text.
  let currentModel: string | undefined;
  for (const line of schemaText.split('\n')) {
    const model = /^model\s+(\w+)\s*\{/.exec(line);
    if (model) currentModel = model[1];
    const unsupported = /^\s*(\w+)\s+Unsupported\("([^"]+)"\)(\?)?(.*)$/.exec(line);
    if (unsupported && currentModel) {
      const [, name = '', type = '', optional, rest = ''] = unsupported;
      const column = /@map\("([^"]+)"\)/.exec(rest)?.[1] ?? name;
      columnOf.set(`${currentModel}.${name}`, column);
      columns.push({
        table: tableOf.get(currentModel) ?? currentModel,
        column,
        type,
        nullable: optional === '?',
        hasDefault: /@default\(/.test(rest),
      });
    }
  }
  for (const index of (
    dmmf.datamodel as unknown as {
      indexes: Array<{ model: string; type: string; fields: Array<{ name: string }> }>;
    }
  ).indexes) {
    const table = tableOf.get(index.model) ?? index.model;
    const kind = index.type === 'id' ? 'primary' : index.type === 'unique' ? 'unique' : 'index';
    indexes.push({
      table,
      kind,
      columns: index.fields.map(
        (field) => columnOf.get(`${index.model}.${field.name}`) ?? field.name,
      ),
    });
  }
  return { columns, indexes };
}

/** What the database actually contains (public schema, without Prisma's bookkeeping table). */
export async function describeDatabase(
  db: Queryable,
): Promise<{ columns: SchemaColumn[]; indexes: SchemaIndex[] }> {
  const columns = await db.query<{
    table: string;
    column: string;
    type: string;
    nullable: boolean;
    has_default: boolean;
  }>(
    `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
            NOT a.attnotnull AS nullable, (a.atthasdef OR a.attidentity <> '') AS has_default
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
        AND c.relname <> '_prisma_migrations'`,
  );
  const indexes = await db.query<{
    table: string;
    is_primary: boolean;
    is_unique: boolean;
    columns: string[];
  }>(
    `SELECT t.relname AS table, i.indisprimary AS is_primary, i.indisunique AS is_unique,
            array_agg(a.attname::text ORDER BY k.ordinality) AS columns
       FROM pg_index i
       JOIN pg_class t ON t.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ordinality) ON true
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
      WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations'
        -- Expression and partial indexes cannot be described in schema.prisma; they live in the
        -- SQL only.
        AND i.indexprs IS NULL AND i.indpred IS NULL
      GROUP BY i.indexrelid, t.relname, i.indisprimary, i.indisunique`,
  );
  return {
    columns: columns.rows.map((row) => ({
      table: row.table,
      column: row.column,
      type: row.type,
      nullable: row.nullable,
      hasDefault: row.has_default,
    })),
    indexes: indexes.rows.map((row) => ({
      table: row.table,
      kind: row.is_primary ? 'primary' : row.is_unique ? 'unique' : 'index',
      columns: row.columns,
    })),
  };
}

/** Human-readable differences between schema.prisma and the database; empty when they agree. */
export async function findSchemaDrift(db: Queryable, schemaText: string): Promise<string[]> {
  const [expected, actual] = await Promise.all([
    describePrismaSchema(schemaText),
    describeDatabase(db),
  ]);
  const differences: string[] = [];
  const key = (column: { table: string; column: string }) => `${column.table}.${column.column}`;
  const actualColumns = new Map(actual.columns.map((column) => [key(column), column]));
  const expectedColumns = new Map(expected.columns.map((column) => [key(column), column]));
  for (const column of expected.columns) {
    const found = actualColumns.get(key(column));
    if (!found) {
      differences.push(`column ${key(column)} is in schema.prisma but not in the database`);
      continue;
    }
    if (found.type !== column.type)
      differences.push(
        `column ${key(column)} is ${found.type} in the database but ${column.type} in schema.prisma`,
      );
    if (found.nullable !== column.nullable) {
      differences.push(
        `column ${key(column)} is ${found.nullable ? 'nullable' : 'NOT NULL'} in the database but ${column.nullable ? 'optional' : 'required'} in schema.prisma`,
      );
    }
    if (found.hasDefault !== column.hasDefault) {
      differences.push(
        `column ${key(column)} ${found.hasDefault ? 'has' : 'has no'} default in the database but ${column.hasDefault ? 'has one' : 'none'} in schema.prisma`,
      );
    }
  }
  for (const column of actual.columns) {
    if (!expectedColumns.has(key(column)))
      differences.push(`column ${key(column)} is in the database but not in schema.prisma`);
  }
  const indexKey = (index: SchemaIndex) =>
    `${index.kind} ${index.table}(${index.columns.join(', ')})`;
  const expectedIndexes = new Set(expected.indexes.map(indexKey));
  const actualIndexes = new Set(actual.indexes.map(indexKey));
  for (const index of expectedIndexes)
    if (!actualIndexes.has(index))
      differences.push(`${index} is in schema.prisma but not in the database`);
  for (const index of actualIndexes)
    if (!expectedIndexes.has(index))
      differences.push(`${index} is in the database but not in schema.prisma`);
  return differences.sort();
}
