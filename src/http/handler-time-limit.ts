// The overall time limit of an operation's handler (SPECSTACK_HANDLER_TIMEOUT): past it the request
// is answered 503 with Retry-After in the spec's error shape, a warning is logged, and the signal
// handed to the handler aborts, which rolls back the transactions it opened on the request's db.
//
// Fastify's own `handlerTimeout` is not used: it takes the request's 'close' event for the client
// going away, and on Node 20 that event follows the end of every request body, so a request with a
// body lost its limit, and had its signal aborted, as soon as the body was read.

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../db/database.ts';
import { isPromise } from '../db/dialect-adapter.ts';
import { HANDLER_TIMEOUT } from '../errors.ts';
import type { RouteHandler } from './auto-crud/crud-handlers.ts';
import { sendLoggedError } from './error-handler.ts';
import type { ErrorResponder } from './error-responses.ts';
import type { Operation } from './operations.ts';

/** What the 503 tells a client to wait before it tries again, in seconds. */
export const HANDLER_TIMEOUT_RETRY_AFTER = 5;

/**
 * A request's abort signal, made when first asked for: most handlers never look at it, and an
 * AbortController (an EventTarget with its listeners' bookkeeping) is then made for nothing.
 */
export class RequestAbort {
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }
}

/** A route handler that is told, by its abort's signal, when its request's time is up. */
export type SignalledHandler = (
  request: FastifyRequest,
  reply: FastifyReply,
  abort: RequestAbort | undefined,
) => unknown;

export interface TimeLimit {
  /** Milliseconds; 0 turns the limit off. */
  ms: number;
  operation: Operation;
  responder: ErrorResponder;
}

/**
 * The request's database as its handler sees it: transactions carry the request's signal, so they
 * roll back when the time limit passes, whatever the handler does next.
 */
export function requestDatabase(db: Database, abort: RequestAbort | undefined): Database {
  if (!abort) return db;
  const bound = Object.create(db) as Database;
  bound.transaction = (work, options) => {
    const signal = abort.signal;
    return db.transaction(work, {
      signal: options?.signal ? AbortSignal.any([signal, options.signal]) : signal,
    });
  };
  return bound;
}

function expire(
  limit: TimeLimit,
  request: FastifyRequest,
  reply: FastifyReply,
  abort: RequestAbort | undefined,
): void {
  const error = HANDLER_TIMEOUT(
    `the request took longer than ${limit.ms} ms, the server's limit; retry later`,
  );
  // Listeners run now: the handler's open transactions roll back before the answer goes out.
  abort?.abort(error);
  request.log.warn(
    { operation: limit.operation.name, requestId: request.id, limitMs: limit.ms },
    'the handler ran past its time limit: answered 503, its transactions rolled back',
  );
  if (reply.sent) return;
  reply.header('retry-after', String(HANDLER_TIMEOUT_RETRY_AFTER));
  sendLoggedError(error, request, reply, limit.responder);
}

/** A handler run in flight, linked into its route's list of runs by start time. */
interface Run {
  deadline: number;
  previous: Run | undefined;
  next: Run | undefined;
  linked: boolean;
  expire(): void;
}

/**
 * The runs in flight on one route, oldest first. With one limit per route, deadlines come in
 * start order, so one timer, set for the oldest run, stands for all of them: a run costs two links
 * in a list, not a timer of Node's created and cleared.
 */
class Deadlines {
  #oldest: Run | undefined;
  #newest: Run | undefined;
  #timer: NodeJS.Timeout | undefined;

  add(run: Run): void {
    run.previous = this.#newest;
    if (this.#newest) this.#newest.next = run;
    else this.#oldest = run;
    this.#newest = run;
    run.linked = true;
    if (this.#timer === undefined) this.#arm(run.deadline);
  }

  remove(run: Run): void {
    if (!run.linked) return;
    run.linked = false;
    if (run.previous) run.previous.next = run.next;
    else this.#oldest = run.next;
    if (run.next) run.next.previous = run.previous;
    else this.#newest = run.previous;
    run.previous = undefined;
    run.next = undefined;
  }

  #arm(deadline: number): void {
    // Unref'd: the request itself keeps the server busy; an idle server may stop.
    this.#timer = setTimeout(this.#fire, Math.max(0, deadline - performance.now()));
    this.#timer.unref();
  }

  readonly #fire = (): void => {
    this.#timer = undefined;
    const now = performance.now();
    for (let run = this.#oldest; run !== undefined && run.deadline <= now; run = this.#oldest) {
      this.remove(run);
      run.expire();
    }
    if (this.#oldest) this.#arm(this.#oldest.deadline);
  };
}

/** Settles with the handler's outcome, or with the reply once the limit has answered for it. */
function raced(
  work: Promise<unknown>,
  limit: TimeLimit,
  deadlines: Deadlines,
  request: FastifyRequest,
  reply: FastifyReply,
  abort: RequestAbort | undefined,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let expired = false;
    const run: Run = {
      deadline: performance.now() + limit.ms,
      previous: undefined,
      next: undefined,
      linked: false,
      expire() {
        if (reply.sent) return;
        expired = true;
        expire(limit, request, reply, abort);
        resolve(reply);
      },
    };
    deadlines.add(run);
    work.then(
      (value) => {
        deadlines.remove(run);
        if (!expired) resolve(value);
      },
      (error: unknown) => {
        deadlines.remove(run);
        if (!expired) reject(error);
        else request.log.info({ err: error }, 'the handler failed after its time limit');
      },
    );
  });
}

/**
 * The handler with the limit. `signals` hands each call a RequestAbort (hand-written handlers get
 * its signal in their context); without it an answer that is already there (SQLite's synchronous
 * auto-CRUD) costs no deadline at all.
 */
export function timeLimited(
  handler: SignalledHandler,
  limit: TimeLimit,
  signals: boolean,
): RouteHandler {
  if (limit.ms <= 0) return (request, reply) => handler(request, reply, undefined);
  const deadlines = new Deadlines();
  if (signals) {
    return (request, reply) => {
      const abort = new RequestAbort();
      const result = handler(request, reply, abort);
      return isPromise(result) ? raced(result, limit, deadlines, request, reply, abort) : result;
    };
  }
  return (request, reply) => {
    const result = handler(request, reply, undefined);
    return isPromise(result) ? raced(result, limit, deadlines, request, reply, undefined) : result;
  };
}
