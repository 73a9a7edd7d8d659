// Error bodies that conform to the spec: the schema the operation declares for the status (or its
// range, or `default`) is filled from the error's status, code and message. When an operation
// declares none, or one specstack cannot fill, the answer is RFC 9457 application/problem+json.

import { STATUS_CODES } from 'node:http';
import { type BuiltProperty, compileObjectBuilder } from '../codegen/object-builder.ts';
import { jsonMediaType, type OperationObject, type Schema } from './operations.ts';
import type { FieldError } from './request-errors.ts';
import type { ValidateFunction, Validators } from './validator.ts';

export const PROBLEM_JSON = 'application/problem+json';

export interface ErrorDescription {
  status: number;
  code: string;
  message: string;
  errors?: FieldError[];
  requestId?: string;
  instance?: string;
}

export interface ErrorReply {
  contentType: string;
  body: Record<string, unknown>;
}

interface DeclaredError {
  contentType: string;
  fill: (error: ErrorDescription) => Record<string, unknown>;
  validate: ValidateFunction;
}

function typesOf(schema: unknown): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const type = (schema as Schema).type;
  if (Array.isArray(type)) return type as string[];
  return typeof type === 'string' ? [type] : [];
}

function accepts(schema: unknown, type: string): boolean {
  const types = typesOf(schema);
  return types.includes(type) || (type === 'integer' && types.includes('number'));
}

/** properties and required of a schema, with allOf parts merged in (the common way to extend an error). */
function flatten(schema: Schema): { properties: Record<string, Schema>; required: string[] } {
  const properties: Record<string, Schema> = {
    ...((schema.properties as Record<string, Schema>) ?? {}),
  };
  const required = [...((schema.required as string[]) ?? [])];
  for (const part of (schema.allOf as Schema[]) ?? []) {
    const inner = flatten(part);
    Object.assign(properties, inner.properties);
    required.push(...inner.required);
  }
  return { properties, required };
}

function fieldErrorItems(items: Schema | undefined, errors: FieldError[]): unknown[] {
  if (accepts(items, 'string')) return errors.map((e) => `${e.field}: ${e.message}`);
  const itemProperties = items ? flatten(items).properties : {};
  return errors.map((error) => {
    const item: Record<string, string> = {};
    for (const name of Object.keys(itemProperties)) {
      const key = name.toLowerCase();
      if (['field', 'path', 'pointer', 'name', 'location', 'loc', 'param'].includes(key)) {
        item[name] = error.field;
      } else if (['message', 'msg', 'detail', 'description'].includes(key)) {
        item[name] = error.message;
      }
    }
    return item;
  });
}

type Fill = (error: ErrorDescription) => unknown;

/** How one property of an error schema is filled, decided from its name and type; undefined leaves it out. */
function fillOf(name: string, property: Schema, hasMessage: boolean): Fill | undefined {
  const key = name.toLowerCase();
  const numeric = accepts(property, 'integer');
  if (['code', 'error_code', 'errorcode'].includes(key)) {
    return numeric ? (error) => error.status : (error) => error.code;
  }
  if (['status', 'statuscode', 'status_code'].includes(key)) {
    return numeric ? (error) => error.status : (error) => String(error.status);
  }
  if (['message', 'detail', 'msg', 'error_description', 'description'].includes(key)) {
    return (error) => error.message;
  }
  if (key === 'error') return hasMessage ? titleOf : (error) => error.message;
  if (key === 'title') return titleOf;
  if (key === 'type' && accepts(property, 'string')) return () => 'about:blank';
  if (['errors', 'details'].includes(key) && accepts(property, 'array')) {
    return (error) => fieldErrorItems(property.items as Schema | undefined, error.errors ?? []);
  }
  if (['request_id', 'requestid', 'trace_id', 'traceid'].includes(key)) {
    return (error) => error.requestId;
  }
  if (key === 'instance') return (error) => error.instance;
  return undefined;
}

const titleOf: Fill = (error) => STATUS_CODES[error.status] ?? 'Error';

