// Bodies without a schema. A JSON request body without one is accepted unchecked; a successful
// GET without a content schema answers with whatever the handler returns, unserialized, and its
// clients get no type for it.

import type { LintRule, LintWarning } from './lint-rule.ts';

const NO_BODY = /^(204|205|304)$/;

export const requestBodySchemas: LintRule = {
  name: 'request-body-schema',
  check: ({ operations, at }) =>
    operations.flatMap(({ operation, label }) =>
      Object.entries(operation.requestBody?.content ?? {})
        .filter(([type, media]) => /json/.test(type) && media.schema === undefined)
        .map(([type, media]) => ({
          rule: 'request-body-schema',
          location: at(media),
          message: `${label} takes ${type} without a schema: any body is accepted and reaches the handler unchecked`,
        })),
    ),
};

export const responseSchemas: LintRule = {
  name: 'response-schema',
  check({ operations, at }) {
    const warnings: LintWarning[] = [];
    for (const { method, operation, label } of operations) {
      if (method !== 'get') continue;
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (!/^2/.test(status) || NO_BODY.test(status)) continue;
        const media = Object.values(response.content ?? {});
        if (media.length > 0 && media.every((m) => m.schema !== undefined)) continue;
        warnings.push({
          rule: 'response-schema',
          location: at(operation, 'responses', status),
          message: `${label} answers ${status} without a content schema: the body is neither checked nor serialized from the spec, and clients get no type for it`,
        });
      }
    }
    return warnings;
  },
};
