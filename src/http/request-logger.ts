// Each request's logger carries its request id, but building a pino child (its bindings
// serialized, with redaction) costs more than most requests that log nothing at all. The child is
// built on the first line a request actually logs.

import {
  type FastifyBaseLogger,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { Bindings, ChildLoggerOptions, Level, Logger } from 'pino';

/** What Fastify hands the factory: pino's logger, whether built by Fastify or passed in. */
export type PinoLogger = FastifyBaseLogger & Pick<Logger, 'isLevelEnabled'>;

class LazyChildLogger {
  readonly #parent: PinoLogger;
  readonly #bindings: Bindings;
  readonly #options: ChildLoggerOptions;
  #child: FastifyBaseLogger | undefined;

  constructor(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions) {
    this.#parent = parent as PinoLogger;
    this.#bindings = bindings;
    this.#options = options;
  }

  get #logger(): FastifyBaseLogger {
    this.#child ??= this.#parent.child(this.#bindings, this.#options);
    return this.#child;
  }

  #log(level: Level, args: unknown[]): void {
    if (this.#child === undefined && !this.#parent.isLevelEnabled(level)) return;
    (this.#logger[level] as (...values: unknown[]) => void)(...args);
  }

  get level(): string {
    return (this.#child ?? this.#parent).level;
  }

  set level(level: string) {
    this.#logger.level = level;
  }

  isLevelEnabled(level: string): boolean {
    return ((this.#child ?? this.#parent) as PinoLogger).isLevelEnabled(level);
  }

  // Prototype methods, not per-instance closures: a request allocates one object for its logger.
  fatal(...args: unknown[]): void {
    this.#log('fatal', args);
  }
  error(...args: unknown[]): void {
    this.#log('error', args);
  }
  warn(...args: unknown[]): void {
    this.#log('warn', args);
  }
  info(...args: unknown[]): void {
    this.#log('info', args);
  }
  debug(...args: unknown[]): void {
    this.#log('debug', args);
  }
  trace(...args: unknown[]): void {
    this.#log('trace', args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#logger.child(bindings, options);
  }

  bindings(): Bindings {
    return (this.#logger as unknown as { bindings(): Bindings }).bindings();
  }
}

/** Fastify's childLoggerFactory: the request's logger, made when first used. */
export function lazyChildLogger(
  this: unknown,
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  return new LazyChildLogger(logger, bindings, options) as unknown as FastifyBaseLogger;
}

/**
 * Request loggers for a server whose Fastify has no logger of its own (info off): Fastify hands
 * each request its no-op logger, and specstack replaces it with one of these as the request
 * arrives (request-ids.ts), made from the app's `root` and bound to the request id as Fastify
 * would bind it. Fastify then neither builds nor checks a child logger per request.
 */
export function requestLoggersOf(
  root: FastifyBaseLogger,
): (requestId: string) => FastifyBaseLogger {
  const options: ChildLoggerOptions = {};
  return (requestId) =>
    new LazyChildLogger(root, { reqId: requestId }, options) as unknown as FastifyBaseLogger;
}

/**
 * How Fastify writes a request and a reply into a log line (its own logger's serializers), for a
 * root logger Fastify did not build: lines about requests read the same either way.
 */
export const FASTIFY_SERIALIZERS = {
  req: (request: FastifyRequest) => ({
    method: request.method,
    url: request.url,
    version: request.headers?.['accept-version'],
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  }),
  res: (reply: FastifyReply) => ({ statusCode: reply.statusCode }),
};

function infoEnabled(logger: FastifyBaseLogger): boolean {
  return (logger as Partial<Pick<PinoLogger, 'isLevelEnabled'>>).isLevelEnabled?.('info') ?? true;
}

/**
 * Fastify's per-request lines ("incoming request", "request completed") are at info: while info
 * is off, they are skipped before their fields are built (an object, the response time read from
 * the clock, the logger's arguments). A request that errored is still logged, at error.
 */
export class RequestLogLines extends LogController {
  readonly #lines: boolean;

  /** `lines` false: the server writes no request lines at all (info was off when it started). */
  constructor(lines = true) {
    super();
    this.#lines = lines;
  }

  override incomingRequest(
    request: FastifyRequest,
    reply: FastifyReply,
    metadata?: Record<string, unknown>,
  ): void {
    if (this.#lines && infoEnabled(request.log)) super.incomingRequest(request, reply, metadata);
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
    metadata?: Record<string, unknown>,
  ): void {
    if (error || (this.#lines && infoEnabled(reply.log))) {
      super.requestCompleted(error, request, reply, metadata);
    }
  }
}
