// Resolves $refs across files with json-schema-ref-parser: one run bundles (external refs pulled
// in, internal ones kept), one dereferences. Its failures become SPEC_PARSE / SPEC_REF errors.

import path from 'node:path';
import {
  $RefParser,
  type FileInfo,
  JSONParserErrorGroup,
  MissingPointerError,
  type ParserOptions,
  type Plugin,
  ResolverError,
} from '@apidevtools/json-schema-ref-parser';
import { isSpecstackError, SPEC_REF, type SpecstackError } from '../errors.ts';
import { parsePointer, toPointer } from './json-pointer.ts';
import { parseSource } from './parse-source.ts';
import type { SourceOrigins } from './source-origins.ts';

export interface ResolvedRefs {
  /** The root document with every external $ref pulled in; internal $refs remain. */
  bundled: Record<string, unknown>;
  /** The root document with no $ref left: a circular $ref becomes a reference back (a cycle). */
  dereferenced: Record<string, unknown>;
  /** `file#pointer` of every $ref that closes a cycle, in order of discovery. */
  circularRefs: string[];
}

export async function resolveRefs(file: string, origins: SourceOrigins): Promise<ResolvedRefs> {
  const circularRefs: string[] = [];
  const dereferenced = await run(file, origins, 'dereference', (where) => {
    const located = locateRefPath(where, origins);
    if (!circularRefs.includes(located)) circularRefs.push(located);
  });
  const bundled = await run(file, origins, 'bundle');
  return { bundled, dereferenced, circularRefs };
}

async function run(
  file: string,
  origins: SourceOrigins,
  mode: 'bundle' | 'dereference',
  onCircular?: (where: string) => void,
): Promise<Record<string, unknown>> {
  const parseErrors: SpecstackError[] = [];
  // Failed $refs become null during resolution: error messages read the files as written.
  const asWritten = new Map<string, unknown>();
  const parser = new $RefParser();
  const options: ParserOptions = {
    // Only our parser: it reads YAML and JSON alike and reports lines and columns.
    parse: {
      json: false,
      yaml: false,
      text: false,
      binary: false,
      spec: specParser(origins, parseErrors, asWritten),
    },
    // A spec is read from disk: no network access at load time.
    resolve: { external: true, http: false },
    continueOnError: true,
    // Cycles become object cycles; load-spec.ts refuses those no relationship breaks.
    dereference: { circular: true, ...(onCircular ? { onCircular } : {}) },
  };
  try {
    await (mode === 'bundle' ? parser.bundle(file, options) : parser.dereference(file, options));
  } catch (error) {
    const [parseError] = parseErrors;
    if (parseError) throw parseError;
    throw toRefError(error, asWritten, origins);
  }
  return parser.schema as Record<string, unknown>;
}

function specParser(
  origins: SourceOrigins,
  parseErrors: SpecstackError[],
  asWritten: Map<string, unknown>,
): Plugin {
  return {
    name: 'specstack',
    order: 1,
    canParse: true,
    parse(file: FileInfo) {
      const text = Buffer.isBuffer(file.data) ? file.data.toString('utf8') : String(file.data);
      try {
        const value = parseSource(text, origins.displayName(file.url));
        origins.register(file.url, value);
        asWritten.set(file.url, structuredClone(value));
        return value;
      } catch (error) {
        // The ref parser wraps what a plugin throws; keep ours to rethrow it unchanged.
        if (isSpecstackError(error)) parseErrors.push(error);
        throw error;
      }
    },
  };
}

/** One SPEC_REF error listing every unresolvable $ref: where it sits, what it targets, why. */
function toRefError(
  error: unknown,
  asWritten: Map<string, unknown>,
  origins: SourceOrigins,
): unknown {
  const errors = error instanceof JSONParserErrorGroup ? error.errors : [error];
  const lines: string[] = [];
  for (const each of errors) {
    if (!(each instanceof ResolverError || each instanceof MissingPointerError)) return error;
    lines.push(describeRefError(each, asWritten, origins));
  }
  if (lines.length === 0) return error;
  const first = lines[0]!;
  return SPEC_REF(lines.join('\n'), {
    pointer: first.slice(0, first.indexOf(': ')),
    details: lines,
    cause: error,
  });
}

function describeRefError(
  error: ResolverError | MissingPointerError,
  asWritten: Map<string, unknown>,
  origins: SourceOrigins,
): string {
  // A MissingPointerError's `source` is the target file; its `parentPath` is where the $ref sits.
  // A ResolverError's `source` is the file holding the $ref and `path` the $ref's place in it.
  // A parentPath without a file part means the $ref points into its own file.
  const { file, tokens } =
    error instanceof MissingPointerError && error.parentPath
      ? splitRefPath(error.parentPath, error.source ?? '')
      : { file: error.source ?? '', tokens: (error.path ?? []).map(String) };
  const refNode = walk(asWritten.get(file), tokens);
  const target = typeof refNode?.$ref === 'string' ? refNode.$ref : undefined;
  const reason =
    error instanceof MissingPointerError
      ? `${error.source ? origins.displayName(error.source) : 'the target'} has no ${error.targetRef}`
      : error.ioErrorCode === 'ENOENT' && target !== undefined
        ? `${origins.displayName(path.resolve(path.dirname(file), target.split('#')[0]!))} does not exist`
        : error.message;
  const where = `${origins.displayName(file)}#${toPointer(tokens)}`;
  return `${where}: $ref '${target ?? '?'}' cannot be resolved: ${reason}`;
}

function walk(root: unknown, tokens: readonly string[]): Record<string, unknown> | undefined {
  let node: unknown = root;
  for (const token of tokens) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node !== null && typeof node === 'object' ? (node as Record<string, unknown>) : undefined;
}

function splitRefPath(refPath: string, sameFile = ''): { file: string; tokens: string[] } {
  const hash = refPath.indexOf('#');
  // eslint-disable-next-line security/detect-possible-timing-attacks -- compares a string index, not a secret
  if (hash === -1) return { file: refPath, tokens: [] };
  return {
    file: refPath.slice(0, hash) || sameFile,
    tokens: parsePointer(safeDecode(refPath.slice(hash + 1))),
  };
}

/** `/abs/app/schemas/pet.yaml#/Pet/properties/parent` -> `schemas/pet.yaml#/Pet/properties/parent`. */
function locateRefPath(refPath: string, origins: SourceOrigins): string {
  const { file, tokens } = splitRefPath(refPath);
  return `${origins.displayName(file)}#${toPointer(tokens)}`;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
