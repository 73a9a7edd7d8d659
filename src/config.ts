// Every setting, its default and its environment variable. Nothing is required:
// an app with no environment at all runs on a SQLite file under ./data/.

import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';

export interface Config {
  /** The app's root: where openapi.yaml, handlers/, migrations/ and data/ live. */
  appDir: string;
  /** Absolute path of the OpenAPI document. */
  specPath: string;
  port: number;
  host: string;
  /** `sqlite:data/app.db` (relative to appDir) unless DATABASE_URL says otherwise. */
  databaseUrl: string;
  logLevel: string;
  /** `pretty` for people at a terminal, `json` for machines (LOG_FORMAT). */
  logFormat: 'json' | 'pretty';
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  /** Largest request line plus headers, in bytes (SPECSTACK_HEADER_LIMIT); beyond it: 431. */
  headerLimit: number;
  /** Time for a whole request (headers and body) to arrive, in ms (SPECSTACK_REQUEST_TIMEOUT). */
  requestTimeout: number;
  /** An idle connection is closed after this many ms without traffic (SPECSTACK_CONNECTION_TIMEOUT). */
  connectionTimeout: number;
  /**
   * How long an operation's handler may run, in ms (SPECSTACK_HANDLER_TIMEOUT); past it the request
   * gets 503 and its transactions roll back. 0 turns the limit off.
   */
  handlerTimeout: number;
  /**
   * Which proxies' `X-Forwarded-For` names the client (SPECSTACK_TRUST_PROXY), for rate limits and
   * logs: false (the default: the socket's address), true (every hop), a number of hops, or the
   * proxies' addresses and CIDR ranges.
   */
  trustProxy: boolean | number | string[];
  /** Enforce the spec's `x-rate-limit`s (SPECSTACK_RATE_LIMITS, default on; `off` for load tests). */
  rateLimits: boolean;
  /** Bearer token that unlocks /metrics on the app's port (SPECSTACK_METRICS_TOKEN); unset: no route. */
  metricsToken?: string;
  /** A port of its own for /metrics (SPECSTACK_METRICS_PORT; 0 picks a free one); unset: none. */
  metricsPort?: number;
  /** Apply pending migrations at startup instead of refusing to serve. */
  autoMigrate: boolean;
  /** Tries to reach the database at startup before giving up (with backoff up to 5 s apart). */
  databaseConnectAttempts: number;
  /** How long graceful shutdown waits for in-flight requests, in milliseconds. */
  shutdownTimeout: number;
  /** Where handler modules are looked up. */
  handlersDir: string;
  migrationsDir: string;
  environment: string;
  /** HS256 secret for bearer tokens (JWT_SECRET). Unset in development: a random one per start. */
  jwtSecret?: string;
  /** JWKS URL for RS256/ES256 tokens from an identity provider (JWT_JWKS_URL). */
  jwtJwksUrl?: string;
  /** Algorithms accepted from the JWKS (JWT_JWKS_ALGORITHMS, comma-separated); never HS* or none. */
  jwtJwksAlgorithms: string[];
  /** Required `iss` of tokens, and the `iss` of issued ones (JWT_ISSUER). */
  jwtIssuer?: string;
  /** Required `aud` of tokens, and the `aud` of issued ones (JWT_AUDIENCE). */
  jwtAudience?: string;
  /** Lifetime of issued tokens: `1h`, `15m`, `7d` or seconds (JWT_EXPIRES_IN). */
  jwtExpiresIn: string;
  /** Valid API keys, `key=subject:scope scope,…` (SPECSTACK_API_KEYS). */
  apiKeys?: string;
  /** Where job modules are looked up. */
  jobsDir: string;
  /** Redis for the BullMQ jobs backend (REDIS_URL); unset: jobs live in the app's database. */
  redisUrl?: string;
  /** Prefix of every BullMQ key in Redis (SPECSTACK_JOBS_PREFIX), so apps can share a Redis. */
  jobsPrefix: string;
  /** Run job workers inside `specstack start` (SPECSTACK_START_WORKERS, default on). */
  startWorkers: boolean;
  /** How often an idle embedded worker looks for due jobs, in ms (SPECSTACK_JOBS_POLL_INTERVAL). */
  jobsPollInterval: number;
  /** Visibility timeout of a claimed embedded job without heartbeat, in ms (SPECSTACK_JOBS_LEASE). */
  jobsLease: number;
  /** How often schedules are checked for due ticks, in ms (SPECSTACK_JOBS_SCHEDULE_INTERVAL). */
  jobsScheduleInterval: number;
  /** How long shutdown lets running jobs finish before releasing them, in ms (SPECSTACK_JOBS_GRACE). */
  jobsGrace: number;
  /** The scope a token needs for the jobs dashboard and its API (SPECSTACK_JOBS_ADMIN_SCOPE). */
  jobsAdminScope: string;
  /** Origins allowed to call from a browser (SPECSTACK_CORS_ORIGINS); empty: CORS is off. */
  corsOrigins: string[];
}

