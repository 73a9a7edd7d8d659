// The benchmark: specstack against a hand-written Fastify app doing the same work, per suite
// (the zero-handler petstore; the movies example's search and recommendation reads) and dialect,
// each server a process of its own and the load generator (autocannon) a third, rounds
// alternating the servers so drift hits both alike. See docs/performance.md.
//
//   npm run bench -- [--suite petstore|movies|all] [--dialect sqlite|postgres|all] [--seconds 3]
//     [--rounds 5] [--connections 10] [--workers N] [--postgres URL] [--out FILE]

import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { moviesSuite } from '../movies/movies-suite.ts';
import { petstoreSuite } from '../petstore/petstore-suite.ts';
import { type CompiledServers, compileServers } from './compile.ts';
import { type BenchDatabases, type Dialect, postgresReachable, REPO } from './databases.ts';
import { type Loader, measure, startLoader } from './measure.ts';
import { checkParity } from './parity.ts';
import { processTree, rssMiB } from './process-stats.ts';
import {
  type DialectResult,
  describeMachine,
  pairedRatio,
  printTable,
  type Sample,
  type Summary,
  summarize,
  writeResults,
} from './report.ts';
import { type RunningServer, type ServerKind, startServer } from './servers.ts';
import type { ServedApp, Suite } from './suite.ts';

const SUITES: Record<string, Suite> = { petstore: petstoreSuite, movies: moviesSuite };

const { values } = parseArgs({
  options: {
    suite: { type: 'string', default: 'all' },
    dialect: { type: 'string', default: 'all' },
    seconds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    workers: { type: 'string' },
    postgres: { type: 'string' },
    out: { type: 'string' },
  },
});
const SECONDS = Number(values.seconds);
const WARMUP = Number(values.warmup);
const ROUNDS = Number(values.rounds);
const CONNECTIONS = Number(values.connections);
const WORKERS =
  values.workers === 'auto' ? os.availableParallelism() : values.workers && Number(values.workers);
const EXPLICIT_POSTGRES = values.postgres ?? process.env.SPECSTACK_TEST_POSTGRES_URL;
const POSTGRES_URL = EXPLICIT_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const LOAD = { seconds: SECONDS, connections: CONNECTIONS };
const KINDS: readonly ServerKind[] = ['specstack', 'handwritten'];
const rpsOf = (summary: Summary) => summary.samples.map((sample) => sample.rps);
const cpuOf = (summary: Summary) => summary.samples.map((sample) => sample.cpuUsPerRequest);

/**
 * Start times are taken one server at a time, ROUNDS times each, alternating; the last start
 * of each stays up for the load.
 */
async function startBoth(
  served: ServedApp,
  dialect: Dialect,
  databases: BenchDatabases,
  compiled: CompiledServers,
) {
  const startMs: Record<ServerKind, number[]> = { specstack: [], handwritten: [] };
  const servers = {} as Record<ServerKind, RunningServer>;
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const kind of round % 2 ? [...KINDS].reverse() : KINDS) {
        const server = await startServer({
          kind,
          served,
          dialect,
          database: databases[kind],
          compiled,
          ...(kind === 'specstack' && WORKERS ? { workers: WORKERS } : {}),
        });
        startMs[kind].push(server.startMs);
        if (round < ROUNDS - 1) await server.stop();
        else servers[kind] = server;
      }
    }
  } catch (error) {
    // The other server of the last round may be up already: never left running.
    await Promise.all(Object.values(servers).map((server) => server.stop()));
    throw error;
  }
  // Memory before any load: what the server holds for merely being up.
  const idleRssMiB = {
    specstack: rssMiB(processTree(servers.specstack.pid)),
    handwritten: rssMiB(processTree(servers.handwritten.pid)),
  };
  return { servers, startMs, idleRssMiB };
}

/** `{ movies: 10000, ratings: 100000 }` -> `10,000 movies, 100,000 ratings`. */
const describeData = (data: Suite['data']) =>
  Object.entries(data)
    .map(([noun, count]) => `${count.toLocaleString('en-US')} ${noun}`)
    .join(', ');

