// Every error specstack raises is declared here once, with a stable code and an HTTP status.
// Tests match the codes, users search for them, docs/errors.md lists them.

export interface SpecstackErrorOptions {
  /** Where the fault is: `openapi.yaml#/paths/~1pets/post`, or a request field like `body.name`. */
  pointer?: string;
  /** Machine-readable details (validation errors, the offending column, …). */
  details?: unknown;
  cause?: unknown;
}

export class SpecstackError extends Error {
  readonly code: string;
  readonly statusCode: number;
  readonly pointer: string | undefined;
  readonly details: unknown;

  constructor(
    code: string,
    statusCode: number,
    message: string,
    options: SpecstackErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SpecstackError';
    this.code = code;
    this.statusCode = statusCode;
    this.pointer = options.pointer;
    this.details = options.details;
  }
}

export interface ErrorFactory {
  (message?: string, options?: SpecstackErrorOptions): SpecstackError;
  readonly code: string;
  readonly statusCode: number;
  readonly defaultMessage: string;
}

function defineError(code: string, statusCode: number, defaultMessage: string): ErrorFactory {
  const create = (message = defaultMessage, options?: SpecstackErrorOptions) =>
    new SpecstackError(code, statusCode, message, options);
  return Object.assign(create, { code, statusCode, defaultMessage });
}

// The document itself: raised at load time, never while serving.
export const SPEC_NOT_FOUND = defineError(
  'SPECSTACK_ERR_SPEC_NOT_FOUND',
  500,
  'no OpenAPI document found',
);
export const SPEC_PARSE = defineError(
  'SPECSTACK_ERR_SPEC_PARSE',
  500,
  'the OpenAPI document is not valid YAML or JSON',
);
export const SPEC_REF = defineError('SPECSTACK_ERR_SPEC_REF', 500, 'a $ref cannot be resolved');
export const SPEC_INVALID = defineError(
  'SPECSTACK_ERR_SPEC_INVALID',
  500,
  'the OpenAPI document is invalid',
);
export const SPEC_UNSUPPORTED = defineError(
  'SPECSTACK_ERR_SPEC_UNSUPPORTED',
  500,
  'the OpenAPI document uses a feature specstack does not support',
);

// The model derived from x-tablename schemas.
export const MODEL_INVALID = defineError(
  'SPECSTACK_ERR_MODEL_INVALID',
  500,
  'a table schema is invalid',
);

// Handlers and routes.
export const HANDLER_NOT_FOUND = defineError(
  'SPECSTACK_ERR_HANDLER_NOT_FOUND',
  500,
  'no handler for this operation',
);

export const HANDLER_MISMATCH = defineError(
  'SPECSTACK_ERR_HANDLER_MISMATCH',
  500,
  'a handler typed for one operation serves another',
);
export const TYPES_STALE = defineError(
  'SPECSTACK_ERR_TYPES_STALE',
  500,
  'the generated types are not what the spec generates',
);

export const APP_MODULE_TYPE = defineError(
  'SPECSTACK_ERR_APP_MODULE_TYPE',
  500,
  'app modules must be ES modules',
);
export const APP_MODULE_LOAD = defineError(
  'SPECSTACK_ERR_APP_MODULE_LOAD',
  500,
  'a module of the app failed to load',
);

// Database and migrations.
export const DATABASE_URL_INVALID = defineError(
  'SPECSTACK_ERR_DATABASE_URL',
  500,
  'DATABASE_URL is not a supported database URL',
);
export const DATABASE_UNREACHABLE = defineError(
  'SPECSTACK_ERR_DATABASE_UNREACHABLE',
  503,
  'the database cannot be reached',
);
export const MIGRATION_FAILED = defineError(
  'SPECSTACK_ERR_MIGRATION_FAILED',
  500,
  'a migration failed',
);
export const MIGRATION_CHECKSUM = defineError(
  'SPECSTACK_ERR_MIGRATION_CHECKSUM',
  500,
  'an applied migration was edited after it was applied',
);
export const MIGRATIONS_PENDING = defineError(
  'SPECSTACK_ERR_MIGRATIONS_PENDING',
  500,
  'migrations are pending',
);
export const NO_CHANGES = defineError(
  'SPECSTACK_ERR_NO_CHANGES',
  500,
  'the model has not changed since the last migration',
);
export const MIGRATION_NAME = defineError(
  'SPECSTACK_ERR_MIGRATION_NAME',
  500,
  'a migration needs a name made of letters and digits',
);
export const MIGRATION_DESTRUCTIVE = defineError(
  'SPECSTACK_ERR_MIGRATION_DESTRUCTIVE',
  500,
  'the migration would drop tables or columns',
);
export const MIGRATION_INVALID = defineError(
  'SPECSTACK_ERR_MIGRATION_INVALID',
  500,
  'a file in the migrations folder is malformed',
);
export const MIGRATION_RESET_REFUSED = defineError(
  'SPECSTACK_ERR_MIGRATION_RESET_REFUSED',
  500,
  'migrate reset in production needs --yes',
);

// Authentication settings: raised at startup.
export const AUTH_CONFIG = defineError(
  'SPECSTACK_ERR_AUTH_CONFIG',
  500,
  'the authentication settings are invalid',
);

// Seeding: `specstack seed`.
export const SEED_FAILED = defineError('SPECSTACK_ERR_SEED', 500, 'the seed could not run');

// Contract checks: `specstack check`.
export const CHECK_LOGIN = defineError(
  'SPECSTACK_ERR_CHECK_LOGIN',
  500,
  'the contract check could not log in',
);

