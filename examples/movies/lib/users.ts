// Reading users as the API shows them, and finding them by email (compared in lower case).

import type { Row, TableRepository } from 'specstack';

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** The row without its password hash: handler answers never carry it. */
export function publicUser(row: Row): Row {
  const { password: _hash, ...visible } = row;
  return visible;
}

export async function findUserByEmail(users: TableRepository, email: string) {
  const { rows } = await users.list({
    filters: { email: normalizeEmail(email) },
    sort: [],
    limit: 1,
  });
  return rows[0];
}

/** Scopes a user's token carries. */
export const scopesOf = (role: unknown) => (role === 'admin' ? ['admin'] : []);
