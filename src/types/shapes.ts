// The views of a generated schema type, mirroring http/schema-views.ts at compile time: what a
// request carries, what a response may hold, what a table row is. openapi-typescript marks readOnly
// properties `$Read<T>` and writeOnly ones `$Write<T>`; these types read the marks structurally.

type ReadMark<T = unknown> = { readonly $read: T };
type WriteMark<T = unknown> = { readonly $write: T };

/** Flattens an intersection into one object type, so editors show its properties. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** No keys at all: reading any property of it is a compile error. */
export type Empty = Record<never, never>;

type Marked<T, Mark> = NonNullable<T> extends Mark ? true : false;

/** A request body: readOnly properties absent (the server refuses them), writeOnly ones plain. */
export type RequestShape<T> = T extends ReadMark
  ? never
  : T extends WriteMark<infer U>
    ? RequestShape<U>
    : T extends readonly (infer E)[]
      ? RequestShape<E>[]
      : T extends object
        ? { [K in keyof T as Marked<T[K], ReadMark> extends true ? never : K]: RequestShape<T[K]> }
        : T;

/**
 * A response body: readOnly properties plain, writeOnly ones optional (the serializer drops them,
 * so returning a row that still holds a password hash is fine and never leaks it).
 */
export type ResponseShape<T> =
  T extends ReadMark<infer U>
    ? ResponseShape<U>
    : T extends WriteMark<infer U>
      ? ResponseShape<U>
      : T extends readonly (infer E)[]
        ? ResponseShape<E>[]
        : T extends object
          ? Simplify<
              {
                [K in keyof T as Marked<T[K], WriteMark> extends true ? never : K]: ResponseShape<
                  T[K]
                >;
              } & {
                [K in keyof T as Marked<T[K], WriteMark> extends true ? K : never]?: ResponseShape<
                  T[K]
                >;
              }
            >
          : T;

/** Every mark removed: the value as the server itself holds it. */
export type Unmarked<T> =
  T extends ReadMark<infer U>
    ? Unmarked<U>
    : T extends WriteMark<infer U>
      ? Unmarked<U>
      : T extends readonly (infer E)[]
        ? Unmarked<E>[]
        : T extends object
          ? { [K in keyof T]: Unmarked<T[K]> }
          : T;

/**
 * A row as a TableRepository returns it: every column present (writeOnly ones too: the row is the
 * server's), a property the schema does not require is NULL when unset.
 */
export type RowShape<T> = {
  [K in keyof T]-?: object extends Pick<T, K>
    ? Unmarked<Exclude<T[K], undefined>> | null
    : Unmarked<T[K]>;
};

/**
 * What TableRepository.insert takes: every column (readOnly ones too: server code sets owner
 * columns), `Optional` being those the database or repository fills (keys, x-timestamp columns,
 * defaults) or leaves NULL.
 */
export type InsertShape<Row, Optional extends PropertyKey> = Simplify<
  { [K in keyof Row as K extends Optional ? never : K]: Row[K] } & {
    [K in keyof Row as K extends Optional ? K : never]?: Row[K];
  }
>;

/** Row and insert types of one x-tablename schema. */
export interface TableShape<Schema, Optional extends PropertyKey> {
  row: RowShape<Schema>;
  insert: InsertShape<RowShape<Schema>, Optional>;
}
