// The contract check of an app: every operation with generated positive and negative requests,
// the auth checks of operations with security, then stateful sequences over each resource.
// fast-check runs each property, shrinks a failing request, and the run stops at the time limit.

import fc from 'fast-check';
import { loadConfig } from '../config.ts';
import { type LoadedSpec, loadSpec } from '../spec/index.ts';
import type {
  CheckFailure,
  CheckOptions,
  CheckRequest,
  CheckResponse,
  CheckResult,
  OperationResult,
} from './check-types.ts';
import { type CheckValidators, createCheckValidators } from './check-validators.ts';
import {
  type Credentials,
  lesserScopeToken,
  readPointer,
  requiredScopes,
  resolveCredentials,
  withCredentials,
} from './credentials.ts';
import {
  type CheckOperation,
  checkOrder,
  discoverOperations,
  securitySchemes,
} from './discover-operations.ts';
import { buildInProcessApp } from './in-process.ts';
import { negativeValues } from './negative-requests.ts';
import { progressLine } from './report.ts';
import { buildRequest, positiveValues, type RequestValues } from './request-builder.ts';
import { checkResponse, type Finding, type RequestKind } from './response-checks.ts';
import { differences, findResources, type Resource } from './stateful.ts';
import { httpTransport, injectTransport, type Transport } from './transport.ts';

export const DEFAULT_EXAMPLES = 25;
/** A failing property is run again this many times, ignoring what it found, to find other checks it breaks. */
const ROUNDS = 3;
const STATEFUL_SEQUENCES = 3;

interface Run {
  transport: Transport;
  validators: CheckValidators;
  schemes: ReturnType<typeof securitySchemes>;
  credentials: Credentials;
  jwtSecret?: string;
  seed: number;
  examples: number;
  deadline: number;
  failures: CheckFailure[];
  notes: Set<string>;
  results: Map<string, OperationResult>;
}

const keyOf = (operation: CheckOperation, check: string) => `${operation.name}\u0000${check}`;
const seen = (run: Run, operation: CheckOperation) =>
  new Set(run.failures.filter((f) => f.operation === operation.name).map((f) => f.check));

function record(
  run: Run,
  operation: CheckOperation,
  finding: Finding,
  requests: CheckRequest[],
  response?: CheckResponse,
) {
  if (
    run.failures.some(
      (f) =>
        keyOf(operation, f.check) === keyOf(operation, finding.check) &&
        f.operation === operation.name,
    )
  )
    return;
  run.failures.push({
    operation: operation.name,
    route: operation.route,
    check: finding.check,
    message: finding.message,
    requests,
    ...(response ? { response } : {}),
  });
  run.results.get(operation.name)!.failures += 1;
}

