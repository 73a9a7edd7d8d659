// The Fastify onRequest hook that runs an operation's compiled security check: before the body is
// read, so an unauthenticated client cannot make the server parse a large body.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { FORBIDDEN, UNAUTHORIZED, withoutStack } from '../errors.ts';
import type { Principal } from './principal.ts';
import type { SecurityCheck } from './security-requirements.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller, set by the operation's security hook. */
    principal?: Principal;
  }
}

export function securityHook(check: SecurityCheck) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const outcome = await check(request);
    if (outcome.ok) {
      if (outcome.principal) request.principal = outcome.principal;
      return;
    }
    if (outcome.challenges.length > 0) reply.header('www-authenticate', outcome.challenges);
    // A refusal, not a fault: no stack to capture (errors.ts).
    throw withoutStack(() => (outcome.status === 403 ? FORBIDDEN : UNAUTHORIZED)(outcome.message));
  };
}
