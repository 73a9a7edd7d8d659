// Users beyond plain CRUD: sign-up hashes the password, reads and password changes are for the
// user themselves or an admin. DELETE is auto-CRUD, guarded by the schema's x-owner.

import { errors, type HandlerContext, hashPassword, respond } from 'specstack';
import { callerId, requireSelfOrAdmin } from '../lib/access.ts';
import { findUserByEmail, normalizeEmail, publicUser } from '../lib/users.ts';

interface NewUser {
  email: string;
  name: string;
  password: string;
}

type UserPatch = Partial<NewUser>;

export async function signUp(context: HandlerContext<object, object, NewUser>) {
  const { email, name, password } = context.body;
  const user = await context.db.repository('User').insert({
    email: normalizeEmail(email),
    name,
    password: await hashPassword(password),
  });
  return respond(201, publicUser(user), { Location: `/api/users/${user.id}` });
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
