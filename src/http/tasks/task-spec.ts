// The served spec's share of long-running operations: each x-job operation's 202 answer (the task,
// its Location, a link to the task's read) and GET /tasks/{taskId} itself, so clients and the
// contract tester see them like any written operation.

import type { Operation } from '../operations.ts';

type Json = Record<string, unknown>;

/** The JSON Schema of TaskRecord, as the served spec declares it. */
export const TASK_SCHEMA = {
  type: 'object',
  description:
    'A long-running operation: the job an x-job operation started, as its worker last recorded it',
  required: ['id', 'operation', 'state', 'attemptsMade', 'attempts', 'createdAt'],
  properties: {
    id: { type: 'string', description: 'Random; the {taskId} of GET /tasks/{taskId}' },
    operation: { type: 'string', description: 'The operation that started the task' },
    state: { type: 'string', enum: ['waiting', 'delayed', 'active', 'completed', 'failed'] },
    progress: { description: 'What the job last reported as its progress' },
    result: { description: 'What the job returned, once completed' },
    error: { type: 'string', description: "The last attempt's error, once failed or retrying" },
    attemptsMade: { type: 'integer', minimum: 0 },
    attempts: { type: 'integer', minimum: 1 },
    createdAt: { type: 'string', format: 'date-time' },
    startedAt: { type: 'string', format: 'date-time' },
    finishedAt: { type: 'string', format: 'date-time' },
  },
} as const;

const SCHEMA_NAME = 'SpecstackTask';
const TASK_PATH = '/tasks/{taskId}';

function operationIdFree(document: Json, id: string): boolean {
  for (const item of Object.values((document.paths ?? {}) as Record<string, Json>)) {
    for (const operation of Object.values(item ?? {})) {
      if ((operation as Json | null)?.operationId === id) return false;
    }
  }
  return true;
}

/** The 202 answer as specstack sends it, completing whatever the written spec declares of it. */
function complete202(target: Json, taskRef: Json, readId: string): void {
  const responses = (target.responses ?? {}) as Record<string, Json>;
  const accepted = (responses['202'] ?? {
    description: 'Accepted: the job is queued; follow Location to its task',
  }) as Json;
  if (!accepted.description) accepted.description = 'Accepted: the job is queued';
  accepted.headers ??= {};
  const headers = accepted.headers as Record<string, unknown>;
  if (!Object.keys(headers).some((name) => name.toLowerCase() === 'location')) {
    headers.Location = {
      description: 'Where the task is: GET /tasks/{taskId}',
      required: true,
      schema: { type: 'string' },
    };
  }
  accepted.content ??= { 'application/json': { schema: taskRef } };
  accepted.links ??= {
    task: { operationId: readId, parameters: { taskId: '$response.body#/id' } },
  };
  responses['202'] = accepted;
  target.responses = responses;
}

/** The operationId GET /tasks/{taskId} goes by: `getTask`, unless the spec uses that one already. */
export function taskOperationId(document: Json): string {
  return operationIdFree(document, 'getTask') ? 'getTask' : 'specstackGetTask';
}

/**
 * Who may call GET /tasks/{taskId}: every x-job operation's alternatives (a task is read under the
 * security of the operation that started it), `{}` among them when one of those is public.
 */
export function taskSecurity(document: Json, targets: readonly Json[]): unknown[] {
  const alternatives = new Map<string, unknown>();
  for (const target of targets) {
    const security = (target.security ?? document.security ?? []) as unknown[];
    for (const requirement of security.length > 0 ? security : [{}]) {
      alternatives.set(JSON.stringify(requirement), requirement);
    }
  }
  return [...alternatives.values()];
}

/** The error answers of GET /tasks/{taskId}: the x-job operations' shared `default`, if they have one. */
function taskErrors(targets: readonly Json[], problem: (description: string) => Json): Json {
  const defaults = targets.map((target) => (target.responses as Json | undefined)?.default);
  const shared = new Set(defaults.map((response) => JSON.stringify(response ?? null)));
  if (shared.size === 1 && defaults[0]) return { default: defaults[0] };
  return {
    '401': problem('the operation that started the task needs credentials'),
    '403': problem("the caller lacks the scopes of the task's operation"),
    '404': problem('no such task, or it belongs to another caller'),
  };
}

export function addTaskOperations(
  document: Json,
  operations: readonly Operation[],
  problem: (description: string) => Json,
): void {
  const paths = (document.paths ?? {}) as Record<string, Record<string, Json>>;
  const targets = operations
    .filter((operation) => typeof operation.operation['x-job'] === 'string')
    .map((operation) => paths[operation.path]?.[operation.method])
    .filter((target): target is Json => target !== undefined);
  if (targets.length === 0 || paths[TASK_PATH]?.get) return;

  const components = (document.components ?? {}) as Json;
  const schemas = (components.schemas ?? {}) as Json;
  schemas[SCHEMA_NAME] ??= structuredClone(TASK_SCHEMA);
  components.schemas = schemas;
  document.components = components;
  const taskRef = { $ref: `#/components/schemas/${SCHEMA_NAME}` };
  const readId = taskOperationId(document);

  for (const target of targets) complete202(target, taskRef, readId);
  paths[TASK_PATH] = {
    ...paths[TASK_PATH],
    get: {
      operationId: readId,
      summary: 'A long-running operation: the state, progress and result of its job',
      description:
        'Read under the security of the operation that started the task; when that operation authenticates, only the caller who started it reads it (anyone else gets 404).',
      parameters: [{ name: 'taskId', in: 'path', required: true, schema: { type: 'string' } }],
      security: taskSecurity(document, targets),
      responses: {
        '200': {
          description: 'The task as its worker last recorded it',
          content: { 'application/json': { schema: taskRef } },
        },
        ...taskErrors(targets, problem),
      },
    },
  };
  document.paths = paths;
}
