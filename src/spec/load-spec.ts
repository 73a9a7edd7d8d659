// Loads an OpenAPI 3.0/3.1 document from disk: parse, resolve $refs across files, validate,
// check what routing needs, normalize. Every failure is a SpecstackError naming file and pointer.

import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { SPEC_INVALID, SPEC_NOT_FOUND, SPEC_UNSUPPORTED } from '../errors.ts';
import { checkOperations } from './check-operations.ts';
import { normalizeDocument } from './normalize-document.ts';
import type { OpenAPIDocument } from './openapi-types.ts';
import { parseSource } from './parse-source.ts';
import { resolveRefs } from './resolve-refs.ts';
import { cyclePointer, findUnservedCycle } from './schema-cycles.ts';
import { SourceOrigins } from './source-origins.ts';
import { validateDocument } from './validate-document.ts';

export type OpenAPIVersion = '3.0' | '3.1';

export interface LoadedSpec {
  /** Absolute path of the root document. */
  file: string;
  version: OpenAPIVersion;
  /** Every external $ref pulled in, internal $refs kept, otherwise as written: what /openapi.json serves. */
  bundled: OpenAPIDocument;
  /** No $ref left, Schema Objects in 3.1 form, path-level parameters merged into each operation. */
  document: OpenAPIDocument;
  /** Source location of an object of `document`: `openapi.yaml#/components/schemas/Pet`. */
  pointerOf(node: object): string | undefined;
}

export async function loadSpec(file: string): Promise<LoadedSpec> {
  const absolute = path.resolve(file);
  const origins = new SourceOrigins(path.dirname(absolute));
  const name = origins.displayName(absolute);

  const version = detectVersion(parseSource(await readRoot(absolute), name), name);
  const { bundled, dereferenced, circularRefs } = await resolveRefs(absolute, origins);

  const faults = await validateDocument(bundled, version, origins);
  if (faults.length > 0) throw invalid(faults);
  const cycle = circularRefs.length > 0 ? findUnservedCycle(dereferenced) : undefined;
  if (cycle) {
    const holder = origins.pointerOf(cycle.holder);
    const where = holder ? cyclePointer(cycle, holder) : circularRefs[0]!;
    const line = `${where}: circular $ref; specstack compiles each schema to a validator and a serializer and supports recursion only through relationships between x-tablename schemas (answers nest one level)`;
    throw SPEC_UNSUPPORTED(line, { pointer: where, details: [line] });
  }

  const memo = new Map<object, object>();
  const document = normalizeDocument(dereferenced, version, memo);
  for (const [original, normalized] of memo) origins.alias(normalized, original);

  const operationFaults = checkOperations(document, (node) => origins.pointerOf(node));
  if (operationFaults.length > 0) throw invalid(operationFaults);

  return {
    file: absolute,
    version,
    bundled: bundled as OpenAPIDocument,
    document,
    pointerOf: (node) => origins.pointerOf(node),
  };
}

async function readRoot(absolute: string): Promise<string> {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the OpenAPI document of the app's folder (or the path given)
  const stats = await stat(absolute).catch(() => undefined);
  if (!stats?.isFile()) {
    throw SPEC_NOT_FOUND(`no OpenAPI document at ${absolute}`, { details: { file: absolute } });
  }
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the OpenAPI document of the app's folder (or the path given)
  return readFile(absolute, 'utf8');
}

/** 3.0.x or 3.1.x, from the root document's `openapi` field; anything else is refused clearly. */
export function detectVersion(root: unknown, name: string): OpenAPIVersion {
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    throw SPEC_UNSUPPORTED(`${name}: not an OpenAPI document (the top level must be a mapping)`, {
      pointer: `${name}#`,
    });
  }
  const { openapi, swagger } = root as Record<string, unknown>;
  if (swagger !== undefined) {
    throw SPEC_UNSUPPORTED(
      `${name}#/swagger: Swagger ${String(swagger)} documents are not supported; specstack reads OpenAPI 3.0 and 3.1 (convert the document first, e.g. with swagger2openapi)`,
      { pointer: `${name}#/swagger` },
    );
  }
  if (openapi === undefined) {
    throw SPEC_UNSUPPORTED(
      `${name}: not an OpenAPI document (no 'openapi' field); specstack reads OpenAPI 3.0 and 3.1`,
      { pointer: `${name}#` },
    );
  }
  const match = /^3\.([01])\.\d+$/.exec(String(openapi));
  if (!match) {
    throw SPEC_UNSUPPORTED(
      `${name}#/openapi: OpenAPI ${String(openapi)} is not supported; specstack reads 3.0.x and 3.1.x`,
      { pointer: `${name}#/openapi` },
    );
  }
  return match[1] === '0' ? '3.0' : '3.1';
}

function invalid(faults: string[]) {
  const first = faults[0]!;
  return SPEC_INVALID(faults.join('\n'), {
    pointer: first.slice(0, first.indexOf(': ')),
    details: faults,
  });
}