// Request errors: what a client did wrong. Their status is what the client sees.
export const VALIDATION = defineError('SPECSTACK_ERR_VALIDATION', 400, 'the request is invalid');
export const MALFORMED_BODY = defineError(
  'SPECSTACK_ERR_MALFORMED_BODY',
  400,
  'the request body is not valid JSON',
);
export const BODY_TOO_LARGE = defineError(
  'SPECSTACK_ERR_BODY_TOO_LARGE',
  413,
  'the request body is too large',
);
export const HEADERS_TOO_LARGE = defineError(
  'SPECSTACK_ERR_HEADERS_TOO_LARGE',
  431,
  'the request line or headers are too large',
);
export const REQUEST_TIMEOUT = defineError(
  'SPECSTACK_ERR_REQUEST_TIMEOUT',
  408,
  'the request was not received in time',
);
export const MALFORMED_REQUEST = defineError(
  'SPECSTACK_ERR_MALFORMED_REQUEST',
  400,
  'the request is not valid HTTP',
);
export const UNSUPPORTED_MEDIA_TYPE = defineError(
  'SPECSTACK_ERR_UNSUPPORTED_MEDIA_TYPE',
  415,
  'the request content type is not supported by this operation',
);
export const NOT_FOUND = defineError('SPECSTACK_ERR_NOT_FOUND', 404, 'not found');
export const METHOD_NOT_ALLOWED = defineError(
  'SPECSTACK_ERR_METHOD_NOT_ALLOWED',
  405,
  'method not allowed',
);
export const NOT_ACCEPTABLE = defineError(
  'SPECSTACK_ERR_NOT_ACCEPTABLE',
  406,
  'none of the media types this operation answers in is acceptable',
);
export const IDEMPOTENCY_KEY_REUSED = defineError(
  'SPECSTACK_ERR_IDEMPOTENCY_KEY_REUSED',
  422,
  'this Idempotency-Key was first used with another request body',
);
export const PRECONDITION_FAILED = defineError(
  'SPECSTACK_ERR_PRECONDITION_FAILED',
  412,
  'the resource has changed since it was read',
);
export const PRECONDITION_REQUIRED = defineError(
  'SPECSTACK_ERR_PRECONDITION_REQUIRED',
  428,
  'this operation needs an If-Match header',
);
export const UNIQUE_VIOLATION = defineError(
  'SPECSTACK_ERR_UNIQUE_VIOLATION',
  409,
  'a row with this value already exists',
);
export const FOREIGN_KEY_VIOLATION = defineError(
  'SPECSTACK_ERR_FOREIGN_KEY_VIOLATION',
  409,
  'the row references a missing row, or is referenced by another row',
);
export const DETACH_REFUSED = defineError(
  'SPECSTACK_ERR_DETACH_REFUSED',
  409,
  'a related row left out of the list cannot lose its required foreign key',
);
export const NOT_NULL_VIOLATION = defineError(
  'SPECSTACK_ERR_NOT_NULL_VIOLATION',
  400,
  'a required value is missing',
);
export const UNAUTHORIZED = defineError(
  'SPECSTACK_ERR_UNAUTHORIZED',
  401,
  'authentication required',
);
export const FORBIDDEN = defineError('SPECSTACK_ERR_FORBIDDEN', 403, 'not allowed');
/** A client error with a status no other code covers, raised by a handler or a plugin. */
export const CLIENT_ERROR = defineError(
  'SPECSTACK_ERR_CLIENT_ERROR',
  400,
  'the request cannot be served',
);
export const RATE_LIMITED = defineError(
  'SPECSTACK_ERR_RATE_LIMITED',
  429,
  'too many requests; retry later',
);
export const HANDLER_TIMEOUT = defineError(
  'SPECSTACK_ERR_HANDLER_TIMEOUT',
  503,
  'the request took longer than the server allows; retry later',
);
export const INTERNAL = defineError('SPECSTACK_ERR_INTERNAL', 500, 'internal server error');
export const SERVICE_UNAVAILABLE = defineError(
  'SPECSTACK_ERR_UNAVAILABLE',
  503,
  'the service is not ready',
);

// Background jobs.
export const JOB_INVALID = defineError(
  'SPECSTACK_ERR_JOB_INVALID',
  500,
  'a job module of the app is not a valid job definition',
);
export const JOB_UNKNOWN = defineError(
  'SPECSTACK_ERR_JOB_UNKNOWN',
  400,
  'no job of that name is defined in the app',
);
export const JOB_NOT_FOUND = defineError('SPECSTACK_ERR_JOB_NOT_FOUND', 404, 'no such job');
export const JOB_TIMEOUT = defineError(
  'SPECSTACK_ERR_JOB_TIMEOUT',
  500,
  'the job ran past its timeout',
);
export const JOB_FAILED = defineError('SPECSTACK_ERR_JOB_FAILED', 500, 'the job failed');
export const JOB_LEASE_EXPIRED = defineError(
  'SPECSTACK_ERR_JOB_LEASE_EXPIRED',
  500,
  'the worker running the job stopped answering (it died or hung) and the job has no attempts left',
);
export const JOBS_UNAVAILABLE = defineError(
  'SPECSTACK_ERR_JOBS_UNAVAILABLE',
  503,
  'the job queue is unreachable',
);

// `specstack new`: raised before anything is written.
export const NEW_APP = defineError('SPECSTACK_ERR_NEW_APP', 500, 'the app cannot be created there');

export function isSpecstackError(error: unknown): error is SpecstackError {
  return error instanceof SpecstackError;
}

/**
 * Builds an error that carries no stack: for refusals a server makes every day (a request its
 * schema rejects, a missing credential), whose stack says nothing about a fault. Captured from
 * deep in Fastify's request path, a stack cost V8 more than the rest of a 400 answer (it rebuilds
 * the inlined frames of optimized code), about a quarter of the answer's instructions.
 */
export function withoutStack<T extends Error>(create: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return create();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
