// Lint warnings for people (one `file#/pointer: message [rule]` line each, then a count) and for
// CI (`--format json`: one object with every warning and the count).

import type { LintWarning } from './lint-rule.ts';

export function formatText(warnings: readonly LintWarning[]): string {
  const lines = warnings.map((w) => `${w.location}: ${w.message} [${w.rule}]`);
  const count = warnings.length;
  lines.push(count === 0 ? 'no warnings' : `${count} warning${count === 1 ? '' : 's'}`);
  return `${lines.join('\n')}\n`;
}

export function formatJson(warnings: readonly LintWarning[]): string {
  const entries = warnings.map((w) => {
    const hash = w.location.indexOf('#');
    return { ...w, file: w.location.slice(0, hash), pointer: w.location.slice(hash + 1) };
  });
  return `${JSON.stringify({ warnings: entries, count: warnings.length }, null, 2)}\n`;
}