/**
 * Compiles the filling of an error schema's properties by their names and types, once per schema;
 * the caller validates the result.
 */
export function errorBodyFiller(
  schema: Schema,
): (error: ErrorDescription) => Record<string, unknown> {
  const { properties } = flatten(schema);
  const names = Object.keys(properties).map((name) => name.toLowerCase());
  const hasMessage = names.some((n) => ['message', 'detail', 'msg'].includes(n));
  const fills: BuiltProperty<ErrorDescription>[] = [];
  for (const [name, property] of Object.entries(properties)) {
    const compute = fillOf(name, property, hasMessage);
    // A request id or instance the error lacks is left out, not sent as undefined.
    if (compute) fills.push({ name, from: { compute }, absent: 'omit' });
  }
  // Straight-line stores (codegen/object-builder.ts): a loop over the names is a megamorphic store.
  return compileObjectBuilder(fills);
}

/** Fills an error schema's properties by their names and types; the caller validates the result. */
export function fillErrorBody(schema: Schema, error: ErrorDescription): Record<string, unknown> {
  return errorBodyFiller(schema)(error);
}

export function problemBody(error: ErrorDescription): Record<string, unknown> {
  const body: Record<string, unknown> = {
    type: 'about:blank',
    title: STATUS_CODES[error.status] ?? 'Error',
    status: error.status,
    detail: error.message,
    code: error.code,
  };
  if (error.errors?.length) body.errors = error.errors;
  if (error.instance) body.instance = error.instance;
  return body;
}

/** The response declared for a status: the exact code, then its range (4XX), then default. */
export function declaredResponseFor(operation: OperationObject | undefined, status: number) {
  const responses = operation?.responses ?? {};
  const range = `${String(status)[0]}XX`;
  const key =
    Object.keys(responses).find((code) => code === String(status)) ??
    Object.keys(responses).find((code) => code.toUpperCase() === range) ??
    ('default' in responses ? 'default' : undefined);
  return key === undefined ? undefined : responses[key];
}

/** Answers errors for one operation (or for requests no operation matched, with undefined). */
export class ErrorResponder {
  private readonly declared = new Map<number, DeclaredError | null>();
  /** Schemas specstack found it cannot fill, so startup can say so once. */
  readonly unfillable: string[] = [];

  constructor(
    private readonly operation: OperationObject | undefined,
    private readonly validators: Validators,
  ) {}

  private declaredFor(status: number): DeclaredError | null {
    let entry = this.declared.get(status);
    if (entry !== undefined) return entry;
    const media = jsonMediaType(declaredResponseFor(this.operation, status)?.content);
    entry = null;
    if (media?.media.schema) {
      const schema = media.media.schema;
      entry = {
        contentType: media.type,
        fill: errorBodyFiller(schema),
        validate: this.validators.exact.compile(schema),
      };
    }
    this.declared.set(status, entry);
    return entry;
  }

  /**
   * Checks ahead of traffic that the declared schema for each status can be filled, and compiles
   * it, with those of every error status the operation declares: no request waits for a compile.
   */
  verify(statuses: readonly number[]): void {
    const errorStatuses = Object.keys(this.operation?.responses ?? {})
      .map(Number)
      .filter((status) => status >= 400 && status < 600);
    for (const status of new Set([...statuses, ...errorStatuses])) {
      const declared = this.declaredFor(status);
      if (!declared) continue;
      const sample = declared.fill({
        status,
        code: 'SPECSTACK_ERR_SAMPLE',
        message: 'sample',
        errors: [{ field: 'body', message: 'sample' }],
      });
      if (!declared.validate(sample)) this.unfillable.push(String(status));
    }
  }

  reply(error: ErrorDescription): ErrorReply {
    const declared = this.declaredFor(error.status);
    if (declared) {
      const body = declared.fill(error);
      if (declared.validate(body)) return { contentType: declared.contentType, body };
    }
    return { contentType: PROBLEM_JSON, body: problemBody(error) };
  }
}
