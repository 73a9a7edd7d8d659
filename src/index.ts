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
export type {
  CheckFailure,
  CheckOptions,
  CheckRequest,
  CheckResponse,
  CheckResult,
  OperationResult,
} from './check/check-types.ts';
export { runCheck } from './check/run-check.ts';
export { type Config, loadConfig } from './config.ts';
export type {
  Database,
  Key,
  ListCondition,
  ListQuery,
  ListResult,
  RepositoryOf,
  Row,
  TableRepository,
  TableTypes,
  Transaction,
  UntypedTables,
} from './db/database.ts';
export * as errors from './errors.ts';
export { isSpecstackError, SpecstackError } from './errors.ts';
export {
  defineHandler,
  type Handler,
  type HandlerContext,
  type HandlerFactory,
  type HandlerResponse,
  type HandlerResult,
  type OperationContext,
  respond,
  type TypedHandler,
} from './http/handler-types.ts';
export type { UploadedFile } from './http/multipart/multipart-body.ts';
export type { JobRequestPayload, TaskRecord } from './http/tasks/task-service.ts';
export type { Jobs, JobWorker } from './jobs/create-jobs.ts';
export {
  type Backoff,
  defineJob,
  type EnqueueOptions,
  type EnqueueResult,
  type JobContext,
  type JobDefinition,
  type JobSchedule,
  type JobsClient,
} from './jobs/job-types.ts';
export type { JobRecord, JobState, QueueCounts } from './jobs/jobs-backend.ts';
export { type BulkInsertResult, insertRows } from './seed/bulk-insert.ts';
export type { CsvRecord, ImportCsvOptions, ImportResult } from './seed/import-csv.ts';
export type { ProgressReporter, ProgressTask } from './seed/progress.ts';
export { type RunSeedOptions, type RunSeedResult, runSeed } from './seed/run-seed.ts';
export {
  defineSeed,
  type SeedArgs,
  type SeedContext,
  type SeedFunction,
} from './seed/seed-types.ts';
export type { OperationTypes, SpecOperation } from './types/operation-types.ts';
export type {
  InsertShape,
  RequestShape,
  ResponseShape,
  RowShape,
  TableShape,
} from './types/shapes.ts';
