// One Fastify route per operation: request checks the schema cannot express (body presence,
// content type, cookies), the handler call, and the answer in the declared status and media type.

import type {} from '@fastify/cookie';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  preValidationHookHandler,
} from 'fastify';
import { type AuthHelpers, type SecurityCheck, securityHook } from '../auth/index.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { UNSUPPORTED_MEDIA_TYPE, VALIDATION } from '../errors.ts';
import type { JobsClient } from '../jobs/job-types.ts';
import { ifMatchCheck } from './auto-crud/conditional-requests.ts';
import type { CompileRoute, RouteHandler } from './auto-crud/crud-handlers.ts';
import { acceptCheck, responseTypeChooser } from './content-negotiation.ts';
import type { ErrorResponder } from './error-responses.ts';
import { requestDatabase, type SignalledHandler, timeLimited } from './handler-time-limit.ts';
import { type Handler, isHandlerResponse } from './handler-types.ts';
import { multipartHook } from './multipart/multipart-body.ts';
import { type Operation, successResponse } from './operations.ts';
import { parameterStyleSplitter } from './parameter-styles.ts';
import { fieldErrors, summarize } from './request-errors.ts';
import { parametersSchema, routeSchema } from './route-schemas.ts';
import type { RouteHooks } from './safety/rate-limits.ts';
import { jobOperationHandler } from './tasks/task-route.ts';
import type { TaskService } from './tasks/task-service.ts';
import type { Validators } from './validator.ts';

export type OperationRoute = {
  operation: Operation;
  /** Where the handler comes from: `handlers/pets#adoptPet`, or `auto-CRUD list pets`. */
  source: string;
  responder: ErrorResponder;
  /** The operation's compiled security check; none when it is public. */
  security?: SecurityCheck;
  /** Hooks of what the operation declares beyond its handler (`x-rate-limit`); none otherwise. */
  hooks?: RouteHooks;
} & (
  | { handler: Handler }
  /** Auto-CRUD: compiled against the database, it answers without a handler context. */
  | { compile: CompileRoute }
  /** `x-job`: enqueues the job, answers 202 with its task (tasks/task-route.ts). */
  | { job: string }
);

declare module 'fastify' {
  interface FastifyContextConfig {
    specstack?: OperationRoute;
  }
}

