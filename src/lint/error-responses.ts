// Operations that can fail in ways specstack answers for (bad input: 400; a missing or wrong
// token: 401) but declare neither that status, a 4XX range nor `default`: clients then receive an
// error the spec never mentions, sent as application/problem+json.

import type { OpenAPIDocument, OperationObject } from '../spec/index.ts';
import type { LintRule } from './lint-rule.ts';

function takesInput(operation: OperationObject): boolean {
  return (operation.parameters ?? []).length > 0 || operation.requestBody !== undefined;
}

/** An empty requirement (`{}`) in the list makes the operation callable without credentials. */
function needsCredentials(operation: OperationObject, document: OpenAPIDocument): boolean {
  const requirements = operation.security ?? document.security ?? [];
  return requirements.length > 0 && requirements.every((r) => Object.keys(r).length > 0);
}

function declares(operation: OperationObject, status: number): boolean {
  const codes = Object.keys(operation.responses ?? {}).map((code) => code.toUpperCase());
  return (
    codes.includes('DEFAULT') ||
    codes.includes(String(status)) ||
    codes.includes(`${String(status)[0]}XX`)
  );
}

export const errorResponses: LintRule = {
  name: 'error-responses',
  check({ document, operations, at }) {
    return operations.flatMap(({ operation, label }) => {
      const possible = [
        ...(takesInput(operation) ? [400] : []),
        ...(needsCredentials(operation, document) ? [401] : []),
      ];
      const missing = possible.filter((status) => !declares(operation, status));
      if (missing.length === 0) return [];
      return [
        {
          rule: 'error-responses',
          location: at(operation, 'responses'),
          message: `${label} can answer ${missing.join(' and ')} but declares no such response, no 4XX and no default: clients get an error shape the spec does not describe`,
        },
      ];
    });
  },
};
