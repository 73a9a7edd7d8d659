// Handlers for the operations that are more than CRUD, exported under their operationIds. Every
// other operation on the tasks table is served by specstack's auto-CRUD.

import { type HandlerContext, respond } from 'specstack';

export async function completeTask(context: HandlerContext<{ id: number }>) {
  const task = await context.db.repository('Task').update(context.params.id, { done: true });
  return task ?? respond(404, { code: 404, message: `task ${context.params.id} not found` });
}
