// Builds the Fastify instance for an app: one route per operation, framework routes (health,
// spec, docs), parsers, request ids and the spec-shaped error answers.

import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import pino from 'pino';
import { type Auth, createAuth } from '../auth/index.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { METHOD_NOT_ALLOWED, NOT_FOUND } from '../errors.ts';
import type { Jobs } from '../jobs/create-jobs.ts';
import { registerDashboard } from '../jobs/dashboard/dashboard-routes.ts';
import { findLoginOperation } from '../jobs/dashboard/login-operation.ts';
import type { ModelDescription } from '../model/table-description.ts';
import { completeSpec } from './complete-spec.ts';
import { registerCors } from './cors.ts';
import { registerDocs } from './docs.ts';
import { sendError } from './error-handler.ts';
import { ErrorResponder } from './error-responses.ts';
import type { HandlerModules } from './handler-modules.ts';
import { registerHealth } from './health.ts';
import { registerMetrics } from './metrics/metrics.ts';
import { hasMultipartBody } from './multipart/multipart-body.ts';
import { nodeServer } from './node-server.ts';
import { type OperationRoute, registerOperationRoute } from './operation-route.ts';
import {
  basePathOf,
  jsonMediaType,
  listOperations,
  type Operation,
  type OperationObject,
} from './operations.ts';
import { requestSchemaError } from './request-errors.ts';
import { arrivalHook, genReqId } from './request-ids.ts';
import {
  FASTIFY_SERIALIZERS,
  lazyChildLogger,
  type PinoLogger,
  RequestLogLines,
  requestLoggersOf,
} from './request-logger.ts';
import { pathOf } from './request-target.ts';
import { resolveHandler } from './resolve-handler.ts';
import { COERCE_BODY } from './route-schemas.ts';
import { clientErrorHandler } from './safety/client-errors.ts';
import { registerJsonParsers } from './safety/json-body-parser.ts';
import { registerRateLimits } from './safety/rate-limits.ts';
import { answersPages, pageHeadersOnRoute, securityHeaders } from './safety/security-headers.ts';
import { registerTaskRoute } from './tasks/task-route.ts';
import { createValidators, type Validators } from './validator.ts';

export interface ServerSpec {
  file: string;
  /** Served as /openapi.json. */
  bundled: Record<string, unknown>;
  /** Dereferenced and normalized: what routes are built from. */
  document: Record<string, unknown>;
}

export interface ServerOptions {
  config: Config;
  spec: ServerSpec;
  model: ModelDescription;
  db: Database;
  handlers: HandlerModules;
  /** Builds the app's jobs once the server's logger exists (jobs log through it). */
  jobs(log: FastifyBaseLogger): Jobs;
  /** A pino logger to use instead of the one built from config.logLevel (tests capture logs). */
  logger?: FastifyBaseLogger;
}

/** Statuses the framework itself may answer with; their error schemas are checked at startup. */
const FRAMEWORK_STATUSES = [400, 401, 403, 404, 409, 413, 415, 500, 503] as const;

const PRETTY_TRANSPORT = {
  target: 'pino-pretty',
  options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
};

/** The app's root logger. Credentials never reach the log, whichever logger is in use. */
function rootLogger(options: ServerOptions, auth: Auth): PinoLogger {
  const { redact, serializers } = auth.logging;
  if (options.logger) return options.logger.child({}, { redact, serializers }) as PinoLogger;
  return pino({
    level: options.config.logLevel,
    redact,
    serializers: { ...FASTIFY_SERIALIZERS, ...serializers },
    ...(options.config.logFormat === 'pretty' ? { transport: PRETTY_TRANSPORT } : {}),
  });
}

/** Fastify's trustProxy; a hop count as the function proxy-addr makes of one (Fastify types no number). */
function trustedProxies(trust: Config['trustProxy']) {
  return typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust;
}

/**
 * Requests that match no operation are answered with the error schema every operation shares as
 * its `default`, when there is one: clients then see one error shape everywhere.
 */
