// JUnit XML for CI: one test case per operation and check run, a failure element per failed check.

import type { CheckResult } from './check-types.ts';
import { curlLine } from './report.ts';

const xml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // XML 1.0 cannot carry most control characters, even escaped.
    .replace(/\p{Cc}/gu, (c) => (c === '\n' || c === '\t' || c === '\r' ? c : '?'));

export function junitXml(result: CheckResult, suiteName = 'specstack check'): string {
  const cases: string[] = [];
  for (const operation of result.operations) {
    const failures = result.failures.filter((f) => f.operation === operation.operation);
    const name = xml(`${operation.route} (${operation.operation})`);
    const attributes = `classname="${xml(suiteName)}" name="${name}" time="${operation.seconds.toFixed(3)}"`;
    if (failures.length === 0) {
      cases.push(
        operation.requests === 0
          ? `  <testcase ${attributes}><skipped message="${xml(operation.skipped.join('; '))}"/></testcase>`
          : `  <testcase ${attributes}/>`,
      );
      continue;
    }
    const body = failures
      .map((f) => {
        const detail = [f.message, ...f.requests.map((r) => curlLine(r, result.baseUrl))];
        if (f.response)
          detail.push(`response ${f.response.status}: ${f.response.body.slice(0, 500)}`);
        return `    <failure type="${xml(f.check)}" message="${xml(`${f.check}: ${f.message}`)}">${xml(detail.join('\n'))}</failure>`;
      })
      .join('\n');
    cases.push(`  <testcase ${attributes}>\n${body}\n  </testcase>`);
  }
  const failed = result.operations.filter((op) =>
    result.failures.some((f) => f.operation === op.operation),
  ).length;
  const skipped = result.operations.filter((op) => op.requests === 0).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuite name="${xml(suiteName)}" tests="${result.operations.length}" failures="${failed}" errors="0" skipped="${skipped}" time="${result.seconds.toFixed(3)}">`,
    `  <properties><property name="seed" value="${result.seed}"/></properties>`,
    ...cases,
    '</testsuite>',
    '',
  ].join('\n');
}
