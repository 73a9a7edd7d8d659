// The contract check of an app: every operation with generated positive and negative requests
// and the auth checks of those with security, then stateful sequences over each resource; against
// the app built in-process, or a server at a URL.

import { loadConfig } from '../config.ts';
import { basePathOf } from '../http/operations.ts';
import { type LoadedSpec, loadSpec } from '../spec/index.ts';
import type { CheckOptions, CheckResult } from './check-types.ts';
import { createCheckValidators } from './check-validators.ts';
import { resolveCredentials } from './credentials.ts';
import { checkOrder, discoverOperations, securitySchemes } from './discover-operations.ts';
import { buildInProcessApp } from './in-process.ts';
import { checkOperation } from './operation-check.ts';
import { progressLine } from './report.ts';
import type { Run } from './run-context.ts';
import { runSequence, STATEFUL_SEQUENCES } from './run-sequence.ts';
import { servedLinks } from './served-links.ts';
import { findResources } from './stateful.ts';
import { httpTransport, injectTransport, type Transport } from './transport.ts';

export const DEFAULT_EXAMPLES = 25;

interface Target {
  spec: LoadedSpec;
  transport: Transport;
  baseUrl: string;
  jwtSecret?: string;
  close(): Promise<void>;
}

async function openTarget(options: CheckOptions, env: NodeJS.ProcessEnv): Promise<Target> {
  if (options.url) {
    const config = loadConfig({ ...(options.appDir ? { appDir: options.appDir } : {}), env });
    const spec = await loadSpec(options.specPath ?? config.specPath);
    const jwtSecret = options.jwtSecret ?? env.SPECSTACK_CHECK_JWT_SECRET;
    return {
      spec,
      transport: httpTransport(options.url),
      baseUrl: options.url,
      ...(jwtSecret ? { jwtSecret } : {}),
      close: async () => {},
    };
  }
  const built = await buildInProcessApp({ ...options, env });
  try {
    const spec = options.specPath ? await loadSpec(options.specPath) : built.app.spec;
    return {
      spec,
      transport: injectTransport(built.app.server),
      baseUrl: `http://127.0.0.1:${built.app.config.port}`,
      jwtSecret: built.jwtSecret,
      close: () => built.close(),
    };
  } catch (error) {
    await built.close();
    throw error;
  }
}

export async function runCheck(options: CheckOptions = {}): Promise<CheckResult> {
  const started = Date.now();
  const env = options.env ?? process.env;
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const target = await openTarget(options, env);
  try {
    const document = target.spec.document;
    const base = basePathOf(document);
    const filters = options.operations ?? [];
    const operations = checkOrder(discoverOperations(document, target.spec.file)).filter(
      (op) =>
        filters.length === 0 || filters.some((f) => op.name.includes(f) || op.route.includes(f)),
    );
    const run: Run = {
      transport: target.transport,
      validators: createCheckValidators(),
      schemes: securitySchemes(document),
      credentials: await resolveCredentials(options, env, target.transport, base),
      ...(target.jwtSecret ? { jwtSecret: target.jwtSecret } : {}),
      seed,
      examples: options.examples ?? DEFAULT_EXAMPLES,
      deadline: options.timeLimit ? started + options.timeLimit * 1000 : Number.POSITIVE_INFINITY,
      failures: [],
      notes: new Set(),
      results: new Map(
        operations.map((op) => [
          op.name,
          {
            operation: op.name,
            route: op.route,
            requests: 0,
            failures: 0,
            skipped: [],
            seconds: 0,
          },
        ]),
      ),
    };
    const width = Math.max(0, ...operations.map((op) => op.route.length));
    const resources = findResources(operations, await servedLinks(target.transport));
    for (const operation of operations) {
      await checkOperation(run, operation);
      // Sequences start once the resource's last operation ran alone: deletes come last.
      const result = run.results.get(operation.name)!;
      options.progress?.(progressLine(result, width));
    }
    for (const resource of resources) {
      for (
        let i = 0;
        i < Math.min(STATEFUL_SEQUENCES, run.examples) && Date.now() < run.deadline;
        i += 1
      ) {
        await runSequence(run, resource, i, resources);
      }
      const steps = ['create', 'read', ...(resource.update ? ['update', 'read'] : [])];
      if (resource.remove) steps.push('delete', 'read');
      const label = `stateful ${resource.create.route.split(' ')[1]}`;
      options.progress?.(`${label.padEnd(width)}  ${steps.join(' → ')}`);
    }
    return {
      ok: run.failures.length === 0,
      seed,
      failures: run.failures,
      operations: [...run.results.values()],
      notes: [...run.notes],
      baseUrl: target.baseUrl,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await target.close();
  }
}
