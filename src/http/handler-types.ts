// What a handler receives and may return. Handlers are plain functions exported from the app's
// handlers/ folder, found by operationId or by `x-handler: module#export`; `defineHandler` types
// one from the operation's generated types (`specstack types`) and tags it with its operationId.

import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthHelpers, Principal } from '../auth/principal.ts';
import type { Config } from '../config.ts';
import type { Database, TableTypes, UntypedTables } from '../db/database.ts';
import type { JobsClient } from '../jobs/job-types.ts';
import type { OperationTypes } from '../types/operation-types.ts';
import type { Operation } from './operations.ts';

export interface HandlerContext<
  Params = Record<string, unknown>,
  Query = Record<string, unknown>,
  Body = unknown,
  Headers = Record<string, unknown>,
  Cookies = Record<string, unknown>,
  Tables extends TableTypes = UntypedTables,
> {
  /** Path parameters, coerced to their schema types. */
  params: Params;
  query: Query;
  /** Every request header at run time; typed handlers see the declared header parameters. */
  headers: Headers;
  /** The cookies the spec declares as parameters (cookies are parsed only when it declares some). */
  cookies: Cookies;
  /** The validated body (readOnly properties were refused). */
  body: Body;
  /**
   * The request's database. Its transactions roll back when `signal` aborts: nothing a handler
   * writes in one after its time limit commits.
   */
  db: Database<Tables>;
  /**
   * Aborts when the request's time limit (SPECSTACK_HANDLER_TIMEOUT) has passed and the client has
   * been answered 503: stop the work (pass it to fetch, check `signal.aborted` in loops). Its
   * `reason` is the SPECSTACK_ERR_HANDLER_TIMEOUT error.
   */
  signal: AbortSignal;
  config: Config;
  log: FastifyBaseLogger;
  /** The authenticated caller, when the operation's security let one in. */
  principal?: Principal;
  /** Token issue for handlers that sign users in. */
  auth: AuthHelpers;
  /** Enqueues background jobs (pass `{ transaction: tx }` to commit them with the request's writes). */
  jobs: JobsClient;
  operation: Operation;
  request: FastifyRequest;
  reply: FastifyReply;
}

const RESPONSE = Symbol('specstack.response');

/** A handler's answer with an explicit status and headers; a plain return value is the body of the first 2xx. */
export interface HandlerResponse<Status extends number = number, Body = unknown> {
  readonly [RESPONSE]: true;
  status: Status;
  body?: Body;
  headers?: Record<string, string>;
}

/** One HandlerResponse per status, so `respond(created ? 201 : 200, row)` matches both declared ones. */
type ResponseFor<Status extends number, Body> = Status extends number
  ? HandlerResponse<Status, Body>
  : never;

export function respond<Status extends number, Body = undefined>(
  status: Status,
  body?: Body,
  headers?: Record<string, string>,
): ResponseFor<Status, Body> {
  const response: HandlerResponse = { [RESPONSE]: true, status, body, headers };
  return response as ResponseFor<Status, Body>;
}

export function isHandlerResponse(value: unknown): value is HandlerResponse {
  return typeof value === 'object' && value !== null && RESPONSE in value;
}

// biome-ignore lint/suspicious/noExplicitAny: the server calls every handler with its own context.
export type Handler = (context: HandlerContext<any, any, any, any, any, any>) => unknown;

/** The context of one operation, typed from its generated OperationTypes and the app's tables. */
export type OperationContext<
  Op extends OperationTypes,
  Tables extends TableTypes = UntypedTables,
> = HandlerContext<Op['params'], Op['query'], Op['body'], Op['headers'], Op['cookies'], Tables>;

/** `default` and `4XX` stand for every status the operation does not list. */
type StatusOf<Key> = Key extends number
  ? Key
  : Key extends `${infer N extends number}`
    ? N
    : number;

type ResponseOf<Op extends OperationTypes> = {
  [S in keyof Op['responses']]: HandlerResponse<StatusOf<S>, Op['responses'][S]>;
}[keyof Op['responses']];

type SuccessBody<Op extends OperationTypes> = Op['success'] extends keyof Op['responses']
  ? Op['responses'][Op['success']]
  : never;

/**
 * What a typed handler may return: the body of its first 2xx, or `respond(status, body)` with a
 * declared status and that status's body (`undefined` and no return when the status has no content).
 */
export type HandlerResult<Op extends OperationTypes> =
  // biome-ignore lint/suspicious/noConfusingVoidType: a handler with nothing to say returns nothing.
  (undefined extends SuccessBody<Op> ? SuccessBody<Op> | void : SuccessBody<Op>) | ResponseOf<Op>;

export type TypedHandler<Op extends OperationTypes, Tables extends TableTypes = UntypedTables> = (
  context: OperationContext<Op, Tables>,
) => HandlerResult<Op> | Promise<HandlerResult<Op>>;

/** `handler('getMovie', async (context) => …)`, bound by the generated types file to the app's operations. */
export type HandlerFactory<
  Operations extends { [Id in keyof Operations]: OperationTypes },
  Tables extends TableTypes = UntypedTables,
> = <Id extends keyof Operations & string>(
  operationId: Id,
  handler: NoInfer<TypedHandler<Operations[Id], Tables>>,
) => TypedHandler<Operations[Id], Tables>;

const OPERATION_ID = Symbol.for('specstack.operationId');

/**
 * Returns the handler itself, tagged with the operationId it was typed for, so the server can
 * refuse to serve another operation with it (an export named for one operationId, typed for another).
 */
export function defineHandler<H extends (context: never) => unknown>(
  operationId: string,
  handler: H,
): H {
  Object.defineProperty(handler, OPERATION_ID, { value: operationId });
  return handler;
}

/** The operationId a handler was typed for by defineHandler, if it was. */
export function typedOperationId(handler: unknown): string | undefined {
  const tag = (handler as { [OPERATION_ID]?: unknown })[OPERATION_ID];
  return typeof tag === 'string' ? tag : undefined;
}
