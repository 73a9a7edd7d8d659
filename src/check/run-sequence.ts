// Runs one stateful sequence over a resource (see stateful.ts): create, read back, update, read
// back, delete, read again; every response also goes through the per-response checks.

import type { CheckRequest } from './check-types.ts';
import { readPointer, withCredentials } from './credentials.ts';
import type { CheckOperation } from './discover-operations.ts';
import { buildRequest, positiveValues, type RequestValues } from './request-builder.ts';
import { checkResponse } from './response-checks.ts';
import { parseJson, type Run, record, sampleOne, seedFor, send, skip } from './run-context.ts';
import { differences, type Resource } from './stateful.ts';

/** Sequences per resource: each creates its own item. */
export const STATEFUL_SEQUENCES = 3;

export async function runSequence(run: Run, resource: Resource, index: number) {
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
  const createValues = sampleOne(
    positiveValues(resource.create, run.validators),
    seedFor(run, resource.create, 100 + index),
  );
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
    const diff = differences(sent, parseJson(response.body), writer.body?.schema);
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
