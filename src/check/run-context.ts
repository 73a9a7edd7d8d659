// What every part of a run shares: how to send a request (counted per operation), how to record a
// failure (once per operation and check), and the seeds that make a run repeat.

import fc from 'fast-check';
import type { SecuritySchemeObject } from '../spec/index.ts';
import type { CheckFailure, CheckRequest, CheckResponse, OperationResult } from './check-types.ts';
import type { CheckValidators } from './check-validators.ts';
import type { Credentials } from './credentials.ts';
import type { CheckOperation } from './discover-operations.ts';
import type { Finding } from './response-checks.ts';
import type { Transport } from './transport.ts';

export interface Run {
  transport: Transport;
  validators: CheckValidators;
  schemes: Record<string, SecuritySchemeObject>;
  credentials: Credentials;
  /** The server's HS256 secret, when known: tokens with fewer scopes can then be made. */
  jwtSecret?: string;
  seed: number;
  examples: number;
  /** Epoch milliseconds after which nothing new is generated. */
  deadline: number;
  failures: CheckFailure[];
  notes: Set<string>;
  results: Map<string, OperationResult>;
}

export function resultOf(run: Run, operation: CheckOperation): OperationResult {
  return run.results.get(operation.name)!;
}

/** Notes why some of the operation's checks did not run, each once. */
export function skip(run: Run, operation: CheckOperation, reason: string): void {
  const skipped = resultOf(run, operation).skipped;
  if (!skipped.includes(reason)) skipped.push(reason);
}

/** The checks the operation already failed: a later request that fails them again is not news. */
export function knownChecks(run: Run, operation: CheckOperation): Set<string> {
  return new Set(run.failures.filter((f) => f.operation === operation.name).map((f) => f.check));
}

export function record(
  run: Run,
  operation: CheckOperation,
  finding: Finding,
  requests: CheckRequest[],
  response?: CheckResponse,
): void {
  if (knownChecks(run, operation).has(finding.check)) return;
  run.failures.push({
    operation: operation.name,
    route: operation.route,
    check: finding.check,
    message: finding.message,
    requests,
    ...(response ? { response } : {}),
  });
  resultOf(run, operation).failures += 1;
}

/** Sends one request; a transport error (a dropped connection) counts as a server error. */
export async function send(
  run: Run,
  operation: CheckOperation,
  request: CheckRequest,
): Promise<CheckResponse> {
  resultOf(run, operation).requests += 1;
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

/** A seed per operation and purpose: adding an operation does not change the others' requests. */
export function seedFor(run: Run, operation: CheckOperation, salt: number): number {
  let hash = run.seed ^ salt;
  for (const char of operation.name) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return hash;
}

export function sampleOne<T>(arbitrary: fc.Arbitrary<T>, seed: number): T {
  return fc.sample(arbitrary, { seed, numRuns: 1 })[0]!;
}

export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
