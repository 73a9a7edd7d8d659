// Who may act on a user's row: the user themselves, or an admin. Auto-CRUD checks this from
// x-owner for the writes it serves; the handlers that read or change users check it here.

import { errors, type HandlerContext } from 'specstack';

/** Only the caller matters here, whatever the operation's parameters. */
type Caller = Pick<HandlerContext, 'principal'>;

export const ADMIN_SCOPE = 'admin';

export function isAdmin(context: Caller): boolean {
  return context.principal?.scopes.includes(ADMIN_SCOPE) ?? false;
}

/** The caller's user id; the operation's security has already refused anonymous callers. */
export function callerId(context: Caller): number {
  const id = Number(context.principal?.subject);
  if (!Number.isSafeInteger(id)) throw errors.UNAUTHORIZED('the token does not name a user');
  return id;
}

export function requireSelfOrAdmin(context: Caller, userId: number): void {
  if (callerId(context) !== userId && !isAdmin(context)) {
    throw errors.FORBIDDEN('only the user themselves or an admin may do this');
  }
}
