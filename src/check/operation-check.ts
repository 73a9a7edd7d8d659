// One operation's generated requests: positive ones (valid by the spec) and negative ones (one
// violation each), each a fast-check property that shrinks a failing request; after a failure the
// property runs again, ignoring what it found, so other checks the operation breaks show up too.

import fc from 'fast-check';
import { checkAuth } from './auth-checks.ts';
import type { CheckRequest, CheckResponse } from './check-types.ts';
import { withCredentials } from './credentials.ts';
import type { CheckOperation } from './discover-operations.ts';
import { negativeValues } from './negative-requests.ts';
import { buildRequest, positiveValues, type RequestValues } from './request-builder.ts';
import { checkResponse, type Finding, type RequestKind } from './response-checks.ts';
import { knownChecks, type Run, record, resultOf, seedFor, send, skip } from './run-context.ts';

/** Rounds of one property: each looks for checks the earlier ones did not fail. */
const ROUNDS = 3;

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
    const known = knownChecks(run, operation);
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
      const findings = checkResponse(operation, kind, response, run.validators, request)
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

export async function checkOperation(run: Run, operation: CheckOperation) {
  const result = resultOf(run, operation);
  const started = Date.now();
  const probe = { method: 'GET', url: '', headers: {} };
  // withCredentials hands back the same request when no credentials fit the operation's security.
  const usable =
    !operation.secured || withCredentials(probe, operation, run.schemes, run.credentials) !== probe;
  if (operation.secured) await checkAuth(run, operation);
  if (!usable) {
    skip(run, operation, 'no credentials for its security: only the 401 check ran');
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
  if (Date.now() > run.deadline) skip(run, operation, 'time limit reached');
  result.seconds += (Date.now() - started) / 1000;
}
