// What a handler receives and may return. Handlers are plain functions exported from the app's
// handlers/ folder, found by operationId or by `x-handler: module#export`.

import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthHelpers, Principal } from '../auth/principal.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { JobsClient } from '../jobs/job-types.ts';
import type { Operation } from './operations.ts';

export interface HandlerContext<
  Params = Record<string, unknown>,
  Query = Record<string, unknown>,
  Body = unknown,
> {
  /** Path parameters, coerced to their schema types. */
  params: Params;
  query: Query;
  headers: Record<string, unknown>;
  /** The cookies the spec declares as parameters (cookies are parsed only when it declares some). */
  cookies: Record<string, unknown>;
  /** The validated body (readOnly properties were refused). */
  body: Body;
  db: Database;
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
export interface HandlerResponse {
  readonly [RESPONSE]: true;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function respond(
  status: number,
  body?: unknown,
  headers?: Record<string, string>,
): HandlerResponse {
  return { [RESPONSE]: true, status, body, headers };
}

export function isHandlerResponse(value: unknown): value is HandlerResponse {
  return typeof value === 'object' && value !== null && RESPONSE in value;
}

// biome-ignore lint/suspicious/noExplicitAny: handlers narrow their own context types.
export type Handler = (context: HandlerContext<any, any, any>) => unknown;
