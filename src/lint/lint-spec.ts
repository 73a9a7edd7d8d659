// Runs every lint rule over a loaded spec: what in it would hurt the service specstack builds
// from it. Warnings come sorted by file and pointer, so a spec's faults read top to bottom.

import type { LoadedSpec } from '../spec/index.ts';
import { ambiguousPaths } from './ambiguous-paths.ts';
import { requestBodySchemas, responseSchemas } from './body-schemas.ts';
import { errorResponses } from './error-responses.ts';
import { jobOperations } from './job-operations.ts';
import { type LintRule, type LintWarning, lintContext } from './lint-rule.ts';
import { operationIds } from './operation-ids.ts';
import { parameterSchemas } from './parameter-schemas.ts';
import { tableSchemas } from './table-schemas.ts';
import { versionedSchemas } from './versioned-schemas.ts';

export type { LintWarning };

export const LINT_RULES: readonly LintRule[] = [
  operationIds,
  errorResponses,
  tableSchemas,
  ambiguousPaths,
  parameterSchemas,
  requestBodySchemas,
  responseSchemas,
  jobOperations,
  versionedSchemas,
];

export interface LintOptions {
  /** The app's job names: x-job values are checked against them. */
  jobNames?: ReadonlySet<string>;
}

export function lintSpec(
  spec: LoadedSpec,
  rules: readonly LintRule[] = LINT_RULES,
  options: LintOptions = {},
): LintWarning[] {
  const context = lintContext(spec, options.jobNames);
  const warnings = rules.flatMap((rule) => rule.check(context));
  return warnings.sort(
    (a, b) => a.location.localeCompare(b.location) || a.rule.localeCompare(b.rule),
  );
}
