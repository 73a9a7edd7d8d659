// Prepared statements on node-postgres, shared by the pool and by transactions' connections.
// Reused statements are named, so each pooled connection parses and plans them once.

import pg from 'pg';
import { compileQuery } from '../compiled-query.ts';
import { type DialectAdapter, queryFailed, type RawRows } from '../dialect-adapter.ts';
import { type QueryTiming, statementKind } from '../query-timing.ts';
import { mapPostgresError } from './postgres-errors.ts';

const { builtins } = pg.types;
/** Dates and times stay text: row-reader.ts normalizes them, with no time zone of the process involved. */
const TEXT_TYPES = new Set<number>([
  builtins.TIMESTAMPTZ,
  builtins.TIMESTAMP,
  builtins.DATE,
  builtins.INTERVAL,
]);
const asText = (value: string) => value;
const RAW_DATES = {
  getTypeParser: ((oid: number, format?: string) =>
    TEXT_TYPES.has(oid)
      ? asText
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

let statementCounter = 0;

/** Names are per connection and at most 63 bytes; a process-wide counter keeps them unique and short. */
function nextStatementName(): string {
  statementCounter += 1;
  return `specstack_${statementCounter}`;
}

/**
 * `named` is false for a transaction's connection: its repositories live only as long as the
 * transaction, and named statements would pile up on the pooled connection.
 */
export function postgresAdapter(
  queryable: pg.Pool | pg.PoolClient,
  db: unknown,
  named: boolean,
  timing: QueryTiming,
): DialectAdapter {
  return {
    dialect: 'postgres',
    db,
    prepare(query, reusable) {
      const compiled = compileQuery(query);
      const name = named && reusable ? nextStatementName() : undefined;
      let columns: string[] = [];
      const kind = statementKind(compiled.sql);
      return async (params): Promise<RawRows> => {
        let result: pg.QueryArrayResult;
        const observer = timing.observer;
        const started = observer ? performance.now() : 0;
        try {
          result = await queryable.query({
            ...(name ? { name } : {}),
            text: compiled.sql,
            values: compiled.bind(params),
            rowMode: 'array',
            types: RAW_DATES,
          });
        } catch (error) {
          observer?.(kind, (performance.now() - started) / 1000, true);
          throw queryFailed(error, compiled.sql);
        }
        observer?.(kind, (performance.now() - started) / 1000, false);
        // The same statement answers the same columns every time: named once.
        if (columns.length !== result.fields.length) columns = result.fields.map((f) => f.name);
        return { columns, rows: result.rows };
      };
    },
    mapError: mapPostgresError,
  };
}