/** Documented in docs/configuration.md; keep the two in step. */
export const SPEC_FILE_CANDIDATES = [
  'openapi.yaml',
  'openapi.yml',
  'openapi.json',
  'spec/openapi.yaml',
  'spec/openapi.yml',
  'spec/openapi.json',
] as const;

export function findSpecFile(appDir: string): string | undefined {
  for (const candidate of SPEC_FILE_CANDIDATES) {
    const file = path.join(appDir, candidate);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- candidate spec files in the app's folder
    if (existsSync(file)) return file;
  }
  return undefined;
}

function integer(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 0) {
    throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
  }
  return parsed;
}

function list(value: string | undefined, fallback: string[]): string[] {
  const items = (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return items.length > 0 ? items : fallback;
}

/** JSON lines unless asked otherwise, or a developer is watching a terminal. */
function logFormat(env: NodeJS.ProcessEnv): Config['logFormat'] {
  const asked = env.LOG_FORMAT?.toLowerCase();
  if (asked === 'json' || asked === 'pretty') return asked;
  if (asked)
    throw new Error(`LOG_FORMAT must be json or pretty, got ${JSON.stringify(env.LOG_FORMAT)}`);
  return process.stdout.isTTY && env.NODE_ENV !== 'production' ? 'pretty' : 'json';
}

/** `*`, or origins exactly as browsers send them: `https://app.example.com`, no path or slash. */
function origins(value: string | undefined): string[] {
  const items = list(value, []);
  for (const item of items) {
    if (item !== '*' && !/^https?:\/\/[^/\s]+$/.test(item)) {
      throw new Error(
        `SPECSTACK_CORS_ORIGINS must list origins like https://app.example.com or *, got ${JSON.stringify(item)}`,
      );
    }
  }
  return items;
}

/**
 * `off`, `on` (every hop), a hop count, or addresses and CIDR ranges of the proxies (with
 * proxy-addr's names `loopback`, `linklocal`, `uniquelocal`).
 */
function trustProxy(value: string | undefined): Config['trustProxy'] {
  const asked = value?.trim().toLowerCase() ?? '';
  if (['', 'off', 'false', 'no'].includes(asked)) return false;
  if (['on', 'true', 'yes'].includes(asked)) return true;
  if (/^\d+$/.test(asked)) return Number(asked);
  const proxies = list(value, []);
  for (const proxy of proxies) {
    if (!isProxyAddress(proxy)) {
      throw new Error(
        `SPECSTACK_TRUST_PROXY must be off, on, a hop count, or proxy addresses and CIDR ranges like 10.0.0.0/8, got ${JSON.stringify(proxy)}`,
      );
    }
  }
  return proxies;
}

const PROXY_ADDRESS_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** An IP address or a CIDR range (`10.0.0.0/8`), or one of proxy-addr's names. */
function isProxyAddress(proxy: string): boolean {
  const [address = '', prefix, ...rest] = proxy.split('/');
  if (rest.length > 0 || (prefix !== undefined && !/^\d{1,3}$/.test(prefix))) return false;
  return isIP(address) !== 0 || PROXY_ADDRESS_NAMES.includes(address.toLowerCase());
}

function flag(value: string | undefined): boolean {
  return value !== undefined && ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

export function loadConfig(
  options: { appDir?: string; env?: NodeJS.ProcessEnv; overrides?: Partial<Config> } = {},
): Config {
  const env = options.env ?? process.env;
  const appDir = path.resolve(options.appDir ?? env.SPECSTACK_APP_DIR ?? process.cwd());
  const specPath = env.SPECSTACK_SPEC
    ? path.resolve(appDir, env.SPECSTACK_SPEC)
    : (findSpecFile(appDir) ?? path.join(appDir, SPEC_FILE_CANDIDATES[0]));
  const config: Config = {
    appDir,
    specPath,
    port: integer(env.PORT, 8000, 'PORT'),
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || 'sqlite:data/app.db',
    logLevel: env.LOG_LEVEL || 'info',
    logFormat: logFormat(env),
    bodyLimit: integer(env.SPECSTACK_BODY_LIMIT, 1024 * 1024, 'SPECSTACK_BODY_LIMIT'),
    headerLimit: integer(env.SPECSTACK_HEADER_LIMIT, 16 * 1024, 'SPECSTACK_HEADER_LIMIT'),
    requestTimeout: integer(env.SPECSTACK_REQUEST_TIMEOUT, 30_000, 'SPECSTACK_REQUEST_TIMEOUT'),
    connectionTimeout: integer(
      env.SPECSTACK_CONNECTION_TIMEOUT,
      120_000,
      'SPECSTACK_CONNECTION_TIMEOUT',
    ),
    handlerTimeout: integer(env.SPECSTACK_HANDLER_TIMEOUT, 30_000, 'SPECSTACK_HANDLER_TIMEOUT'),
    trustProxy: trustProxy(env.SPECSTACK_TRUST_PROXY),
    rateLimits: env.SPECSTACK_RATE_LIMITS === undefined || flag(env.SPECSTACK_RATE_LIMITS),
    ...(env.SPECSTACK_METRICS_TOKEN ? { metricsToken: env.SPECSTACK_METRICS_TOKEN } : {}),
    ...(env.SPECSTACK_METRICS_PORT
      ? { metricsPort: integer(env.SPECSTACK_METRICS_PORT, 0, 'SPECSTACK_METRICS_PORT') }
      : {}),
    autoMigrate: flag(env.SPECSTACK_AUTO_MIGRATE),
    databaseConnectAttempts: Math.max(
      1,
      integer(env.SPECSTACK_DB_CONNECT_ATTEMPTS, 8, 'SPECSTACK_DB_CONNECT_ATTEMPTS'),
    ),
    shutdownTimeout: integer(env.SPECSTACK_SHUTDOWN_TIMEOUT, 10_000, 'SPECSTACK_SHUTDOWN_TIMEOUT'),
    handlersDir: path.join(appDir, 'handlers'),
    migrationsDir: path.join(appDir, 'migrations'),
    environment: env.NODE_ENV || 'development',
    jwtSecret: env.JWT_SECRET || undefined,
    jwtJwksUrl: env.JWT_JWKS_URL || undefined,
    jwtJwksAlgorithms: list(env.JWT_JWKS_ALGORITHMS, ['RS256', 'ES256']),
    jwtIssuer: env.JWT_ISSUER || undefined,
    jwtAudience: env.JWT_AUDIENCE || undefined,
    jwtExpiresIn: env.JWT_EXPIRES_IN || '1h',
    apiKeys: env.SPECSTACK_API_KEYS || undefined,
    jobsDir: path.join(appDir, 'jobs'),
    redisUrl: env.REDIS_URL || undefined,
    jobsPrefix: env.SPECSTACK_JOBS_PREFIX || 'specstack',
    startWorkers: env.SPECSTACK_START_WORKERS === undefined || flag(env.SPECSTACK_START_WORKERS),
    jobsPollInterval: Math.max(
      10,
      integer(env.SPECSTACK_JOBS_POLL_INTERVAL, 500, 'SPECSTACK_JOBS_POLL_INTERVAL'),
    ),
    jobsLease: Math.max(1000, integer(env.SPECSTACK_JOBS_LEASE, 30_000, 'SPECSTACK_JOBS_LEASE')),
    jobsScheduleInterval: Math.max(
      100,
      integer(env.SPECSTACK_JOBS_SCHEDULE_INTERVAL, 1000, 'SPECSTACK_JOBS_SCHEDULE_INTERVAL'),
    ),
    jobsGrace: integer(env.SPECSTACK_JOBS_GRACE, 10_000, 'SPECSTACK_JOBS_GRACE'),
    jobsAdminScope: env.SPECSTACK_JOBS_ADMIN_SCOPE || 'admin',
    corsOrigins: origins(env.SPECSTACK_CORS_ORIGINS),
  };
  return { ...config, ...options.overrides };
}
