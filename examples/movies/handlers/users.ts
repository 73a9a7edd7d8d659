// Users beyond plain CRUD: sign-up hashes the password and, in the same transaction, enqueues the
// welcome email and its follow-up ten days later, each recorded as a task of the user; reads and
// password changes are for the user themselves or an admin. DELETE is auto-CRUD, guarded by
// x-owner, and so is GET /me/tasks (x-owner-only: the caller's tasks).

import { errors, hashPassword, type JobsClient, respond } from 'specstack';
import { FOLLOW_UP_DELAY } from '../jobs/follow-up-email.ts';
import { callerId, requireSelfOrAdmin } from '../lib/access.ts';
import { findUserByEmail, normalizeEmail, publicUser } from '../lib/users.ts';
import { handler, type Tx } from '../types/spec.ts';

/** Enqueues a job on the transaction and records it as the user's task, both or neither. */
async function enqueueTask(jobs: JobsClient, tx: Tx, name: string, userId: number, delay = 0) {
  const { id } = await jobs.enqueue(
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

export const signUp = handler('signUp', async (context) => {
  const { email, name, password } = context.body;
  const hash = await hashPassword(password);
  const user = await context.db.transaction(async (tx) => {
    const created = await tx.repository('User').insert({
      email: normalizeEmail(email),
      name,
      password: hash,
    });
    await enqueueTask(context.jobs, tx, 'welcome-email', created.id);
    await enqueueTask(context.jobs, tx, 'follow-up-email', created.id, FOLLOW_UP_DELAY);
    return created;
  });
  return respond(201, publicUser(user), { Location: `/api/users/${user.id}` });
});

export const userExists = handler('userExists', async (context) => {
  const user = await findUserByEmail(context.db.repository('User'), context.query.email);
  return { exists: user !== undefined };
});

export const getUser = handler('getUser', async (context) => {
  requireSelfOrAdmin(context, context.params.id);
  const user = await context.db.repository('User').findByKey(context.params.id);
  if (!user) throw errors.NOT_FOUND(`user ${context.params.id} not found`);
  return publicUser(user);
});

export const updateUser = handler('updateUser', async (context) => {
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
});

export const getMe = handler('getMe', async (context) => {
  const user = await context.db.repository('User').findByKey(callerId(context));
  if (!user) throw errors.NOT_FOUND('the user of this token no longer exists');
  return publicUser(user);
});