function mediaTypeOf(request: FastifyRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

function accepts(declared: string, actual: string): boolean {
  const type = declared.toLowerCase();
  if (type === '*/*' || type === actual) return true;
  return type.endsWith('/*') && actual.startsWith(type.slice(0, -1));
}

function bodyCheck(operation: Operation) {
  const requestBody = operation.operation.requestBody;
  if (!requestBody) return undefined;
  const declared = Object.keys(requestBody.content ?? {});
  // Clients send one Content-Type header value over and over: the last accepted one is remembered.
  let lastAccepted: string | undefined;
  return (request: FastifyRequest): void => {
    const header = request.headers['content-type'];
    if (header !== undefined && header === lastAccepted && request.body != null) return;
    const actual = mediaTypeOf(request);
    const accepted = declared.some((type) => accepts(type, actual));
    // A multipart body is left unparsed (no body) on routes that do not declare it: still a 415.
    const unparsed = actual === 'multipart/form-data' && !accepted;
    if ((request.body === undefined || request.body === null) && !unparsed) {
      if (requestBody.required) {
        throw VALIDATION('body: is required', {
          details: [{ field: 'body', message: 'is required' }],
        });
      }
      return;
    }
    if (!accepted) {
      throw UNSUPPORTED_MEDIA_TYPE(
        `content type "${actual}" is not accepted; send ${declared.join(' or ')}`,
      );
    }
    lastAccepted = header;
  };
}

function cookieCheck(operation: Operation, validators: Validators) {
  const schema = parametersSchema(operation.parameters, 'cookie');
  if (!schema) return undefined;
  const validate = validators.coercing.compile(schema);
  return (request: FastifyRequest): void => {
    const cookies = { ...(request.cookies ?? {}) };
    if (!validate(cookies)) {
      const errors = fieldErrors('cookies', validate.errors ?? []);
      throw VALIDATION(summarize(errors), { details: errors });
    }
    request.cookies = cookies as typeof request.cookies;
  };
}

/** Calls a user handler with its context, and sends what it returns in the declared status. */
function contextHandler(
  operation: Operation,
  handler: Handler,
  services: RouteServices,
): SignalledHandler {
  const successStatus = successResponse(operation.operation)?.status ?? 200;
  const responseTypeOf = responseTypeChooser(operation);
  const send = (reply: FastifyReply, status: number, body: unknown) => {
    reply.code(status);
    if (body === undefined) return reply.send();
    // A content type the handler set itself is kept: it knows what it wrote.
    if (reply.hasHeader('content-type')) return reply.send(body);
    const type = responseTypeOf(status, body, reply.request);
    return type ? reply.type(type).send(body) : reply.send(body);
  };
  return async (request, reply, abort) => {
    let db: Database | undefined;
    const result = await handler({
      params: request.params as Record<string, unknown>,
      query: request.query as Record<string, unknown>,
      headers: request.headers,
      cookies: (request.cookies ?? {}) as Record<string, unknown>,
      body: request.body,
      // Made when the handler first uses them (many never touch the signal): own getters, so a
      // spread of the context still copies them.
      get db() {
        db ??= requestDatabase(services.db, abort);
        return db;
      },
      get signal() {
        return abort ? abort.signal : NEVER_ABORTED;
      },
      config: services.config,
      log: request.log,
      principal: request.principal,
      auth: services.auth,
      jobs: services.jobs,
      operation,
      request,
      reply,
    });
    if (reply.sent) return reply;
    if (isHandlerResponse(result)) {
      if (result.headers) reply.headers(result.headers);
      return send(reply, result.status, result.body);
    }
    return send(reply, successStatus, result);
  };
}

/** The signal of handlers with no time limit: it never aborts. */
const NEVER_ABORTED = new AbortController().signal;

interface RouteServices {
  db: Database;
  config: Config;
  validators: Validators;
  auth: AuthHelpers;
  jobs: JobsClient;
  /** Serves x-job operations; absent when the spec has none. */
  tasks?: TaskService;
}

type RequestCheck = (request: FastifyRequest) => void;

/** Callback style: an async hook would cost a promise per request for synchronous checks. */
function checksHook(checks: readonly RequestCheck[]): preValidationHookHandler {
  return (request, _reply, done) => {
    try {
      for (const check of checks) check(request);
    } catch (error) {
      done(error as Error);
      return;
    }
    done();
  };
}

/**
 * The Accept check runs as the handler is called, after validation: in a hook it would cost every
 * request of the route a hook run, and nearly all requests pass it (no Accept, or `*\/*`).
 */
function negotiated(accept: RequestCheck | undefined, handler: RouteHandler): RouteHandler {
  if (!accept) return handler;
  return (request, reply) => {
    accept(request);
    return handler(request, reply);
  };
}

/** The route's handler under the handler time limit; only hand-written handlers take a signal. */
function limitedHandler(route: OperationRoute, services: RouteServices): RouteHandler {
  const limit = {
    ms: services.config.handlerTimeout,
    operation: route.operation,
    responder: route.responder,
  };
  if ('handler' in route) {
    return timeLimited(contextHandler(route.operation, route.handler, services), limit, true);
  }
  const handler =
    'compile' in route
      ? route.compile(services.db, route.responder)
      : jobOperationHandler(route.operation, route.job, services.tasks!);
  return timeLimited(handler, limit, false);
}

export function registerOperationRoute(
  fastify: FastifyInstance,
  route: OperationRoute,
  services: RouteServices,
): void {
  const { operation } = route;
  const checks = [
    ifMatchCheck(operation),
    parameterStyleSplitter(operation),
    bodyCheck(operation),
    cookieCheck(operation, services.validators),
  ].filter((check) => check !== undefined);
  const preValidation = [
    multipartHook(operation, services.config.bodyLimit),
    checks.length > 0 ? checksHook(checks) : undefined,
  ].filter((hook) => hook !== undefined);
  fastify.route({
    method: operation.method.toUpperCase() as 'GET',
    url: operation.routePath,
    schema: routeSchema(operation),
    config: { specstack: route },
    ...(route.security ? { onRequest: securityHook(route.security) } : {}),
    // One synchronous hook for the checks, none when there is nothing to check; a multipart
    // body is read into request.body before them.
    ...(preValidation.length > 0 ? { preValidation } : {}),
    ...route.hooks,
    handler: negotiated(acceptCheck(operation), limitedHandler(route, services)),
  });
}
