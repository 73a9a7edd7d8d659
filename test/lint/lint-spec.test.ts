// Each lint rule on a small fixture spec that has the fault and its near misses, the warnings'
// locations in a multi-file spec, and both examples linting clean.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintSpec } from '../../src/lint/lint-spec.ts';
import { loadSpec } from '../../src/spec/index.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/lint');
const ROOT = path.resolve(import.meta.dirname, '../..');

async function lint(file: string) {
  return lintSpec(await loadSpec(file));
}

/** `location [rule]` of every warning: what a reader of the output finds first. */
async function where(fixture: string): Promise<string[]> {
  const warnings = await lint(path.resolve(FIXTURES, fixture));
  return warnings.map((w) => `${w.location} [${w.rule}]`);
}

describe('specstack lint rules', () => {
  it('warns about an operation without an operationId', async () => {
    expect(await where('operation-id.yaml')).toEqual([
      'operation-id.yaml#/paths/~1health/get [operation-id]',
    ]);
  });

  it('warns when bad input or a missing token would get an undeclared error response', async () => {
    const warnings = await lint(path.join(FIXTURES, 'error-responses.yaml'));
    expect(warnings.map((w) => [w.location, w.message.split(' but ')[0]])).toEqual([
      ['error-responses.yaml#/paths/~1notes/post/responses', 'POST /notes can answer 401'],
      ['error-responses.yaml#/paths/~1search/get/responses', 'GET /search can answer 400'],
    ]);
    // A 4XX range, a default, an optional token ({}) and an operation with no input all pass.
  });

  it('warns about x-versioned without x-tablename, with a non-boolean value, or beside a row_version property', async () => {
    const warnings = (await lint(path.join(FIXTURES, 'x-versioned.yaml'))).filter(
      (w) => w.rule === 'x-versioned',
    );
    expect(warnings.map((w) => `${w.location} ${w.message.split(';')[0]}`)).toEqual([
      'x-versioned.yaml#/components/schemas/Clash/properties/row_version Clash: x-versioned adds the column row_version, which the schema declares as a property',
      'x-versioned.yaml#/components/schemas/Loose/x-versioned Loose: x-versioned must be true or false, got "yes"',
      'x-versioned.yaml#/components/schemas/Summary/x-versioned Summary: x-versioned needs x-tablename: only a table has a version column',
    ]);
    // Draft (a versioned table) and Unversioned (false, so row_version is its own property) pass.
  });

  it('warns about an x-job naming no job of the app, on GET, or with another success than 202', async () => {
    const file = path.join(FIXTURES, 'x-job.yaml');
    const warnings = lintSpec(await loadSpec(file), undefined, {
      jobNames: new Set(['recompute', 'welcome']),
    });
    const ofRule = warnings.filter((w) => w.rule === 'x-job');
    expect(ofRule.map((w) => `${w.location} ${w.message.split(':')[1]?.trim()}`)).toEqual([
      'x-job.yaml#/paths/~1report/get/x-job x-job must be the name of a job in jobs/, got 42',
      'x-job.yaml#/paths/~1typo/post/responses/200 declares 200, but an x-job operation always answers 202 with its task',
      'x-job.yaml#/paths/~1typo/post/x-job no job named "recompte" is defined in jobs/ (defined',
    ]);
    // Without the app's jobs only the shape is checked.
    const unchecked = (await lint(file)).filter((w) => w.rule === 'x-job');
    expect(unchecked.map((w) => w.location)).toEqual([
      'x-job.yaml#/paths/~1report/get/x-job',
      'x-job.yaml#/paths/~1typo/post/responses/200',
    ]);
  });

  it('warns about a schema read and written like a table without x-tablename', async () => {
    const warnings = await lint(path.join(FIXTURES, 'table-schema.yaml'));
    expect(warnings).toEqual([
      {
        rule: 'table-schema',
        location: 'table-schema.yaml#/components/schemas/Pet',
        message: expect.stringContaining(
          'Pet is read and written like a table under /pets (GET /pets, PUT /pets/{petId}) but has no x-tablename',
        ),
      },
    ]);
  });

  it('warns about paths that differ only in parameter names or a trailing slash, or where a literal shadows a parameter', async () => {
    const warnings = await lint(path.join(FIXTURES, 'ambiguous-paths.yaml'));
    expect(warnings.map((w) => w.location)).toEqual([
      'ambiguous-paths.yaml#/paths/~1pets~1{name}',
      'ambiguous-paths.yaml#/paths/~1pets~1mine',
      'ambiguous-paths.yaml#/paths/~1toys~1new~1',
    ]);
    expect(warnings[0]!.message).toContain('/pets/{name} is the same route as /pets/{id}');
    expect(warnings[1]!.message).toContain(
      "/pets/mine shadows /pets/{id} for GET: a request with {id} = 'mine' can never reach /pets/{id}",
    );
    expect(warnings[2]!.message).toContain(
      '/toys/new/ is the same route as /toys/new, a trailing slash being ignored (both serve GET: the server refuses to start)',
    );
    // /toys/new is no integer {toyId}, and /owners/bulk serves no method /owners/{ownerId} does.
  });

  it('warns about parameters without a schema, once for a path-level one', async () => {
    expect(await where('parameter-schema.yaml')).toEqual([
      'parameter-schema.yaml#/paths/~1files~1{name}/get/parameters/0 [parameter-schema]',
      'parameter-schema.yaml#/paths/~1files~1{name}/parameters/0 [parameter-schema]',
    ]);
  });

  it('warns about a JSON request body or a GET answer without a schema', async () => {
    expect(await where('body-schemas.yaml')).toEqual([
      'body-schemas.yaml#/paths/~1events/get/responses/200 [response-schema]',
      'body-schemas.yaml#/paths/~1events/post/requestBody/content/application~1json [request-body-schema]',
    ]);
  });

  it('names the file that defines the fault in a multi-file spec', async () => {
    expect(await where(path.join(ROOT, 'test/fixtures/specs/split/openapi.yaml'))).toEqual([
      'paths/pets.yaml#/post/responses [error-responses]',
      'schemas/pet.yaml#/Pet [table-schema]',
    ]);
  });

  it.each(['movies', 'petstore'])('finds nothing to say about the %s example', async (name) => {
    expect(await lint(path.join(ROOT, 'examples', name, 'openapi.yaml'))).toEqual([]);
  });
});
