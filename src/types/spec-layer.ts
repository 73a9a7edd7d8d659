// specstack's part of the generated types: the Operations map by operationId and the Tables map
// by x-tablename schema, written as references into openapi-typescript's `operations` and
// `components`, with the facts only the document knows (which 2xx a plain return value takes,
// which parameters get a default, which columns an insert may leave out).

import { type Operation, successResponse } from '../http/operations.ts';
import type {
  ColumnDescription,
  ColumnType,
  ModelDescription,
  TableDescription,
} from '../model/table-description.ts';

const quote = (text: string) => JSON.stringify(text);
const union = (names: string[]) => (names.length > 0 ? names.map(quote).join(' | ') : 'never');

function defaultedParameters(operation: Operation): string[] {
  return operation.parameters
    .filter((parameter) => parameter.in !== 'path' && parameter.schema?.default !== undefined)
    .map((parameter) => parameter.name);
}

/**
 * The response a plain return value answers with, by the key the responses type has for it: the
 * server's choice (successResponse), named as the spec writes it (`201`, or a `"2XX"` range).
 */
function successKey(operation: Operation): string {
  const responses = operation.operation.responses ?? {};
  const success = successResponse(operation.operation);
  const key = Object.keys(responses).find((code) => responses[code] === success?.response);
  if (key === undefined) return '200';
  return /^\d+$/.test(key) ? key : quote(key);
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** Words an interface cannot be named: reserved words and the built-in type names. */
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends ' +
    'false finally for function if import in instanceof new null return super switch this throw ' +
    'true try typeof var void while with implements interface let package private protected ' +
    'public static yield any bigint boolean never number object string symbol undefined unknown'
  ).split(' '),
);
const interfaceName = (id: string) => IDENTIFIER.test(id) && !RESERVED.has(id);

/**
 * `Operations`: one entry per operation with an operationId (the others have no name to type by).
 * Each is an interface of the `Operation` namespace where the operationId is an identifier, so a
 * compile error names `HandlerResult<getMovie>` rather than the whole expanded type.
 */
export function operationsBlock(operations: readonly Operation[]): string {
  const named: string[] = [];
  const entries: string[] = [];
  for (const operation of operations) {
    const id = operation.operation.operationId;
    if (!id) continue;
    const success = successKey(operation);
    const defaulted = defaultedParameters(operation);
    const extra = defaulted.length > 0 ? `, ${union(defaulted)}` : '';
    const type = `SpecOperation<operations[${quote(id)}], ${success}${extra}>`;
    const comment = `  /** ${operation.method.toUpperCase()} ${operation.path} */`;
    if (interfaceName(id)) {
      named.push(comment, `  interface ${id} extends ${type} {}`);
      entries.push(comment, `  ${quote(id)}: Operation.${id};`);
    } else {
      entries.push(comment, `  ${quote(id)}: ${type};`);
    }
  }
  return [
    "/** The handler's view of each operation, by operationId. */",
    'export declare namespace Operation {',
    ...named,
    '}',
    '',
    '/** Every operation by operationId, as a handler sees it. */',
    'export type Operations = {',
    ...entries,
    '};',
  ].join('\n');
}

/** The database (or repository) fills these in, or stores NULL, when an insert leaves them out. */
function optionalOnInsert(column: ColumnDescription, keyIsUuid: boolean): boolean {
  return (
    column.autoincrement ||
    column.timestamp !== undefined ||
    column.default !== undefined ||
    column.nullable ||
    (column.primaryKey && keyIsUuid)
  );
}

const COLUMN_TS: Record<ColumnType, string> = {
  integer: 'number',
  bigint: 'number',
  real: 'number',
  double: 'number',
  text: 'string',
  boolean: 'boolean',
  date: 'string',
  timestamp: 'string',
  uuid: 'string',
  binary: 'string',
  json: 'unknown',
};

/**
 * The schema a table's rows come from: relationship properties are no columns (the repository
 * reads and writes their foreign keys instead), and an association table has no schema at all.
 */
function rowSource(table: TableDescription): string {
  const implied = table.columns.filter((c) => c.implied);
  const columns = implied.map((c) =>
    c.nullable
      ? `${quote(c.name)}?: ${COLUMN_TS[c.type]} | null`
      : `${quote(c.name)}: ${COLUMN_TS[c.type]}`,
  );
  const extra = `{ ${columns.join('; ')} }`;
  if (table.association) return extra;
  const schema = `components["schemas"][${quote(table.schemaName)}]`;
  const relationships = table.relationships.filter((r) => !r.fromBackref).map((r) => r.property);
  for (const summary of table.summaries ?? []) relationships.push(summary.property);
  const own = relationships.length > 0 ? `Omit<${schema}, ${union(relationships)}>` : schema;
  return implied.length > 0 ? `${own} & ${extra}` : own;
}

/** `Tables`: row and insert types of each x-tablename schema, keyed by schema name. */
export function tablesBlock(model: ModelDescription): string {
  const lines = [
    '/** Row and insert types of each x-tablename schema, as `context.db.repository(name)` uses them. */',
    'export type Tables = {',
  ];
  for (const table of model.tables) {
    const keyIsUuid = table.columns.some((c) => c.primaryKey && c.type === 'uuid');
    const optional = table.columns.filter((c) => optionalOnInsert(c, keyIsUuid)).map((c) => c.name);
    lines.push(`  /** Table ${table.tableName} */`);
    lines.push(
      `  ${quote(table.schemaName)}: TableShape<${rowSource(table)}, ${union(optional)}>;`,
    );
  }
  lines.push('};');
  return lines.join('\n');
}

/** Aliases and the app-bound `handler`, so handlers import one file. */
export const BINDINGS = `/** The context of one operation's handler. */
export type Context<Id extends keyof Operations> = OperationContext<Operations[Id], Tables>;
/** The database with repositories typed by Tables. */
export type Db = Database<Tables>;
export type Tx = Transaction<Tables>;
/** A row of an x-tablename schema, as its repository returns it. */
export type Row<Name extends keyof Tables> = Tables[Name]["row"];
/** A schema as a response carries it (writeOnly properties optional). */
export type Schema<Name extends keyof components["schemas"]> = ResponseShape<components["schemas"][Name]>;

/** \`export const getMovie = handler('getMovie', async (context) => …)\`: a handler typed by the spec. */
export const handler: HandlerFactory<Operations, Tables> = defineHandler;`;

/** The imports the blocks use: an unused one would fail an app's `noUnusedLocals`. */
export function importsLine(operationsTyped: boolean, tablesTyped: boolean): string {
  const names = [
    'type Database',
    'defineHandler',
    'type HandlerFactory',
    'type OperationContext',
    'type ResponseShape',
    ...(operationsTyped ? ['type SpecOperation'] : []),
    ...(tablesTyped ? ['type TableShape'] : []),
    'type Transaction',
  ];
  return `import {\n${names.map((name) => `  ${name},`).join('\n')}\n} from 'specstack';`;
}