function sharedErrorOperation(operations: readonly Operation[]): OperationObject | undefined {
  const defaults = operations.map((op) => op.operation.responses?.default);
  const schemas = new Set(
    defaults.map((response) => jsonMediaType(response?.content)?.media.schema),
  );
  const [only] = schemas;
  return schemas.size === 1 && only !== undefined
    ? { responses: { default: defaults[0]! } }
    : undefined;
}

function routeMatcher(operations: readonly Operation[]) {
  const routes = operations.map((op) => ({
    // Literal parts are escaped (the `.` of `/v1.0/pets` is a dot); each `:param` is one segment.
    // eslint-disable-next-line security/detect-non-literal-regexp -- the spec's route paths, literal parts escaped, each parameter one segment
    pattern: new RegExp(
      `^${op.routePath
        .split(/(:[^/]+)/)
        .map((part) =>
          part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
        )
        .join('')}/?$`,
    ),
    method: op.method.toUpperCase(),
  }));
  return (url: string) => {
    const path = pathOf(url);
    return routes.filter((route) => route.pattern.test(path)).map((route) => route.method);
  };
}

/**
 * Cookies are parsed only when the spec reads one (a cookie parameter or a cookie API key): the
 * plugin's hooks would otherwise run on every request for nothing.
 */
function specReadsCookies(options: ServerOptions, routes: readonly OperationRoute[]): boolean {
  const components = options.spec.document.components as
    | { securitySchemes?: Record<string, { type?: string; in?: string }> }
    | undefined;
  const schemes = Object.values(components?.securitySchemes ?? {});
  return (
    routes.some((route) => route.operation.parameters.some((p) => p.in === 'cookie')) ||
    schemes.some((scheme) => scheme.type === 'apiKey' && scheme.in === 'cookie')
  );
}

function registerParsers(fastify: FastifyInstance, cookies: boolean, uploads: boolean): void {
  if (cookies) fastify.register(cookie);
  fastify.register(formbody);
  // Only for specs with a multipart body: each such route reads its parts (multipart/).
  if (uploads) fastify.register(multipart);
  registerJsonParsers(fastify);
}

function buildRoutes(options: ServerOptions, validators: Validators, auth: Auth): OperationRoute[] {
  const operations = listOperations(options.spec.document, options.spec.file);
  return operations.map((operation) => {
    const responder = new ErrorResponder(operation.operation, validators);
    responder.verify(FRAMEWORK_STATUSES);
    const security = auth.securityFor(operation);
    return {
      operation,
      responder,
      ...resolveHandler(operation, operations, options.model, options.handlers),
      ...(security ? { security } : {}),
    };
  });
}

