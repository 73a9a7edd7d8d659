// specstack's public API. Everything not exported here is internal.

export { type App, type CreateAppOptions, createApp } from './app.ts';
export {
  type AuthHelpers,
  hashPassword,
  type IssueTokenClaims,
  type IssueTokenOptions,
  type Principal,
  verifyPassword,
} from './auth/index.ts';
export { type Config, loadConfig } from './config.ts';
export type { Database, Key, ListQuery, ListResult, Row, TableRepository } from './db/database.ts';
export { isSpecstackError, SpecstackError } from './errors.ts';
export {
  type Handler,
  type HandlerContext,
  type HandlerResponse,
  respond,
} from './http/handler-types.ts';
