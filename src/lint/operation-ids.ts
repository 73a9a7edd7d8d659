// Operations without an operationId: handler modules, generated types, logs and `specstack
// routes` all name an operation by it, and fall back to `GET /path` without one.

import type { LintRule } from './lint-rule.ts';

export const operationIds: LintRule = {
  name: 'operation-id',
  check: ({ operations, at }) =>
    operations
      .filter(({ operation }) => !operation.operationId)
      .map(({ operation, label }) => ({
        rule: 'operation-id',
        location: at(operation),
        message: `${label} has no operationId: a handler for it cannot be named, nor its generated types`,
      })),
};
