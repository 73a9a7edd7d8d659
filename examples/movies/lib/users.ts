// Reading users as the API shows them, and finding them by email (compared in lower case).

import type { TableRepository } from 'specstack';

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** The row without its password hash: handler answers never carry it. */
export function publicUser<R extends { password?: unknown }>(row: R): Omit<R, 'password'> {
  const { password: _hash, ...visible } = row;
  return visible;
}

export async function findUserByEmail<R, I>(
  users: TableRepository<R, I>,
  email: string,
): Promise<R | undefined> {
  const { rows } = await users.list({
    filters: { email: normalizeEmail(email) },
    sort: [],
    limit: 1,
  });
  return rows[0];
}

/** Scopes a user's token carries. */
export const scopesOf = (role: unknown) => (role === 'admin' ? ['admin'] : []);
