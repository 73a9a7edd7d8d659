// Users beyond plain CRUD: sign-up hashes the password and, in the same transaction, enqueues the
// welcome email and its follow-up ten days later, each recorded as a task of the user; reads and
// password changes are for the user themselves or an admin. DELETE is auto-CRUD, guarded by x-owner.

import { errors, type HandlerContext, hashPassword, respond, type Transaction } from 'specstack';
import { FOLLOW_UP_DELAY } from '../jobs/follow-up-email.ts';
import { callerId, requireSelfOrAdmin } from '../lib/access.ts';
import { findUserByEmail, normalizeEmail, publicUser } from '../lib/users.ts';

interface NewUser {
  email: string;
  name: string;
  password: string;
}

type UserPatch = Partial<NewUser>;

/** Enqueues a job on the transaction and records it as the user's task, both or neither. */
async function enqueueTask(
  context: Pick<HandlerContext, 'jobs'>,
  tx: Transaction,
  name: string,
  userId: number,
  delay = 0,
) {
  const { id } = await context.jobs.enqueue(
    name,
    { userId },
    // The jobId makes a retried sign-up transaction enqueue each email once.
    { transaction: tx, jobId: `${name}-${userId}`, ...(delay ? { delay } : {}) },
  );
  await tx.repository('Task').insert({
    user_id: userId,
    job_id: id,
    name,
    run_at: new Date(Date.now() + delay).toISOString(),
  });
}

export async function signUp(context: HandlerContext<object, object, NewUser>) {
  const { email, name, password } = context.body;
  const hash = await hashPassword(password);
  const user = await context.db.transaction(async (tx) => {
    const created = await tx.repository('User').insert({
      email: normalizeEmail(email),
      name,
      password: hash,
    });
    const userId = created.id as number;
    await enqueueTask(context, tx, 'welcome-email', userId);
    await enqueueTask(context, tx, 'follow-up-email', userId, FOLLOW_UP_DELAY);
    return created;
  });
  return respond(201, publicUser(user), { Location: `/api/users/${user.id}` });
}

export async function listMyTasks(context: HandlerContext) {
  const { rows } = await context.db.repository('Task').list({
    filters: { user_id: callerId(context) },
    sort: [{ column: 'id', direction: 'desc' }],
    limit: 100,
  });
  return rows;
}

export async function userExists(context: HandlerContext<object, { email: string }>) {
  const user = await findUserByEmail(context.db.repository('User'), context.query.email);
  return { exists: user !== undefined };
}

export async function getUser(context: HandlerContext<{ id: number }>) {
  requireSelfOrAdmin(context, context.params.id);
  const user = await context.db.repository('User').findByKey(context.params.id);
  if (!user) throw errors.NOT_FOUND(`user ${context.params.id} not found`);
  return publicUser(user);
}

export async function updateUser(context: HandlerContext<{ id: number }, object, UserPatch>) {
  requireSelfOrAdmin(context, context.params.id);
  const { email, name, password } = context.body;
  const patch = {
    ...(email !== undefined ? { email: normalizeEmail(email) } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(password !== undefined ? { password: await hashPassword(password) } : {}),
  };
  const user = await context.db.repository('User').update(context.params.id, patch);
  if (!user) throw errors.NOT_FOUND(`user ${context.params.id} not found`);
  return publicUser(user);
}

export async function getMe(context: HandlerContext) {
  const user = await context.db.repository('User').findByKey(callerId(context));
  if (!user) throw errors.NOT_FOUND('the user of this token no longer exists');
  return publicUser(user);
}
