// One operation's types as a handler sees them, derived from openapi-typescript's `operations`
// entry: parameters as coerced and defaulted, the body as validated, each response's body by status.

import type { Empty, RequestShape, ResponseShape, Simplify } from './shapes.ts';

/** What `specstack types` writes for each operationId; TypedHandler reads it. */
export interface OperationTypes {
  params: object;
  query: object;
  /** Declared header parameters, by lower-case name (as Node hands headers over). */
  headers: object;
  cookies: object;
  body: unknown;
  /** Response body by status: 200, 404, 'default', '4XX'. */
  responses: object;
  /** The response a plain return value is sent as: the operation's first 2xx (or `'2XX'`). */
  success: number | string;
}

/** The shape of an openapi-typescript `operations[id]` entry. */
interface GeneratedOperation {
  parameters: { query?: unknown; header?: unknown; path?: unknown; cookie?: unknown };
  requestBody?: unknown;
  responses: object;
}

type ParametersOf<T> = [NonNullable<T>] extends [never] ? Empty : NonNullable<T>;

/** Parameters whose schema has a default are always present: the validator fills them in. */
type Defaulted<T, Keys extends PropertyKey> = Simplify<
  Omit<T, Keys & keyof T> & Required<Pick<T, Keys & keyof T>>
>;

type LowerCaseKeys<T> = { [K in keyof T as K extends string ? Lowercase<K> : K]: T[K] };

type ContentOf<T> = T extends { content?: infer C } ? C : never;
type BodyOfContent<C> = [NonNullable<C>] extends [never]
  ? undefined
  : NonNullable<C>[keyof NonNullable<C>];

type RequestBodyOf<Op extends GeneratedOperation> = 'requestBody' extends keyof Op
  ? undefined extends Op['requestBody']
    ? RequestShape<BodyOfContent<ContentOf<NonNullable<Op['requestBody']>>>> | undefined
    : RequestShape<BodyOfContent<ContentOf<Op['requestBody']>>>
  : undefined;

type ResponsesOf<R> = { [S in keyof R]: ResponseShape<BodyOfContent<ContentOf<R[S]>>> };

/**
 * The handler's view of an openapi-typescript operation. `Success` and `WithDefault` come from the
 * generator, which reads the document: which 2xx a plain return value takes, which parameters have
 * a default.
 */
export interface SpecOperation<
  Op extends GeneratedOperation,
  Success extends number | string,
  WithDefault extends PropertyKey = never,
> {
  params: ParametersOf<Op['parameters']['path']>;
  query: Defaulted<ParametersOf<Op['parameters']['query']>, WithDefault>;
  headers: LowerCaseKeys<Defaulted<ParametersOf<Op['parameters']['header']>, WithDefault>>;
  cookies: Defaulted<ParametersOf<Op['parameters']['cookie']>, WithDefault>;
  body: RequestBodyOf<Op>;
  responses: ResponsesOf<Op['responses']>;
  success: Success;
}
