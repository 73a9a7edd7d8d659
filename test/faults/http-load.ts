// Bounded load for the fault suites: a few concurrent clients, each running a list of requests in
// turn until stopped, every request with a deadline, every outcome kept with its start time (so a
// suite can tell what was sent before, during and after a fault).

export interface LoadRequest {
  operation: string;
  method: string;
  path: string;
  json?: unknown;
  headers?: Record<string, string>;
}

export interface Outcome {
  operation: string;
  /** Date.now() when the request was sent, and when its answer (or error) came. */
  started: number;
  ended: number;
  status?: number;
  body?: unknown;
  /** A connection error's code, or `timeout` for a request past the deadline. */
  error?: string;
}

export interface Load {
  outcomes: Outcome[];
  stop(): Promise<void>;
}

/**
 * `clients` loops, each calling `next(client, i)` for its i-th request until stopped. A request
 * unanswered after `deadlineMs` is aborted and kept as a `timeout`: a hung request, which the
 * suites refuse.
 */
export function startLoad(
  base: string,
  clients: number,
  next: (client: number, i: number) => LoadRequest,
  deadlineMs = 10_000,
): Load {
  const outcomes: Outcome[] = [];
  let stopped = false;
  const loop = async (client: number) => {
    for (let i = 0; !stopped; i += 1) {
      const request = next(client, i);
      const started = Date.now();
      const outcome: Outcome = { operation: request.operation, started, ended: started };
      try {
        const response = await fetch(`${base}${request.path}`, {
          method: request.method,
          headers: {
            ...(request.json !== undefined ? { 'content-type': 'application/json' } : {}),
            ...request.headers,
          },
          body: request.json === undefined ? undefined : JSON.stringify(request.json),
          signal: AbortSignal.timeout(deadlineMs),
        });
        const text = await response.text();
        outcome.status = response.status;
        try {
          outcome.body = text ? JSON.parse(text) : undefined;
        } catch {
          outcome.body = text;
        }
      } catch (error) {
        const name = (error as { name?: string }).name;
        const cause = (error as { cause?: { code?: string } }).cause;
        outcome.error = name === 'TimeoutError' ? 'timeout' : (cause?.code ?? String(error));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      outcome.ended = Date.now();
      outcomes.push(outcome);
    }
  };
  const loops = Array.from({ length: clients }, (_, client) => loop(client));
  return {
    outcomes,
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

/** Outcomes whose request was sent in [from, to). */
export function sentBetween(outcomes: Outcome[], from: number, to = Infinity): Outcome[] {
  return outcomes.filter((outcome) => outcome.started >= from && outcome.started < to);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 50 ms until it is true, or fails after `timeout` ms. */
export async function until(
  check: () => Promise<boolean>,
  what: string,
  timeout = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await sleep(50);
  }
}
