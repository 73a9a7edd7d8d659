// Runs one stateful sequence over a resource (see stateful.ts): create, read back, update, read
// back, delete, read again; every response also goes through the per-response checks. A create
// whose body refers to related rows by key gets keys that exist: an optional related object is
// left out, a required one is created first through its own resource.

import type { Schema } from '../http/operations.ts';
import { BY_KEY_MARKER, requestView } from '../http/schema-views.ts';
import { schemaTableName } from '../spec/schema-cycles.ts';
import type { CheckRequest } from './check-types.ts';
import { readPointer, withCredentials } from './credentials.ts';
import type { CheckOperation } from './discover-operations.ts';
import { buildRequest, positiveValues, type RequestValues } from './request-builder.ts';
import { checkResponse } from './response-checks.ts';
import { parseJson, type Run, record, sampleOne, seedFor, send, skip } from './run-context.ts';
import { mergeAllOf } from './schema-arbitrary.ts';
import { differences, type Resource } from './stateful.ts';

/** How many related rows deep a create may go to get the keys it needs. */
const RELATED_DEPTH = 3;

/**
 * The related objects a create body refers to by key: property, key, target table, required, and
 * whether it is a list of them (a to-many).
 */
function relatedObjects(create: CheckOperation) {
  if (!create.body) return [];
  const view = mergeAllOf(requestView(create.body.schema));
  const required = new Set((view.required as string[] | undefined) ?? []);
  const properties = Object.entries((view.properties ?? {}) as Record<string, Schema>);
  return properties.flatMap(([name, property]) => {
    const many = property?.type === 'array' && typeof property.items === 'object';
    const related = many ? (property.items as Schema) : property;
    const key = related?.[BY_KEY_MARKER];
    const table = related && schemaTableName(related);
    return typeof key === 'string' && table
      ? [{ name, key, table, required: required.has(name), many }]
      : [];
  });
}

/** Sequences per resource: each creates its own item. */
export const STATEFUL_SEQUENCES = 3;

export async function runSequence(
  run: Run,
  resource: Resource,
  index: number,
  resources: readonly Resource[] = [resource],
) {
  const steps: CheckRequest[] = [];
  // A read the run has no credentials for says nothing about the resource: the sequence stops.
  const refused = (status: number) => {
    if (status !== 401 && status !== 403) return false;
    skip(
      run,
      resource.create,
      `stateful: ${resource.read.route} answered ${status}; give credentials that may read it`,
    );
    return true;
  };
  const step = async (operation: CheckOperation, values: RequestValues) => {
    const request = withCredentials(
      buildRequest(operation, values),
      operation,
      run.schemes,
      run.credentials,
    );
    steps.push(request);
    const response = await send(run, operation, request);
    for (const finding of checkResponse(operation, 'positive', response, run.validators, request))
      record(run, operation, finding, [...steps], response);
    return response;
  };
  const item = (operation: CheckOperation, id: unknown) => {
    const values = sampleOne(
      positiveValues(operation, run.validators),
      seedFor(run, operation, 100 + index),
    );
    return { ...values, path: { ...values.path, [resource.parameter]: id } };
  };
  /** Sample create values, with the keys of related rows that exist (made here if need be). */
  const creation = async (create: CheckOperation, depth: number): Promise<RequestValues> => {
    const values = sampleOne(
      positiveValues(create, run.validators),
      seedFor(run, create, 100 + index + depth),
    );
    const body = values.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object') return values;
    for (const related of relatedObjects(create)) {
      if (!(related.name in body)) continue;
      const owner = resources.find(
        (r) => r.create.body && schemaTableName(r.create.body.schema) === related.table,
      );
      if (!related.required || !owner || depth >= RELATED_DEPTH) {
        if (!related.required) delete body[related.name];
        continue;
      }
      const made = await step(owner.create, await creation(owner.create, depth + 1));
      const row = made.status < 300 ? (parseJson(made.body) as Record<string, unknown>) : {};
      if (row?.[related.key] !== undefined) {
        const reference = { [related.key]: row[related.key] };
        body[related.name] = related.many ? [reference] : reference;
      }
    }
    return values;
  };
  const createValues = await creation(resource.create, 0);
  const created = await step(resource.create, createValues);
  const id =
    created.status < 300 ? readPointer(parseJson(created.body), resource.pointer) : undefined;
  if (id === undefined || id === null) {
    skip(
      run,
      resource.create,
      `stateful: create answered ${created.status}${created.status < 300 ? ` with no ${resource.pointer}` : ''}`,
    );
    return;
  }
  const readBack = async (writer: CheckOperation, check: string, sent: unknown, what: string) => {
    const response = await step(resource.read, item(resource.read, id));
    if (refused(response.status)) return;
    if (response.status >= 300) {
      record(
        run,
        writer,
        { check, message: `${what}, ${resource.read.route} answered ${response.status}` },
        [...steps],
        response,
      );
      return;
    }
    const schema = writer.body?.schema;
    const diff = differences(sent, parseJson(response.body), schema && requestView(schema));
    if (diff.length > 0)
      record(
        run,
        writer,
        { check, message: `${what}, read back differs: ${diff.join('; ')}` },
        [...steps],
        response,
      );
  };
  await readBack(resource.create, 'created-reads-back', createValues.body, 'after a create');
  if (resource.update) {
    const values = item(resource.update, id);
    const updated = await step(resource.update, values);
    if (updated.status < 300)
      await readBack(resource.update, 'update-reads-back', values.body, 'after an update');
  }
  if (resource.remove) {
    const deleted = await step(resource.remove, item(resource.remove, id));
    if (deleted.status < 300) {
      const response = await step(resource.read, item(resource.read, id));
      if (!refused(response.status) && response.status !== 404 && response.status !== 410) {
        record(
          run,
          resource.remove,
          {
            check: 'deleted-is-gone',
            message: `after a delete, ${resource.read.route} answered ${response.status}; expected 404`,
          },
          [...steps],
          response,
        );
      }
    }
  }
}
