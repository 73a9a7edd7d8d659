// The jobs dashboard: a static page (page/) served from the installed package at /admin/jobs, and
// its JSON API under /admin/jobs/api, which takes the app's own bearer tokens and the admin scope.
// The same page and API serve both backends: they see only the JobsBackend interface.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SchemeAuthenticator } from '../../auth/security-schemes.ts';
import { FORBIDDEN, JOB_NOT_FOUND, UNAUTHORIZED, VALIDATION } from '../../errors.ts';
import type { Jobs } from '../create-jobs.ts';
import { JOB_STATES, type JobState } from '../jobs-backend.ts';

export const DASHBOARD_PATH = '/admin/jobs';

/** Where the page can sign in: the app's login operation and the fields its body requires. */
export interface LoginOperation {
  path: string;
  fields: { name: string; secret: boolean }[];
}

export interface DashboardOptions {
  jobs: Jobs;
  bearer: SchemeAuthenticator;
  adminScope: string;
  login?: LoginOperation;
}

const PAGE_DIR = path.join(import.meta.dirname, 'page');
const ASSETS: Record<string, string> = {
  'dashboard.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
};

/** Nothing but this origin: no CDN, no inline script, no framing. */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

function readAsset(file: string): string {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- a file of the dashboard's own folder, named in ASSETS
  return readFileSync(path.join(PAGE_DIR, file), 'utf8');
}

async function requireAdmin(
  request: FastifyRequest,
  reply: FastifyReply,
  options: DashboardOptions,
): Promise<void> {
  const credential = await options.bearer.authenticate(request);
  if (credential.kind !== 'valid') {
    reply.header(
      'www-authenticate',
      options.bearer.challenge(
        credential.kind === 'invalid'
          ? { error: 'invalid_token', reason: credential.reason }
          : undefined,
      ),
    );
    throw UNAUTHORIZED(
      credential.kind === 'invalid'
        ? `the bearer token was refused: ${credential.reason}`
        : 'the jobs API needs a bearer token in the Authorization header',
    );
  }
  if (!credential.principal.scopes.includes(options.adminScope)) {
    reply.header(
      'www-authenticate',
      options.bearer.challenge({
        error: 'insufficient_scope',
        reason: `the ${options.adminScope} scope is required`,
        scopes: [options.adminScope],
      }),
    );
    throw FORBIDDEN(`the jobs API needs the ${options.adminScope} scope`);
  }
}

function stateOf(value: unknown): JobState | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'string' && (JOB_STATES as readonly string[]).includes(value)) {
    return value as JobState;
  }
  throw VALIDATION(`query.state: must be one of ${JOB_STATES.join(', ')}`);
}

function limitOf(value: unknown): number {
  if (value === undefined || value === '') return 50;
  const limit = Number(value);
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 500) {
    throw VALIDATION('query.limit: must be an integer from 1 to 500');
  }
  return limit;
}

export function registerDashboard(fastify: FastifyInstance, options: DashboardOptions): void {
  const { jobs } = options;
  const page = readAsset('index.html');
  const assets = new Map(Object.keys(ASSETS).map((file) => [file, readAsset(file)]));

  fastify.get(DASHBOARD_PATH, async (_request, reply) =>
    reply.headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(page),
  );
  fastify.get<{ Params: { file: string } }>(
    `${DASHBOARD_PATH}/assets/:file`,
    async (request, reply) => {
      const body = assets.get(request.params.file);
      if (body === undefined) throw JOB_NOT_FOUND(`no dashboard asset ${request.params.file}`);
      return reply
        .headers({ ...PAGE_HEADERS, 'cache-control': 'no-cache' })
        .type(ASSETS[request.params.file]!)
        .send(body);
    },
  );
  // Public: tells the page how to sign in, nothing about jobs.
  fastify.get(`${DASHBOARD_PATH}/api/login`, async () => ({ login: options.login ?? null }));

  fastify.register(async (api) => {
    api.addHook('onRequest', (request, reply) => requireAdmin(request, reply, options));
    api.get(`${DASHBOARD_PATH}/api/overview`, async () => ({
      backend: jobs.backend.kind,
      queues: await jobs.backend.queues([...jobs.registry.keys()]),
      schedules: jobs.schedules(),
    }));
    api.get<{ Querystring: Record<string, string> }>(
      `${DASHBOARD_PATH}/api/jobs`,
      async (request) => {
        const { queue, state, limit } = request.query;
        return {
          jobs: await jobs.backend.listJobs({
            ...(queue ? { name: queue } : {}),
            ...(stateOf(state) ? { state: stateOf(state)! } : {}),
            limit: limitOf(limit),
          }),
        };
      },
    );
    api.get<{ Params: { id: string } }>(`${DASHBOARD_PATH}/api/jobs/:id`, async (request) => {
      const job = await jobs.backend.getJob(request.params.id);
      if (!job) throw JOB_NOT_FOUND(`no job ${request.params.id}`);
      return job;
    });
    api.post<{ Params: { id: string } }>(
      `${DASHBOARD_PATH}/api/jobs/:id/retry`,
      async (request) => {
        if (!(await jobs.backend.retry(request.params.id))) {
          throw JOB_NOT_FOUND(`no failed job ${request.params.id}`);
        }
        return { id: request.params.id, retried: true };
      },
    );
    api.delete<{ Params: { id: string } }>(`${DASHBOARD_PATH}/api/jobs/:id`, async (request) => {
      if (!(await jobs.backend.remove(request.params.id))) {
        throw JOB_NOT_FOUND(`no job ${request.params.id} that is not running`);
      }
      return { id: request.params.id, removed: true };
    });
    for (const action of ['pause', 'resume'] as const) {
      api.post<{ Params: { name: string } }>(
        `${DASHBOARD_PATH}/api/queues/:name/${action}`,
        async (request) => {
          const { name } = request.params;
          if (!jobs.registry.has(name)) throw JOB_NOT_FOUND(`no queue ${name}`);
          await jobs.backend.setPaused(name, action === 'pause');
          return { name, paused: action === 'pause' };
        },
      );
    }
  });
}
