// Requests with exactly one known violation of the spec: a wrong type, a missing required value,
// a value out of range, a pattern, enum or format mismatch, a property the schema forbids,
// malformed JSON, or a media type the operation does not take. A server must answer each with a 4xx.

import fc from 'fast-check';
import { isJsonMediaType, type ParameterObject, type Schema } from '../http/operations.ts';
import { requestView } from '../http/schema-views.ts';
import type { CheckValidators } from './check-validators.ts';
import type { CheckOperation } from './discover-operations.ts';
import {
  bodyValidator,
  positiveValues,
  type RequestValues,
  sendsParameter,
} from './request-builder.ts';
import { arbitraryFor, mergeAllOf } from './schema-arbitrary.ts';

export interface Mutation {
  /** What is wrong with the request, for the report: `body.name: wrong type (12345)`. */
  describe: string;
  apply(values: RequestValues): RequestValues;
}

const BAD_FORMATS: Record<string, string> = {
  email: 'not-an-email',
  'date-time': 'not-a-date-time',
  date: '2021-13-45',
  time: 'not-a-time',
  uuid: 'not-a-uuid',
  uri: 'not a uri',
  ipv4: '999.1.1.1',
};

function typesOf(schema: Schema): string[] {
  if (Array.isArray(schema.type)) return schema.type as string[];
  return typeof schema.type === 'string' ? [schema.type] : [];
}

/** Values that break one keyword of `schema`, each with its name. */
export function invalidValues(schema: Schema, asText: boolean): [string, unknown][] {
  const found: [string, unknown][] = [];
  const types = typesOf(schema);
  if (types.length > 0 && asText) {
    // Text can only be of the wrong type for a parameter that is not a string.
    if (
      !types.includes('string') &&
      types.some((t) => ['integer', 'number', 'boolean'].includes(t))
    ) {
      found.push(['wrong type ("not-a-number")', 'not-a-number']);
    }
  } else if (types.length > 0) {
    const allows = (t: string) =>
      types.includes(t) || (t === 'integer' && types.includes('number'));
    const candidates: [string, unknown][] = [
      ['string', 'not-a-number'],
      ['integer', 12345],
      ['boolean', true],
      ['object', { a: 1 }],
    ];
    const wrong = candidates.find(([type]) => !allows(type));
    if (wrong) found.push([`wrong type (${JSON.stringify(wrong[1])})`, wrong[1]]);
  }
  if (typeof schema.maximum === 'number') found.push(['above maximum', schema.maximum + 1]);
  if (typeof schema.minimum === 'number') found.push(['below minimum', schema.minimum - 1]);
  if (typeof schema.maxLength === 'number')
    found.push(['too long', 'x'.repeat(schema.maxLength + 1)]);
  if (typeof schema.minLength === 'number' && schema.minLength > 0) found.push(['too short', '']);
  if (typeof schema.maxItems === 'number' && !asText) {
    found.push(['too many items', Array.from({ length: schema.maxItems + 1 }, () => null)]);
  }
  if (typeof schema.pattern === 'string') {
    // eslint-disable-next-line security/detect-non-literal-regexp -- a pattern of the app's own spec, for the contract checker the developer runs
    const pattern = new RegExp(schema.pattern, 'u');
    const miss = ['', '!', ' ', '~~~', 'not matching 123'].find((s) => !pattern.test(s));
    if (miss !== undefined) found.push([`pattern mismatch (${JSON.stringify(miss)})`, miss]);
  }
  if (Array.isArray(schema.enum)) found.push(['not in enum', '__not_in_enum__']);
  const badFormat = typeof schema.format === 'string' ? BAD_FORMATS[schema.format] : undefined;
  if (badFormat) found.push([`invalid ${schema.format}`, badFormat]);
  return found;
}

function bodyMutations(operation: CheckOperation): Mutation[] {
  const body = operation.body;
  if (!body) return [];
  const mutations: Mutation[] = [];
  const json = isJsonMediaType(body.mediaType);
  if (json) {
    mutations.push({ describe: 'malformed JSON body', apply: (v) => ({ ...v, rawBody: '{"' }) });
  }
  if (!operation.bodyMediaTypes.some((t) => t === '*/*' || t.startsWith('text/'))) {
    mutations.push({
      describe: 'body sent as text/plain, a media type the operation does not take',
      apply: (v) => ({ ...v, body: v.body ?? {}, contentType: 'text/plain' }),
    });
  }
  if (body.required)
    mutations.push({
      describe: 'required body missing',
      apply: (v) => ({ ...v, body: undefined }),
    });
  if (!json) return mutations;
  const schema = mergeAllOf(requestView(body.schema));
  if (typesOf(schema).includes('object') && !typesOf(schema).includes('array')) {
    mutations.push({ describe: 'body: wrong type (an array)', apply: (v) => ({ ...v, body: [] }) });
  }
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const edit = (v: RequestValues, change: (o: Record<string, unknown>) => void) => {
    const copy = { ...((v.body ?? {}) as Record<string, unknown>) };
    change(copy);
    return { ...v, body: copy };
  };
  for (const name of (schema.required as string[] | undefined) ?? []) {
    mutations.push({
      describe: `body.${name}: required property missing`,
      apply: (v) => edit(v, (o) => delete o[name]),
    });
  }
  for (const [name, property] of Object.entries(properties)) {
    if (property.readOnly || property['x-specstack-read-only']) continue;
    for (const [what, value] of invalidValues(mergeAllOf(property), false)) {
      mutations.push({
        describe: `body.${name}: ${what}`,
        apply: (v) => edit(v, (o) => (o[name] = value)),
      });
    }
  }
  for (const keyword of ['additionalProperties', 'unevaluatedProperties']) {
    if (schema[keyword] !== false) continue;
    mutations.push({
      describe: `body: a property the schema forbids (${keyword}: false)`,
      apply: (v) => edit(v, (o) => (o.unexpected_property = 1)),
    });
  }
  mutations.push(...dependentMutations(schema, edit));
  return mutations;
}

