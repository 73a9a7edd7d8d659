// Parameters without a schema: specstack cannot validate or coerce their value, so the handler
// gets whatever string arrived, and the generated types can only say `unknown`.

import type { LintRule, LintWarning } from './lint-rule.ts';

export const parameterSchemas: LintRule = {
  name: 'parameter-schema',
  check({ operations, at }) {
    const warnings: LintWarning[] = [];
    const seen = new Set<object>();
    for (const { operation, label } of operations) {
      for (const parameter of operation.parameters ?? []) {
        // A path item's parameter is shared by its operations: one warning for it.
        if (parameter.schema !== undefined || seen.has(parameter)) continue;
        seen.add(parameter);
        warnings.push({
          rule: 'parameter-schema',
          location: at(parameter),
          message: `${parameter.in} parameter '${parameter.name}' of ${label} has no schema: its value is neither validated nor coerced, and reaches the handler as a raw string`,
        });
      }
    }
    return warnings;
  },
};