export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const { config, db } = options;
  const validators = createValidators();
  const auth = createAuth(options.spec.document, options.spec.file, config);
  const routes = buildRoutes(options, validators, auth);
  const headers = securityHeaders();
  const server = nodeServer({ maxHeaderSize: config.headerLimit });
  const operations = routes.map((route) => route.operation);
  const fallback = new ErrorResponder(sharedErrorOperation(operations), validators);

  const log = rootLogger(options, auth);
  // Fastify is handed the logger only while info is on, for its per-request lines. Without one it
  // sets up no response listeners, reads no clock and builds no child logger per request;
  // requests still log through specstack's request loggers (request-logger.ts), from the same root.
  const requestLines = log.isLevelEnabled('info');
  const fastify: FastifyInstance = Fastify({
    ...(requestLines ? { loggerInstance: log as FastifyBaseLogger } : {}),
    bodyLimit: config.bodyLimit,
    requestTimeout: config.requestTimeout,
    connectionTimeout: config.connectionTimeout,
    clientErrorHandler: clientErrorHandler(fallback, headers, () => fastify.log),
    // Behind a trusted proxy request.ip (the rate limits' key) is the client X-Forwarded-For names.
    trustProxy: trustedProxies(config.trustProxy),
    requestIdHeader: false,
    genReqId,
    serverFactory: server.factory,
    // Without request lines, Fastify's own request loggers stay its no-op one: the arrival hook
    // gives each request specstack's instead.
    ...(requestLines ? { childLoggerFactory: lazyChildLogger } : {}),
    schemaErrorFormatter: requestSchemaError,
    logController: new RequestLogLines(requestLines),
    routerOptions: { ignoreTrailingSlash: true },
    // On close: idle kept-alive connections are closed at once (a clean FIN), requests that arrive
    // get 503, and those in flight finish with `connection: close` (node-server.ts).
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  });
  // Without a logger of its own Fastify's is a no-op one: the app, its plugins and its jobs log
  // through the root instead.
  if (!requestLines) fastify.log = log;
  fastify.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' && !(schema as Record<string, unknown>)[COERCE_BODY]
      ? validators.exact
      : validators.coercing
    ).compile(schema),
  );
  registerParsers(
    fastify,
    specReadsCookies(options, routes),
    routes.some((route) => hasMultipartBody(route.operation)),
  );
  registerCors(fastify, config.corsOrigins, routes);
  fastify.decorateRequest('principal', undefined);
  for (const warning of auth.warnings) fastify.log.warn(warning);

  for (const route of routes) {
    for (const status of route.responder.unfillable) {
      fastify.log.warn(
        `${route.operation.pointer}/responses: the error schema for ${status} has required properties specstack cannot fill; such errors are sent as application/problem+json`,
      );
    }
  }

  const allowedMethods = routeMatcher(operations);
  const autoCrudOperations = new Set(
    routes.filter((route) => 'compile' in route).map((route) => route.operation),
  );

  fastify.addHook(
    'onRequest',
    arrivalHook(headers, requestLines ? undefined : requestLoggersOf(log)),
  );
  fastify.addHook(
    'onRoute',
    pageHeadersOnRoute(headers, (route) => {
      if (route.config?.servesData === true) return true;
      const operation = route.config?.specstack?.operation;
      return operation !== undefined && !answersPages(operation);
    }),
  );
  fastify.addHook('preClose', async () => {
    server.startClosing();
  });
  fastify.setErrorHandler((error, request, reply) =>
    sendError(error, request, reply, request.routeOptions.config.specstack?.responder ?? fallback),
  );
  fastify.setNotFoundHandler((request, reply) => {
    const allowed = allowedMethods(request.url);
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      return sendError(
        METHOD_NOT_ALLOWED(`${request.method} is not allowed here; use ${allowed.join(', ')}`),
        request,
        reply,
        fallback,
      );
    }
    return sendError(
      NOT_FOUND(`no operation at ${request.method} ${pathOf(request.url)}`),
      request,
      reply,
      fallback,
    );
  });

  const jobs = options.jobs(fastify.log.child({ part: 'jobs' }));
  registerHealth(fastify, db, jobs);
  await registerMetrics(fastify, config, jobs, db);
  const login = findLoginOperation(operations);
  registerDashboard(fastify, {
    jobs,
    bearer: auth.bearer,
    adminScope: config.jobsAdminScope,
    ...(login ? { login } : {}),
  });
  registerDocs(fastify, {
    document: completeSpec(options.spec.bundled, operations, options.model, (operation) =>
      autoCrudOperations.has(operation),
    ),
    basePath: basePathOf(options.spec.document),
  });
  const tasks = registerTaskRoute(fastify, {
    routes,
    db,
    jobs,
    responder: fallback,
    basePath: basePathOf(options.spec.document),
  });
  const limits = await registerRateLimits(fastify, operations, config);
  for (const route of routes) {
    const hooks = limits.get(route.operation.name);
    registerOperationRoute(fastify, hooks ? { ...route, hooks } : route, {
      db,
      config,
      validators,
      auth: auth.helpers,
      jobs,
      ...(tasks ? { tasks } : {}),
    });
  }
  return fastify;
}
