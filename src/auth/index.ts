// The auth part's surface: what apps import, and what the HTTP layer wires in.

export { type Auth, type AuthDocument, createAuth } from './create-auth.ts';
export {
  callerOwnerValue,
  checkOwner,
  type OwnerRule,
  ownCreate,
  ownerRuleOf,
  ownUpdate,
} from './ownership.ts';
export { hashPassword, verifyPassword } from './passwords.ts';
export type {
  AuthHelpers,
  IssueTokenClaims,
  IssueTokenOptions,
  Principal,
} from './principal.ts';
export { securityHook } from './security-hook.ts';
export type { SecurityCheck } from './security-requirements.ts';
