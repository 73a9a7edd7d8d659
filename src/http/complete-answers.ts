// The served spec's share of what the framework answers whatever handler serves an operation:
// 401/403 where security applies, 406 where Accept is checked, 415 where a body is taken, 428
// where If-Match is required, 429 where x-rate-limit applies, 503 everywhere (the handler's time
// limit, an unreachable database, a server shutting down); and on auto-CRUD item routes the
// conditional request headers specstack honours (If-None-Match on reads, If-Match on writes).

import type { ModelDescription } from '../model/table-description.ts';
import { type CrudAction, inferCrud } from './auto-crud/infer-crud.ts';
import type { Operation } from './operations.ts';
import { rateLimitRuleOf } from './safety/rate-limit-spec.ts';

type Json = Record<string, unknown>;

function requiresCredentials(security: unknown): boolean {
  return (
    Array.isArray(security) &&
    security.some((requirement) => Object.keys((requirement ?? {}) as Json).length > 0)
  );
}

/** content-negotiation.ts answers 406 when the success answers have types and none is a wildcard. */
function checksAccept(operation: Operation): boolean {
  const types = Object.entries(operation.operation.responses ?? {})
    .filter(([status]) => /^2(\d\d|XX)$/i.test(status))
    .flatMap(([, response]) => Object.keys(response.content ?? {}));
  return types.length > 0 && !types.some((type) => type.includes('*'));
}

function hasHeader(operation: Operation, name: string): boolean {
  return operation.parameters.some((p) => p.in === 'header' && p.name.toLowerCase() === name);
}

/** The framework's answers to the operation, by status. */
function frameworkErrors(
  document: Json,
  operation: Operation,
  honoursIdempotencyKey: boolean,
): Record<string, string> {
  const own = operation.operation as { security?: unknown };
  const errors: Record<string, string> = {};
  if (requiresCredentials(own.security ?? document.security)) {
    errors['401'] = 'credentials are missing or invalid';
    errors['403'] = 'the credentials lack a scope the operation needs, or the row is not theirs';
  }
  if (checksAccept(operation)) errors['406'] = 'Accept excludes every type this answers in';
  if (operation.operation.requestBody) errors['415'] = 'the body is of a type not accepted here';
  const ifMatch = operation.parameters.find(
    (p) => p.in === 'header' && p.name.toLowerCase() === 'if-match',
  );
  if (honoursIdempotencyKey) {
    errors['422'] =
      'the Idempotency-Key was first used with another request (parameters, query or body): send a new key';
  }
  if (ifMatch?.required) errors['428'] = 'If-Match is required: read the resource first';
  if (rateLimitRuleOf(operation)) errors['429'] = 'too many requests from this client; retry later';
  errors['503'] =
    'the handler ran past its time limit (then Retry-After says when to try again), the database is unreachable, or the server is shutting down';
  return errors;
}

/** The 503 of the handler's time limit says when to try again (handler-time-limit.ts). */
const RETRY_AFTER_HEADER = {
  'Retry-After': {
    description: 'Seconds to wait before trying again, when the time limit answered',
    schema: { type: 'integer' },
  },
};

const ETAG_HEADER = {
  description: 'The strong validator of the row: send it as If-None-Match or If-Match',
  schema: { type: 'string' },
};

/** The conditional headers auto-CRUD honours on its item routes, when the spec does not declare them. */
function addConditionalHeaders(target: Json, operation: Operation, action: CrudAction): void {
  const name = action === 'read' ? 'If-None-Match' : 'If-Match';
  if (!['read', 'replace', 'update', 'remove'].includes(action)) return;
  if (!hasHeader(operation, name.toLowerCase())) {
    const parameters = (target.parameters ?? []) as unknown[];
    parameters.push({
      name,
      in: 'header',
      required: false,
      description:
        action === 'read'
          ? 'An ETag of the copy the client has: 304 when it is still current'
          : 'The ETag the client read: 412 when the row has changed since',
      schema: { type: 'string' },
    });
    target.parameters = parameters;
  }
  if (action !== 'read') return;
  const responses = (target.responses ?? {}) as Record<string, Json>;
  const success = Object.entries(responses).find(([status]) => /^2\d\d$/.test(status))?.[1];
  if (!success) return;
  const headers = (success.headers ?? {}) as Json;
  if (!Object.keys(headers).some((key) => key.toLowerCase() === 'etag')) headers.ETag = ETAG_HEADER;
  success.headers = headers;
  if (!('304' in responses)) responses['304'] = { description: 'Not modified: If-None-Match hit' };
}

export function addFrameworkAnswers(
  document: Json,
  operations: readonly Operation[],
  model: ModelDescription,
  problem: (description: string) => Json,
  /** Whether auto-CRUD serves the operation (not a handler of its own). */
  isAutoCrud: (operation: Operation) => boolean,
): void {
  const paths = (document.paths ?? {}) as Record<string, Record<string, Json>>;
  for (const operation of operations) {
    const target = paths[operation.path]?.[operation.method];
    if (!target) continue;
    const responses = (target.responses ?? {}) as Record<string, unknown>;
    const plan = isAutoCrud(operation) ? inferCrud(operation, operations, model) : undefined;
    // Keys are honoured by auto-CRUD creates and x-job operations (idempotency-keys.ts).
    const honoursKey =
      hasHeader(operation, 'idempotency-key') &&
      (plan?.action === 'create' || 'x-job' in operation.operation);
    if (!('default' in responses)) {
      const errors = frameworkErrors(document, operation, honoursKey);
      for (const [status, description] of Object.entries(errors)) {
        if (!(status in responses) && !(`${status[0]}XX` in responses)) {
          responses[status] =
            status === '503'
              ? { ...problem(description), headers: RETRY_AFTER_HEADER }
              : problem(description);
        }
      }
      target.responses = responses;
    }
    if (plan) addConditionalHeaders(target, operation, plan.action);
  }
}
