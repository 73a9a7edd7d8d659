// What every lint rule reads and returns: the loaded spec's operations, a way to name where a node
// was written (`paths/pets.yaml#/get/responses`), and warnings carrying that location.

import {
  HTTP_METHODS,
  type HttpMethod,
  type LoadedSpec,
  type OpenAPIDocument,
  type OperationObject,
  type PathItemObject,
} from '../spec/index.ts';
import { toPointer } from '../spec/json-pointer.ts';

export interface LintWarning {
  /** The rule's name, as `--format json` and docs/lint.md give it. */
  rule: string;
  /** `file#/json/pointer`: the file that defines the node, even in a multi-file spec. */
  location: string;
  message: string;
}

export interface LintOperation {
  /** The path as the spec writes it: `/pets/{petId}`. */
  path: string;
  method: HttpMethod;
  /** Dereferenced; `parameters` holds the path item's too. */
  operation: OperationObject;
  /** `GET /pets/{petId}`, for messages. */
  label: string;
}

export interface LintContext {
  document: OpenAPIDocument;
  operations: readonly LintOperation[];
  /** The source location of `node`, then `tokens` below it. */
  at(node: object, ...tokens: (string | number)[]): string;
  /** The app's job names, when its jobs/ folder was read (x-job names are checked against them). */
  jobNames?: ReadonlySet<string>;
}

export interface LintRule {
  name: string;
  check(context: LintContext): LintWarning[];
}

export function lintContext(spec: LoadedSpec, jobNames?: ReadonlySet<string>): LintContext {
  const root = spec.pointerOf(spec.document) ?? '#';
  const operations: LintOperation[] = [];
  for (const [path, item] of Object.entries(spec.document.paths ?? {})) {
    if (path.startsWith('x-') || !item) continue;
    for (const method of HTTP_METHODS) {
      const operation = (item as PathItemObject)[method];
      if (operation)
        operations.push({ path, method, operation, label: `${method.toUpperCase()} ${path}` });
    }
  }
  return {
    document: spec.document,
    operations,
    // Maps that normalization builds afresh (an operation's `responses`) have no origin: rules
    // name them from the operation, `at(operation, 'responses', '200')`.
    at: (node, ...tokens) => `${spec.pointerOf(node) ?? root}${toPointer(tokens)}`,
    ...(jobNames ? { jobNames } : {}),
  };
}
