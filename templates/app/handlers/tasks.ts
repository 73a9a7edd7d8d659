// Handlers for the operations that are more than CRUD, exported under their operationIds. Every
// other operation on the tasks table is served by specstack's auto-CRUD. `handler` comes from
// types/spec.ts, generated from openapi.yaml by `specstack types` (and by `specstack dev` on every
// edit): a parameter the spec does not declare, or an answer it does not document, does not compile.

import { respond } from 'specstack';
import { handler } from '../types/spec.ts';

export const completeTask = handler('completeTask', async (context) => {
  const task = await context.db.repository('Task').update(context.params.id, { done: true });
  return task ?? respond(404, { code: 404, message: `task ${context.params.id} not found` });
});
