// Operations marked `x-job`: what specstack cannot serve as written. The job name must be a job of
// the app (checked when the app's jobs are known), the operation must be one a client may expect
// to start work (not GET or HEAD), and it must not declare another success than the 202 it gets.

import type { LintRule, LintWarning } from './lint-rule.ts';

const RULE = 'x-job';

export const jobOperations: LintRule = {
  name: RULE,
  check: ({ operations, at, jobNames }) => {
    const warnings: LintWarning[] = [];
    for (const { operation, method, label } of operations) {
      const job = operation['x-job'];
      if (job === undefined) continue;
      const location = at(operation, 'x-job');
      const warn = (message: string, where = location) =>
        warnings.push({ rule: RULE, location: where, message });
      if (typeof job !== 'string' || job === '') {
        warn(`${label}: x-job must be the name of a job in jobs/, got ${JSON.stringify(job)}`);
        continue;
      }
      if (jobNames && !jobNames.has(job)) {
        warn(
          `${label}: no job named ${JSON.stringify(job)} is defined in jobs/ (defined: ${[...jobNames].sort().join(', ') || 'none'}); the server refuses to start`,
        );
      }
      if (operation['x-handler'] !== undefined) {
        warn(
          `${label}: x-job operations are served by specstack; its x-handler is refused at start`,
        );
      }
      if (method === 'get' || method === 'head') {
        warn(`${label}: a ${method.toUpperCase()} must be safe, but x-job starts work; use POST`);
      }
      for (const status of Object.keys(operation.responses ?? {})) {
        if (/^2(\d\d|XX)$/i.test(status) && status !== '202') {
          warn(
            `${label}: declares ${status}, but an x-job operation always answers 202 with its task`,
            at(operation, 'responses', status),
          );
        }
      }
    }
    return warnings;
  },
};
