// Paths a router cannot tell apart as the author meant: `/pets/{id}` and `/pets/{name}` are one
// route under two names, and `/pets/mine` takes the request for a pet whose id is `mine` when
// both serve the same method and `mine` is a valid id.

import { createValidators } from '../http/validator.ts';
import type { ParameterObject } from '../spec/index.ts';
import type { LintContext, LintOperation, LintRule, LintWarning } from './lint-rule.ts';

const PARAMETER = /^\{([^}/]+)\}$/;

interface PathShape {
  path: string;
  segments: string[];
  operations: LintOperation[];
}

function shapes(operations: readonly LintOperation[]): PathShape[] {
  const byPath = new Map<string, PathShape>();
  for (const op of operations) {
    // The router ignores a trailing slash: `/pets/` is `/pets`.
    const segments = (op.path.length > 1 ? op.path.replace(/\/$/, '') : op.path).split('/');
    const shape = byPath.get(op.path) ?? { path: op.path, segments, operations: [] };
    byPath.set(op.path, shape);
    shape.operations.push(op);
  }
  return [...byPath.values()];
}

function parameterOf(shape: PathShape, name: string): ParameterObject | undefined {
  for (const { operation } of shape.operations) {
    const found = operation.parameters?.find((p) => p.in === 'path' && p.name === name);
    if (found) return found;
  }
  return undefined;
}

type Accepts = (literal: string, parameter?: ParameterObject) => boolean;

/**
 * How `a` and `b` collide: `slash` when they differ only in a trailing slash; `names` when they
 * differ only in parameter names; `shadow` (with the
 * first literal and the parameter it shadows) when a literal segment of one is a valid value of
 * the other's parameter; undefined when no request can match both.
 */
function collision(a: PathShape, b: PathShape, accepts: Accepts) {
  if (a.segments.length !== b.segments.length) return undefined;
  let shadow: { literalPath: string; paramPath: string; literal: string; name: string } | undefined;
  let renamed = false;
  for (const [index, left] of a.segments.entries()) {
    const right = b.segments[index]!;
    const leftName = PARAMETER.exec(left)?.[1];
    const rightName = PARAMETER.exec(right)?.[1];
    if (leftName !== undefined && rightName !== undefined) {
      renamed ||= leftName !== rightName;
      continue;
    }
    if (leftName === undefined && rightName === undefined) {
      if (left !== right) return undefined;
      continue;
    }
    const [literalShape, paramShape, literal, name] =
      leftName === undefined ? [a, b, left, rightName!] : [b, a, right, leftName];
    if (!accepts(literal, parameterOf(paramShape, name))) return undefined;
    shadow ??= { literalPath: literalShape.path, paramPath: paramShape.path, literal, name };
  }
  if (shadow) return { kind: 'shadow' as const, ...shadow };
  return { kind: renamed ? ('names' as const) : ('slash' as const) };
}

function describe(
  found: NonNullable<ReturnType<typeof collision>>,
  a: PathShape,
  b: PathShape,
  methods: string[],
): string {
  const served =
    methods.length > 0 ? ` (both serve ${methods.join(', ')}: the server refuses to start)` : '';
  switch (found.kind) {
    case 'slash':
      return `${b.path} is the same route as ${a.path}, a trailing slash being ignored${served}: keep one path`;
    case 'names':
      return `${b.path} is the same route as ${a.path} under other parameter names${served}: keep one path and name its parameters alike`;
    case 'shadow':
      return `${found.literalPath} shadows ${found.paramPath} for ${methods.join(', ')}: a request with {${found.name}} = '${found.literal}' can never reach ${found.paramPath}; narrow the parameter's schema (type, pattern, enum) so '${found.literal}' is not a valid value, or move one path`;
  }
}

export const ambiguousPaths: LintRule = {
  name: 'ambiguous-paths',
  check({ document, operations, at }: LintContext) {
    const coercing = createValidators().coercing;
    const accepts = (literal: string, parameter?: ParameterObject) =>
      parameter?.schema === undefined || Boolean(coercing.compile(parameter.schema)(literal));
    const all = shapes(operations);
    const warnings: LintWarning[] = [];
    for (const [index, a] of all.entries()) {
      for (const b of all.slice(index + 1)) {
        const found = collision(a, b, accepts);
        if (found === undefined) continue;
        const methods = a.operations
          .map((op) => op.method.toUpperCase())
          .filter((method) => b.operations.some((op) => op.method.toUpperCase() === method));
        // A literal only shadows a parameter for the methods both paths serve.
        if (found.kind === 'shadow' && methods.length === 0) continue;
        warnings.push({
          rule: 'ambiguous-paths',
          location: at(document.paths![b.path]!),
          message: describe(found, a, b, methods),
        });
      }
    }
    return warnings;
  },
};
