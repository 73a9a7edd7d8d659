// POST /login: email and password for a bearer token whose scopes follow the user's role.

import { errors, verifyPassword } from 'specstack';
import { findUserByEmail, scopesOf } from '../lib/users.ts';
import { handler } from '../types/spec.ts';

// Checked when the email is unknown, so a miss takes as long as a wrong password.
const DECOY_HASH =
  '$scrypt$N=32768,r=8,p=1$c3BlY3N0YWNrLWRlY295$QkFEQkFEQkFEQkFEQkFEQkFEQkFEQkFEQkFEQkFEQkE=';

/** Seconds until the token's `exp`, read back from the token just issued. */
function secondsLeft(token: string): number {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
  return typeof payload.exp === 'number' ? payload.exp - Math.floor(Date.now() / 1000) : 0;
}

export const login = handler('login', async (context) => {
  const { email, password } = context.body;
  const user = await findUserByEmail(context.db.repository('User'), email);
  const valid = await verifyPassword(password, user?.password ?? DECOY_HASH);
  if (!user || !valid) throw errors.UNAUTHORIZED('wrong email or password');
  const accessToken = await context.auth.issueToken({
    sub: String(user.id),
    scope: scopesOf(user.role),
  });
  return { access_token: accessToken, token_type: 'bearer', expires_in: secondsLeft(accessToken) };
});
