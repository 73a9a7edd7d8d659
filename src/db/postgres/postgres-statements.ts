// Prepared statements on node-postgres, shared by the pool and by transactions' connections.
// Reused statements are named, so each pooled connection parses and plans them once.

import pg from 'pg';
import { compileQuery } from '../compiled-query.ts';
import { type DialectAdapter, queryFailed, type RawRows } from '../dialect-adapter.ts';
import { type QueryObserver, type QueryTiming, statementKind } from '../query-timing.ts';
import { mapPostgresError } from './postgres-errors.ts';

const { builtins } = pg.types;
/**
 * Types that stay text, for row-reader.ts to convert: dates and times (normalized with no time zone
 * of the process involved) and bigints (made numbers; pg's own parser checks each one's digits
 * with a regular expression first, to hand back the same text).
 */
const TEXT_TYPES = new Set<number>([
  builtins.TIMESTAMPTZ,
  builtins.TIMESTAMP,
  builtins.DATE,
  builtins.INTERVAL,
  builtins.INT8,
]);
const asText = (value: string) => value;
const RAW_TEXT_TYPES = {
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

/** What the adapter runs its statements on: the pool, a transaction's connection, or a guard of one. */
export interface Queryable {
  query(config: pg.QueryArrayConfig): Promise<pg.QueryArrayResult>;
}

/**
 * `named` is false for a transaction's connection: its repositories live only as long as the
 * transaction, and named statements would pile up on the pooled connection.
 */
export function postgresAdapter(
  queryable: Queryable,
  db: unknown,
  named: boolean,
  timing: QueryTiming,
): DialectAdapter {
  return {
    dialect: 'postgres',
    db,
    prepare(query, reusable) {
      const compiled = compileQuery(query);
      // node-postgres copies every own property of a query config on each call (its
      // normalizeQueryConfig), keeping the prototype: what never changes lives on a prototype, and
      // each run's config owns only its values.
      const statement: pg.QueryArrayConfig = {
        ...(named && reusable ? { name: nextStatementName() } : {}),
        text: compiled.sql,
        rowMode: 'array',
        types: RAW_TEXT_TYPES,
      };
      let columns: string[] = [];
      const kind = statementKind(compiled.sql);
      // The same statement answers the same columns every time: named once.
      const rawRows = (result: pg.QueryArrayResult): RawRows => {
        if (columns.length !== result.fields.length) columns = result.fields.map((f) => f.name);
        return { columns, rows: result.rows };
      };
      const failed = (error: unknown) => {
        throw queryFailed(error, compiled.sql);
      };
      /** With metrics on: the same run, its duration told to the observer. */
      const timed = (config: pg.QueryArrayConfig, observer: QueryObserver) => {
        const started = performance.now();
        const seconds = () => (performance.now() - started) / 1000;
        return queryable.query(config).then(
          (result) => {
            observer(kind, seconds(), false);
            return rawRows(result);
          },
          (error: unknown) => {
            observer(kind, seconds(), true);
            return failed(error);
          },
        );
      };
      return (params): Promise<RawRows> => {
        const config = Object.create(statement) as pg.QueryArrayConfig;
        try {
          config.values = compiled.bind(params);
          const observer = timing.observer;
          return observer ? timed(config, observer) : queryable.query(config).then(rawRows, failed);
        } catch (error) {
          return Promise.reject(queryFailed(error, compiled.sql));
        }
      };
    },
    mapError: mapPostgresError,
  };
}
