// The shapes `runCheck` takes and gives back: options, the requests it sends, the failures it reports.

import type { Config } from '../config.ts';

export interface CheckOptions {
  /** The app folder (holds openapi.yaml); default the working directory. */
  appDir?: string;
  /** Check a running server at this base URL instead of building the app in-process. */
  url?: string;
  /** The contract to check against, when it is not the app's own spec file. */
  specPath?: string;
  /** Settings for the in-process app; its database is a throwaway SQLite file unless `databaseUrl` names another (empty) one. */
  overrides?: Partial<Config>;
  env?: NodeJS.ProcessEnv;
  /** Run the app's seed on the throwaway database first (in-process only). */
  seedData?: boolean;
  /** fast-check's seed: the same seed sends the same requests. Default: random, and reported. */
  seed?: number;
  /** Generated requests per operation and kind (positive, negative). Default 25. */
  examples?: number;
  /** Seconds for the whole run; operations not reached are reported as skipped. */
  timeLimit?: number;
  /** Bearer token sent to operations with security (SPECSTACK_CHECK_TOKEN). */
  token?: string;
  /** API key sent to operations with security (SPECSTACK_CHECK_API_KEY). */
  apiKey?: string;
  /** A login to call first: `POST /api/login {"email":"…","password":"…"}` (SPECSTACK_CHECK_LOGIN). */
  login?: string;
  /** JSON pointer of the token in the login response; default /access_token, /token, … */
  tokenPointer?: string;
  /** HS256 secret of the server's tokens, to mint a token with fewer scopes (--url mode). */
  jwtSecret?: string;
  /** Only operations whose name or `METHOD path` contains one of these. */
  operations?: string[];
  /** Called with a line per operation as the run goes. */
  progress?: (line: string) => void;
}

export interface CheckRequest {
  method: string;
  /** Path and query string, base path included: `/api/pets?limit=3`. */
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface CheckResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface CheckFailure {
  /** The operation's name: its operationId, or `METHOD path`. */
  operation: string;
  /** `GET /pets/{petId}` */
  route: string;
  /** not-a-server-error, status-documented, response-schema, … (docs/check.md lists them). */
  check: string;
  message: string;
  /** The requests that led to it, the last one answered with `response`. */
  requests: CheckRequest[];
  response?: CheckResponse;
}

export interface OperationResult {
  operation: string;
  route: string;
  /** Requests sent for this operation. */
  requests: number;
  failures: number;
  /** Why some or all of its checks did not run. */
  skipped: string[];
  seconds: number;
}

export interface CheckResult {
  ok: boolean;
  seed: number;
  failures: CheckFailure[];
  operations: OperationResult[];
  /** Checks that could not run at all, and why (e.g. no lesser-scope token could be made). */
  notes: string[];
  /** The base URL the curl lines use. */
  baseUrl: string;
  seconds: number;
}
