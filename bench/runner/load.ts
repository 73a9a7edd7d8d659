// The load generator, run as a child process of run.ts so that it competes with the servers, not
// with the runner: each message holds a URL and a route; autocannon loads it and the reply holds
// the count, rate, latency percentiles (sub-millisecond, from every response) and wrong statuses.

import autocannon from 'autocannon';
import { headersOf, type Route } from './suite.ts';

export interface LoadRequest {
  url: string;
  route: Route;
  seconds: number;
  connections: number;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  /** Responses with another status than the route's, and connection errors or timeouts. */
  wrong: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function load(request: LoadRequest): Promise<LoadResult> {
  const { route } = request;
  const randomPath = () => route.paths[Math.floor(Math.random() * route.paths.length)]!;
  const latencies: number[] = [];
  let wrong = 0;
  let done!: (outcome: { error?: Error; result?: autocannon.Result }) => void;
  const finished = new Promise<{ error?: Error; result?: autocannon.Result }>((resolve) => {
    done = resolve;
  });
  const instance = autocannon(
    {
      url: request.url,
      connections: request.connections,
      duration: request.seconds,
      requests: [
        {
          method: route.method,
          headers: headersOf(route),
          ...(route.body ? { body: route.body } : {}),
          setupRequest: (req) => ({ ...req, path: randomPath() }),
        },
      ],
    },
    (error, result) => done({ error, result }),
  );
  instance.on('response', (_client, status, _bytes, responseTime) => {
    latencies.push(responseTime);
    if (status !== route.status) wrong += 1;
  });
  const { error, result } = await finished;
  if (error || !result) throw error ?? new Error('autocannon gave no result');
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: latencies.length,
    rps: latencies.length / request.seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    wrong: wrong + result.errors + result.timeouts,
  };
}

process.on('message', (message: LoadRequest) => {
  load(message).then(
    (result) => process.send!({ result }),
    (error: Error) => process.send!({ error: error.message }),
  );
});