/** dependentRequired: the property present, one it depends on left out. */
function dependentMutations(
  schema: Schema,
  edit: (v: RequestValues, change: (o: Record<string, unknown>) => void) => RequestValues,
): Mutation[] {
  const dependents = (schema.dependentRequired ?? {}) as Record<string, string[]>;
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  return Object.entries(dependents).flatMap(([name, needs]) => {
    const missing = needs[0];
    if (missing === undefined) return [];
    // A value for the property when the base request left it out; fixed, so runs repeat.
    const [value] = fc.sample(arbitraryFor(properties[name] ?? {}), { seed: 1, numRuns: 1 });
    return [
      {
        describe: `body.${missing}: missing, though body.${name} requires it (dependentRequired)`,
        apply: (v: RequestValues) =>
          edit(v, (o) => {
            o[name] ??= value;
            delete o[missing];
          }),
      },
    ];
  });
}

function parameterMutations(operation: CheckOperation): Mutation[] {
  const mutations: Mutation[] = [];
  const location = (p: ParameterObject) => p.in as 'path' | 'query' | 'header' | 'cookie';
  const set = (v: RequestValues, p: ParameterObject, value: unknown) => ({
    ...v,
    [location(p)]: { ...v[location(p)], [p.name]: value },
  });
  for (const parameter of operation.parameters.filter(sendsParameter)) {
    const where = `${parameter.in}.${parameter.name}`;
    if (parameter.required && parameter.in !== 'path') {
      mutations.push({
        describe: `${where}: required parameter missing`,
        apply: (v) => set(v, parameter, undefined),
      });
    }
    for (const [what, value] of invalidValues(mergeAllOf(parameter.schema ?? {}), true)) {
      if (parameter.in === 'path' && value === '') continue;
      mutations.push({ describe: `${where}: ${what}`, apply: (v) => set(v, parameter, value) });
    }
  }
  return mutations;
}

export function mutationsOf(operation: CheckOperation): Mutation[] {
  return [...parameterMutations(operation), ...bodyMutations(operation)];
}

const locationSchemas = new WeakMap<CheckOperation, Map<string, Schema>>();

/** One schema object per operation and location, so its compiled validator is cached. */
function locationSchema(operation: CheckOperation, location: string): Schema {
  let schemas = locationSchemas.get(operation);
  if (!schemas) {
    schemas = new Map();
    locationSchemas.set(operation, schemas);
  }
  let schema = schemas.get(location);
  if (!schema) {
    schema = buildLocationSchema(operation, location);
    schemas.set(location, schema);
  }
  return schema;
}

function buildLocationSchema(operation: CheckOperation, location: string): Schema {
  const selected = operation.parameters.filter((p) => p.in === location && sendsParameter(p));
  return {
    type: 'object',
    properties: Object.fromEntries(selected.map((p) => [p.name, p.schema ?? {}])),
    required: selected.filter((p) => p.required || p.in === 'path').map((p) => p.name),
  };
}

/** Whether the mutated values are really invalid: a mutation some schema still accepts is dropped. */
function isInvalid(
  operation: CheckOperation,
  values: RequestValues,
  validators: CheckValidators,
): boolean {
  if (values.rawBody !== undefined || values.contentType !== undefined) return true;
  if (operation.body?.required && values.body === undefined) return true;
  for (const location of ['path', 'query', 'header', 'cookie'] as const) {
    const present = Object.fromEntries(
      Object.entries(values[location])
        .filter(([, value]) => value !== undefined)
        .map(([k, v]) => [k, typeof v === 'object' ? v : String(v)]),
    );
    if (!validators.coercing(locationSchema(operation, location))(present)) return true;
  }
  const validate = bodyValidator(operation, validators);
  return values.body !== undefined && validate !== undefined && !validate(values.body);
}

export interface NegativeRequests {
  arbitrary: fc.Arbitrary<{ values: RequestValues; mutation: string }>;
  /** Every mutation once, on sampled valid requests: tried before the random ones. */
  sweep: { values: RequestValues; mutation: string }[];
}

/** Requests each carrying one mutation; undefined when the operation takes nothing to break. */
export function negativeValues(
  operation: CheckOperation,
  validators: CheckValidators,
  seed: number,
): NegativeRequests | undefined {
  const mutations = mutationsOf(operation);
  if (mutations.length === 0) return undefined;
  const positive = positiveValues(operation, validators);
  const bases = fc.sample(positive, { seed, numRuns: mutations.length });
  const sweep = mutations
    .map((mutation, i) => ({ values: mutation.apply(bases[i]!), mutation: mutation.describe }))
    .filter(({ values }) => isInvalid(operation, values, validators));
  const arbitrary = fc
    .tuple(positive, fc.integer({ min: 0, max: mutations.length - 1 }))
    .map(([values, index]) => ({
      values: mutations[index]!.apply(values),
      mutation: mutations[index]!.describe,
    }))
    .filter(({ values }) => isInvalid(operation, values, validators));
  return { arbitrary, sweep };
}
