// Finds the app's login operation for the dashboard's sign-in form: the POST operation marked
// `x-login: true`, else the one whose operationId is `login`; its form asks for the required
// properties of the operation's JSON body.

import type { Operation } from '../../http/operations.ts';
import { jsonMediaType } from '../../http/operations.ts';
import type { LoginOperation } from './dashboard-routes.ts';

interface BodySchema {
  required?: string[];
  properties?: Record<string, { format?: string; writeOnly?: boolean }>;
}

export function findLoginOperation(operations: readonly Operation[]): LoginOperation | undefined {
  const posts = operations.filter((op) => op.method === 'post');
  const login =
    posts.find((op) => (op.operation as Record<string, unknown>)['x-login'] === true) ??
    posts.find((op) => op.operation.operationId === 'login');
  if (!login) return undefined;
  const schema = jsonMediaType(login.operation.requestBody?.content)?.media.schema as
    | BodySchema
    | undefined;
  const fields = (schema?.required ?? []).map((name) => {
    const property = schema?.properties?.[name];
    return {
      name,
      secret:
        property?.format === 'password' || property?.writeOnly === true || /password/i.test(name),
    };
  });
  return { path: login.routePath, fields };
}