async function benchDialect(
  suite: Suite,
  dialect: Dialect,
  loader: Loader,
  compiled: CompiledServers,
): Promise<DialectResult> {
  const label = `${suite.name}, ${dialect}`;
  console.log(`${label}: creating and filling the databases (${describeData(suite.data)} each)`);
  const prepared = await suite.prepare(dialect, POSTGRES_URL);
  let servers: Record<ServerKind, RunningServer> | undefined;
  try {
    const started = await startBoth(suite.served, dialect, prepared.databases, compiled);
    servers = started.servers;
    const routes = await prepared.routes(servers.specstack.url);
    await checkParity(servers.specstack.url, servers.handwritten.url, routes, suite.parity);
    console.log(`${label}: both servers answer alike; warming up`);
    for (const route of routes) {
      for (const kind of KINDS)
        await measure(loader, servers[kind], route, { seconds: WARMUP, connections: CONNECTIONS });
    }
    const samples = routes.map(() => ({ specstack: [] as Sample[], handwritten: [] as Sample[] }));
    for (let round = 0; round < ROUNDS; round += 1) {
      console.log(`${label}: round ${round + 1} of ${ROUNDS}`);
      for (const [i, route] of routes.entries()) {
        for (const kind of round % 2 ? [...KINDS].reverse() : KINDS) {
          samples[i]![kind].push(await measure(loader, servers[kind], route, LOAD));
        }
      }
    }
    const results = routes.map((route, i) => {
      const specstack = summarize(samples[i]!.specstack);
      const handwritten = summarize(samples[i]!.handwritten);
      return {
        route: route.name,
        specstack,
        handwritten,
        ratio: {
          rps: pairedRatio(rpsOf(specstack), rpsOf(handwritten)),
          cpuPerRequest: pairedRatio(cpuOf(specstack), cpuOf(handwritten)),
        },
      };
    });
    return {
      suite: suite.name,
      dialect,
      startMs: started.startMs,
      idleRssMiB: started.idleRssMiB,
      routes: results,
    };
  } finally {
    await Promise.all(Object.values(servers ?? {}).map((server) => server.stop()));
    await prepared.databases.drop();
  }
}

function suites(): Suite[] {
  if (values.suite === 'all') return Object.values(SUITES);
  const suite = SUITES[values.suite];
  if (!suite) throw new Error(`--suite must be ${Object.keys(SUITES).join(', ')} or all`);
  return [suite];
}

async function dialects(): Promise<Dialect[]> {
  if (values.dialect === 'sqlite' || values.dialect === 'postgres') return [values.dialect];
  if (values.dialect !== 'all') throw new Error('--dialect must be sqlite, postgres or all');
  if (EXPLICIT_POSTGRES || (await postgresReachable(POSTGRES_URL))) return ['sqlite', 'postgres'];
  console.log(`no PostgreSQL at ${POSTGRES_URL}: SQLite only`);
  return ['sqlite'];
}

async function main() {
  const machine = describeMachine();
  const began = Date.now();
  const chosenSuites = suites();
  const chosen = await dialects();
  console.log('compiling both servers to JavaScript (specstack as its package builds it)');
  const compiled = compileServers(
    chosenSuites.flatMap((suite) => Object.values(suite.served.handwritten)),
  );
  const loader = startLoader();
  const results: DialectResult[] = [];
  const specstackLabel = WORKERS ? `specstack --workers ${WORKERS}` : 'specstack (one process)';
  try {
    for (const suite of chosenSuites) {
      for (const dialect of chosen) {
        results.push(await benchDialect(suite, dialect, loader, compiled));
      }
    }
  } finally {
    loader.stop();
    compiled.remove();
  }
  const settings = `${ROUNDS} rounds × ${SECONDS} s, ${CONNECTIONS} connections`;
  for (const result of results) {
    printTable(
      result,
      `${result.suite}, ${result.dialect}: ${specstackLabel} / hand-written Fastify; ${settings}, ${describeData(SUITES[result.suite]!.data)}`,
    );
  }
  const date = new Date(began).toISOString().slice(0, 10);
  const label = [
    ...(chosenSuites.length > 1 ? [] : [chosenSuites[0]!.name]),
    chosen.length > 1 ? 'all' : chosen[0],
    ...(WORKERS ? [`workers${WORKERS}`] : []),
  ].join('-');
  const out = values.out ?? path.join(REPO, 'bench/results', `${date}-${label}.json`);
  writeResults(out, {
    date: new Date(began).toISOString(),
    machine: { ...machine, loadAverageAtEnd: os.loadavg().map((l) => Number(l.toFixed(2))) },
    settings: {
      suites: chosenSuites.map((suite) => suite.name),
      seconds: SECONDS,
      warmupSeconds: WARMUP,
      rounds: ROUNDS,
      connections: CONNECTIONS,
      // What each suite's databases held: `pets` for the petstore, as before.
      ...Object.assign({}, ...chosenSuites.map((suite) => suite.data)),
      specstackWorkers: WORKERS || 1,
      env: { NODE_ENV: 'production', LOG_LEVEL: 'warn' },
    },
    durationSeconds: Math.round((Date.now() - began) / 1000),
    results,
  });
  console.log(
    `\nwritten to ${path.relative(process.cwd(), out)} in ${Math.round((Date.now() - began) / 1000)} s`,
  );
}

await main().catch((error: Error) => {
  console.error(`\nbench failed: ${error.message}`);
  process.exitCode = 1;
});
