// The routes an app serves, as `specstack routes` prints them: what answers each operation and
// who may call it, without starting a server or opening the database.

import type { ModelDescription } from '../model/table-description.ts';
import type { SecurityRequirementObject } from '../spec/openapi-types.ts';
import type { HandlerModules } from './handler-modules.ts';
import { basePathOf, listOperations, type Operation } from './operations.ts';
import { resolveHandler } from './resolve-handler.ts';
import { taskOperationId, taskSecurity } from './tasks/task-spec.ts';

export interface RouteRow {
  method: string;
  path: string;
  operationId: string;
  source: string;
  security: string;
}

/** `public`, `optional`, or the alternatives: `bearerAuth[admin] | apiKey`, `{a + b}` for combinations. */
export function describeSecurity(requirements: SecurityRequirementObject[] | undefined): string {
  if (!requirements || requirements.length === 0) return 'public';
  return requirements
    .map((requirement) => {
      const names = Object.entries(requirement).map(([name, scopes]) =>
        scopes.length > 0 ? `${name}[${scopes.join(' ')}]` : name,
      );
      if (names.length === 0) return 'optional';
      return names.length === 1 ? names[0]! : `{${names.join(' + ')}}`;
    })
    .join(' | ');
}

export function describeRoutes(
  document: Record<string, unknown>,
  specFile: string,
  model: ModelDescription,
  modules: HandlerModules,
): RouteRow[] {
  const operations = listOperations(document, specFile);
  const documentSecurity = document.security as SecurityRequirementObject[] | undefined;
  const rows = operations.map((operation) => {
    const own = (operation.operation as { security?: SecurityRequirementObject[] }).security;
    return {
      method: operation.method.toUpperCase(),
      path: operation.routePath.replace(/:([^/]+)/g, '{$1}'),
      operationId: operation.operation.operationId ?? '-',
      source: resolveHandler(operation, operations, model, modules).source,
      security: describeSecurity(own ?? documentSecurity),
    };
  });
  const taskRoute = taskRow(document, operations);
  return taskRoute ? [...rows, taskRoute] : rows;
}

/** GET /tasks/{taskId}: served by specstack itself when the spec has x-job operations. */
function taskRow(document: Record<string, unknown>, operations: readonly Operation[]) {
  const jobs = operations.filter((operation) => typeof operation.operation['x-job'] === 'string');
  if (jobs.length === 0) return undefined;
  const targets = jobs.map((operation) => operation.operation as Record<string, unknown>);
  const security = taskSecurity(document, targets) as SecurityRequirementObject[];
  // Only public x-jobs: their tasks are public, as the operations are listed.
  const everyonePublic = security.every((requirement) => Object.keys(requirement).length === 0);
  return {
    method: 'GET',
    path: `${basePathOf(document)}/tasks/{taskId}`,
    operationId: taskOperationId(document),
    source: 'tasks of x-job operations',
    security: describeSecurity(everyonePublic ? [] : security),
  };
}

/** Aligned columns, one route a line. */
export function formatRouteTable(rows: readonly RouteRow[]): string {
  const header: RouteRow = {
    method: 'METHOD',
    path: 'PATH',
    operationId: 'OPERATION',
    source: 'SERVED BY',
    security: 'SECURITY',
  };
  const all = [header, ...rows];
  const keys = ['method', 'path', 'operationId', 'source', 'security'] as const;
  const widths = keys.map((key) => Math.max(...all.map((row) => row[key].length)));
  return all
    .map((row) =>
      keys
        .map((key, i) => (i === keys.length - 1 ? row[key] : row[key].padEnd(widths[i]!)))
        .join('  '),
    )
    .join('\n');
}
