// What a router needs beyond the OpenAPI schema: operationIds that name one operation each, and
// path templates whose every {name} is an `in: path` parameter (and no path parameter without one).

import { toPointer } from './json-pointer.ts';
import { HTTP_METHODS, type OpenAPIDocument } from './openapi-types.ts';

/** Where an object of the document comes from (`openapi.yaml#/paths/~1pets/get`), if known. */
export type Locate = (node: object) => string | undefined;

/** Returns one `file#/pointer: message` line per fault, in document order. */
export function checkOperations(document: OpenAPIDocument, locate: Locate): string[] {
  const faults: string[] = [];
  const firstUse = new Map<string, string>();
  for (const [template, item] of Object.entries(document.paths ?? {})) {
    if (template.startsWith('x-') || !item) continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const where =
        locate(operation) ?? `${locate(document) ?? '#'}${toPointer(['paths', template, method])}`;

      const id = operation.operationId;
      if (id !== undefined) {
        const previous = firstUse.get(id);
        if (previous) {
          faults.push(`${where}/operationId: operationId '${id}' is already used by ${previous}`);
        } else firstUse.set(id, where);
      }

      const names = templateNames(template);
      const repeated = names.filter((name, index) => names.indexOf(name) !== index);
      for (const name of new Set(repeated)) {
        faults.push(`${where}: the path '${template}' uses {${name}} more than once`);
      }
      const pathParameters = (operation.parameters ?? []).filter((p) => p.in === 'path');
      const declared = new Set(pathParameters.map((p) => p.name));
      for (const name of new Set(names)) {
        if (!declared.has(name)) {
          faults.push(
            `${where}: the path '${template}' has {${name}}, but no parameter '${name}' with in: path is declared`,
          );
        }
      }
      for (const [index, parameter] of pathParameters.entries()) {
        if (names.includes(parameter.name)) continue;
        const at = locate(parameter) ?? `${where}/parameters/${index}`;
        faults.push(
          `${at}: parameter '${parameter.name}' is in: path, but the path '${template}' has no {${parameter.name}}`,
        );
      }
    }
  }
  return [...new Set(faults)];
}

/** `/pets/{petId}/toys/{toyId}` -> `['petId', 'toyId']`. */
export function templateNames(template: string): string[] {
  return [...template.matchAll(/\{([^}/]+)\}/g)].map((match) => match[1]!);
}
