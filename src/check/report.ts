// What a person reads: a progress line per operation, and each failure with the check it broke,
// a curl line that sends the same request again, and the response.

import type { CheckFailure, CheckRequest, CheckResult, OperationResult } from './check-types.ts';

const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

export function curlLine(request: CheckRequest, baseUrl: string): string {
  const parts = [
    'curl -i',
    `-X ${request.method}`,
    shellQuote(`${baseUrl.replace(/\/+$/, '')}${request.url}`),
  ];
  for (const [name, value] of Object.entries(request.headers))
    parts.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  if (request.body !== undefined) parts.push(`--data-raw ${shellQuote(request.body)}`);
  return parts.join(' ');
}

export function progressLine(result: OperationResult, width: number): string {
  const verdict = result.failures > 0 ? `${result.failures} failed` : 'ok';
  const skipped = result.skipped.length > 0 ? `  (${result.skipped.join('; ')})` : '';
  const time = `${result.seconds.toFixed(1)} s`;
  return `${result.route.padEnd(width)}  ${String(result.requests).padStart(4)} ${verdict.padEnd(8)} ${time.padStart(7)}${skipped}`;
}

const INTERESTING = ['content-type', 'location', 'www-authenticate', 'x-next'];

function indent(text: string, by = '    '): string {
  return text
    .split('\n')
    .map((line) => `${by}${line}`)
    .join('\n');
}

export function formatFailure(failure: CheckFailure, baseUrl: string, index: number): string {
  const lines = [
    `${index}. ${failure.operation} (${failure.route}): ${failure.check}`,
    `   ${failure.message}`,
  ];
  const steps = failure.requests;
  steps.forEach((request, i) => {
    const label = steps.length > 1 ? `step ${i + 1}: ` : '';
    lines.push(`   ${label}${curlLine(request, baseUrl)}`);
  });
  if (failure.response) {
    const { status, headers, body } = failure.response;
    lines.push(`   response: ${status}`);
    for (const name of INTERESTING) if (headers[name]) lines.push(`     ${name}: ${headers[name]}`);
    if (body) lines.push(indent(body.length > 500 ? `${body.slice(0, 500)}…` : body, '     '));
  }
  return lines.join('\n');
}

export function formatResult(result: CheckResult): string {
  const out: string[] = [];
  if (result.failures.length > 0) {
    out.push('', `${result.failures.length} failure(s):`, '');
    for (const [i, failure] of result.failures.entries()) {
      out.push(formatFailure(failure, result.baseUrl, i + 1), '');
    }
  }
  for (const note of result.notes) out.push(`note: ${note}`);
  const requests = result.operations.reduce((sum, op) => sum + op.requests, 0);
  out.push(
    `${result.ok ? 'passed' : 'FAILED'}: ${result.operations.length} operations, ${requests} requests, ${result.failures.length} failures in ${result.seconds.toFixed(1)} s (seed ${result.seed}; --seed ${result.seed} repeats this run)`,
  );
  return out.join('\n');
}