/** Sends one request; a transport error (a dropped connection) counts as a server error. */
async function send(
  run: Run,
  operation: CheckOperation,
  request: CheckRequest,
): Promise<CheckResponse> {
  run.results.get(operation.name)!.requests += 1;
  try {
    return await run.transport(request);
  } catch (error) {
    return {
      status: 599,
      headers: {},
      body: `request failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

function seedFor(run: Run, operation: CheckOperation, salt: number): number {
  let hash = run.seed ^ salt;
  for (const char of operation.name) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return hash;
}

/** Runs one property (positive or negative) until it finds nothing new; records what it finds. */
async function runProperty<T>(
  run: Run,
  operation: CheckOperation,
  kind: RequestKind,
  arbitrary: fc.Arbitrary<T>,
  toValues: (value: T) => { values: RequestValues; label?: string },
  /** Values tried before the generated ones: one request per known violation. */
  examples: T[] = [],
) {
  for (let round = 0; round < ROUNDS; round += 1) {
    const remaining = run.deadline - Date.now();
    if (remaining <= 0) return;
    const known = seen(run, operation);
    let last: { request: CheckRequest; response: CheckResponse; findings: Finding[] } | undefined;
    const property = fc.asyncProperty(arbitrary, async (value) => {
      const { values, label } = toValues(value);
      const request = withCredentials(
        buildRequest(operation, values),
        operation,
        run.schemes,
        run.credentials,
      );
      const response = await send(run, operation, request);
      const findings = checkResponse(operation, kind, response, run.validators)
        .filter((f) => !known.has(f.check))
        .map((f) => (label ? { ...f, message: `${label}: ${f.message}` } : f));
      if (findings.length === 0) return true;
      last = { request, response, findings };
      return false;
    });
    const details = await fc.check(property, {
      seed: seedFor(run, operation, round + (kind === 'negative' ? 1000 : 0)),
      numRuns: run.examples,
      examples: examples.map((example) => [example] as [T]),
      ...(Number.isFinite(remaining)
        ? { interruptAfterTimeLimit: remaining, markInterruptAsFailure: false }
        : {}),
    });
    if (!details.failed || !last) return;
    const failed = last as { request: CheckRequest; response: CheckResponse; findings: Finding[] };
    for (const finding of failed.findings)
      record(run, operation, finding, [failed.request], failed.response);
  }
}

function sample<T>(arbitrary: fc.Arbitrary<T>, seed: number): T {
  return fc.sample(arbitrary, { seed, numRuns: 1 })[0]!;
}

async function checkAuth(run: Run, operation: CheckOperation) {
  const values = sample(positiveValues(operation, run.validators), seedFor(run, operation, 7));
  const request = buildRequest(operation, values);
  const response = await send(run, operation, request);
  if (response.status !== 401) {
    record(
      run,
      operation,
      {
        check: 'auth-required',
        message: `answered ${response.status} without credentials; expected 401`,
      },
      [request],
      response,
    );
  }
  for (const finding of checkResponse(operation, 'auth', response, run.validators))
    record(run, operation, finding, [request], response);
  const needed = requiredScopes(operation, run.schemes);
  if (needed.length === 0) return;
  const lesser = await lesserScopeToken(run.credentials.token, run.jwtSecret, needed);
  if ('reason' in lesser) {
    run.results.get(operation.name)!.skipped.push(`403 check skipped: ${lesser.reason}`);
    run.notes.add(
      `the 403 (too few scopes) check was skipped where a lesser-scope token was needed: ${lesser.reason}`,
    );
    return;
  }
  const scoped = withCredentials(request, operation, run.schemes, run.credentials, lesser.token);
  const answer = await send(run, operation, scoped);
  if (answer.status !== 403) {
    record(
      run,
      operation,
      {
        check: 'scope-required',
        message: `answered ${answer.status} to a token without scope ${needed.join(', ')}; expected 403`,
      },
      [scoped],
      answer,
    );
  }
}

async function checkOperation(run: Run, operation: CheckOperation) {
  const result = run.results.get(operation.name)!;
  const started = Date.now();
  const usable =
    !operation.secured ||
    withCredentials(
      { method: 'GET', url: '', headers: {} },
      operation,
      run.schemes,
      run.credentials,
    ).headers.authorization !== undefined ||
    !!run.credentials.apiKey;
  if (operation.secured) await checkAuth(run, operation);
  if (!usable) {
    result.skipped.push('no credentials for its security: only the 401 check ran');
  } else {
    await runProperty(
      run,
      operation,
      'positive',
      positiveValues(operation, run.validators),
      (values) => ({ values }),
    );
    const negative = negativeValues(operation, run.validators, seedFor(run, operation, 2000));
    if (negative) {
      const label = ({ values, mutation }: { values: RequestValues; mutation: string }) => ({
        values,
        label: mutation,
      });
      await runProperty(run, operation, 'negative', negative.arbitrary, label, negative.sweep);
    }
  }
  if (Date.now() > run.deadline) result.skipped.push('time limit reached');
  result.seconds += (Date.now() - started) / 1000;
}

const json = (body: string): unknown => {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
};

async function runSequence(run: Run, resource: Resource, index: number) {
  const steps: CheckRequest[] = [];
  const step = async (operation: CheckOperation, values: RequestValues) => {
    const request = withCredentials(
      buildRequest(operation, values),
      operation,
      run.schemes,
      run.credentials,
    );
    steps.push(request);
    const response = await send(run, operation, request);
    for (const finding of checkResponse(operation, 'positive', response, run.validators))
      record(run, operation, finding, [...steps], response);
    return response;
  };
  const item = (operation: CheckOperation, id: unknown) => {
    const values = sample(
      positiveValues(operation, run.validators),
      seedFor(run, operation, 100 + index),
    );
    return { ...values, path: { ...values.path, [resource.parameter]: id } };
  };
  const createValues = sample(
    positiveValues(resource.create, run.validators),
    seedFor(run, resource.create, 100 + index),
  );
  const created = await step(resource.create, createValues);
  const id = created.status < 300 ? readPointer(json(created.body), resource.pointer) : undefined;
  if (id === undefined || id === null) {
    run.results
      .get(resource.create.name)!
      .skipped.push(
        `stateful: create answered ${created.status}${created.status < 300 ? ` with no ${resource.pointer}` : ''}`,
      );
    return;
  }
  const readBack = async (writer: CheckOperation, check: string, sent: unknown, what: string) => {
    const response = await step(resource.read, item(resource.read, id));
    if (response.status >= 300) {
      record(
        run,
        writer,
        { check, message: `${what}, ${resource.read.route} answered ${response.status}` },
        [...steps],
        response,
      );
      return;
    }
    const diff = differences(sent, json(response.body), writer.body?.schema);
    if (diff.length > 0)
      record(
        run,
        writer,
        { check, message: `${what}, read back differs: ${diff.join('; ')}` },
        [...steps],
        response,
      );
  };
  await readBack(resource.create, 'created-reads-back', createValues.body, 'after a create');
  if (resource.update) {
    const values = item(resource.update, id);
    const updated = await step(resource.update, values);
    if (updated.status < 300)
      await readBack(resource.update, 'update-reads-back', values.body, 'after an update');
  }
  if (resource.remove) {
    const deleted = await step(resource.remove, item(resource.remove, id));
    if (deleted.status < 300) {
      const response = await step(resource.read, item(resource.read, id));
      if (response.status !== 404 && response.status !== 410) {
        record(
          run,
          resource.remove,
          {
            check: 'deleted-is-gone',
            message: `after a delete, ${resource.read.route} answered ${response.status}; expected 404`,
          },
          [...steps],
          response,
        );
      }
    }
  }
}

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
    const base = (document.servers?.[0]?.url ?? '')
      .replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '')
      .replace(/\/+$/, '');
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
    const resources = findResources(operations);
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
        await runSequence(run, resource, i);
      }
      options.progress?.(
        `${`stateful ${resource.create.route.split(' ')[1]}`.padEnd(width)}  create → read → ${resource.update ? 'update → read → ' : ''}${resource.remove ? 'delete → read' : ''}`,
      );
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
