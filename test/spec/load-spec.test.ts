import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  SPEC_INVALID,
  SPEC_NOT_FOUND,
  SPEC_PARSE,
  SPEC_REF,
  SPEC_UNSUPPORTED,
  type SpecstackError,
} from '../../src/errors.ts';
import { loadSpec } from '../../src/spec/index.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/specs');
const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` (relative name -> text) into a fresh folder; returns the first file's path. */
function writeSpec(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'specstack-spec-'));
  tempDirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return path.join(dir, Object.keys(files)[0]!);
}

async function loadError(file: string): Promise<SpecstackError> {
  const error = await loadSpec(file).then(
    () => undefined,
    (caught: unknown) => caught as SpecstackError,
  );
  if (!error) throw new Error(`expected ${file} to be rejected`);
  return error;
}

const HEAD = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";
const OK = "{'200': {description: ok}}";

describe('loadSpec: valid documents', () => {
  it('loads a 3.0 YAML document and normalizes its schemas to the 3.1 form', async () => {
    const spec = await loadSpec(path.join(fixtures, 'petstore-3.0.yaml'));
    expect(spec.version).toBe('3.0');
    expect(spec.file).toBe(path.join(fixtures, 'petstore-3.0.yaml'));
    const pet = spec.document.components!.schemas!.Pet!;
    expect(pet.properties!.tag).toEqual({ type: ['string', 'null'], default: null });
    expect(pet.properties!.status!.enum).toEqual(['available', 'sold', null]);
    expect(pet.properties!.weight).toEqual({ type: 'number', exclusiveMinimum: 0 });
    expect(pet.properties!.id).toEqual({
      type: 'integer',
      format: 'int64',
      readOnly: true,
      'x-primary-key': true,
    });
    expect(pet['x-tablename']).toBe('pets');
    expect(pet.properties!.owner).toEqual({
      description: 'Who owns the pet',
      anyOf: [spec.document.components!.schemas!.Owner, { type: 'null' }],
    });
  });

  it('keeps the bundled 3.0 document as written, with its internal $refs', async () => {
    const spec = await loadSpec(path.join(fixtures, 'petstore-3.0.yaml'));
    const get = spec.bundled.paths!['/pets']!.get!;
    expect(get.responses['200']!.content!['application/json']!.schema).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/Pet' },
    });
    expect(spec.bundled.components!.schemas!.Pet!.properties!.tag).toEqual({
      type: 'string',
      nullable: true,
      default: null,
    });
    expect(spec.bundled.paths!['/pets/{petId}']!.get!.parameters).toHaveLength(1);
  });

  it('makes a component schema used in several places one object, which pointerOf names', async () => {
    const spec = await loadSpec(path.join(fixtures, 'petstore-3.0.yaml'));
    const pet = spec.document.components!.schemas!.Pet!;
    const pets = spec.document.paths!['/pets']!;
    expect(pets.get!.responses['200']!.content!['application/json']!.schema!.items).toBe(pet);
    expect(pets.post!.requestBody!.content['application/json']!.schema).toBe(pet);
    expect(spec.pointerOf(pet)).toBe('petstore-3.0.yaml#/components/schemas/Pet');
    expect(spec.pointerOf(pet.properties!.tag!)).toBe(
      'petstore-3.0.yaml#/components/schemas/Pet/properties/tag',
    );
    expect(spec.pointerOf(pets.get!)).toBe('petstore-3.0.yaml#/paths/~1pets/get');
  });

  it('merges path-level parameters into each operation, the operation winning on name and in', async () => {
    const spec = await loadSpec(path.join(fixtures, 'petstore-3.0.yaml'));
    const item = spec.document.paths!['/pets/{petId}']!;
    expect(item.get!.parameters!.map((p) => [p.name, p.in, p.schema?.type])).toEqual([
      ['petId', 'path', 'integer'],
      ['verbose', 'query', 'string'],
    ]);
    expect(item.delete!.parameters!.map((p) => [p.name, p.in, p.schema?.type])).toEqual([
      ['petId', 'path', 'integer'],
      ['verbose', 'query', 'boolean'],
    ]);
    expect(spec.document.paths!['/pets']!.post!.parameters).toEqual([]);
  });

  it('loads a 3.1 JSON document and leaves its schemas as written', async () => {
    const spec = await loadSpec(path.join(fixtures, 'petstore-3.1.json'));
    expect(spec.version).toBe('3.1');
    const pet = spec.document.components!.schemas!.Pet!;
    expect(pet.properties!.tag).toEqual({ type: ['string', 'null'] });
    expect(pet.properties!.weight).toEqual({ type: 'number', exclusiveMinimum: 0 });
    const get = spec.document.paths!['/pets/{petId}']!.get!;
    expect(get.parameters!.map((p) => p.name)).toEqual(['petId']);
    expect(get.responses['200']!.content!['application/json']!.schema).toBe(pet);
    expect(spec.pointerOf(pet)).toBe('petstore-3.1.json#/components/schemas/Pet');
  });

  it('reads a document by its content, whatever the extension', async () => {
    const file = writeSpec({
      'api.spec': `{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}}`,
    });
    const spec = await loadSpec(file);
    expect(spec.version).toBe('3.1');
    expect(Object.keys(spec.document.paths!)).toEqual(['/a']);
  });

  it('loads a spec split over three files in subfolders and names the defining file in pointerOf', async () => {
    const spec = await loadSpec(path.join(fixtures, 'split/openapi.yaml'));
    const pet = spec.document.components!.schemas!.Pet!;
    const pets = spec.document.paths!['/pets']!;
    expect(pets.get!.responses['200']!.content!['application/json']!.schema!.items).toBe(pet);
    expect(pets.post!.requestBody!.content['application/json']!.schema).toBe(pet);
    expect(pet.properties!.tag).toEqual({ type: ['string', 'null'] });
    expect(spec.pointerOf(pet)).toBe('schemas/pet.yaml#/Pet');
    expect(spec.pointerOf(pet.properties!.name!)).toBe('schemas/pet.yaml#/Pet/properties/name');
    expect(spec.pointerOf(pets.post!)).toBe('paths/pets.yaml#/post');
    // The bundle has no external $ref left, only internal ones.
    const bundledText = JSON.stringify(spec.bundled);
    expect(bundledText).not.toMatch(/"\$ref":"[^#]/);
    expect(bundledText).toContain('"$ref":"#/components/schemas/Pet"');
  });
});

describe('loadSpec: errors name the file and the JSON pointer', () => {
  it('reports a missing file with SPEC_NOT_FOUND and its path', async () => {
    const missing = path.join(tmpdir(), 'specstack-nowhere', 'openapi.yaml');
    const error = await loadError(missing);
    expect(error.code).toBe(SPEC_NOT_FOUND.code);
    expect(error.message).toContain(missing);
  });

  it('reports YAML syntax errors with SPEC_PARSE, file, line and column', async () => {
    const file = writeSpec({ 'openapi.yaml': `${HEAD}paths:\n  /a: {}\n  /a: {}\n` });
    const error = await loadError(file);
    expect(error.code).toBe(SPEC_PARSE.code);
    expect(error.message).toMatch(/^openapi\.yaml:5:3: Map keys must be unique/);
    expect(error.details).toEqual({ file: 'openapi.yaml', line: 5, column: 3 });
  });

  it('reports a syntax error in a referenced file under that file name', async () => {
    const file = writeSpec({
      'openapi.yaml': `${HEAD}paths: {}\ncomponents:\n  schemas:\n    Pet: {$ref: 'schemas/pet.yaml#/Pet'}\n`,
      'schemas/pet.yaml': 'Pet:\n  type: object\n  properties: {name: {type: string}\n',
    });
    const error = await loadError(file);
    expect(error.code).toBe(SPEC_PARSE.code);
    expect(error.message).toMatch(/^schemas\/pet\.yaml:\d+:\d+: /);
  });

  it('reports JSON syntax errors with line and column', async () => {
    const file = writeSpec({
      'openapi.json': '{\n  "openapi": "3.0.3",\n  "info": {"title": "t" "version": "1"}\n}\n',
    });
    const error = await loadError(file);
    expect(error.code).toBe(SPEC_PARSE.code);
    expect(error.message).toMatch(/^openapi\.json:3:25: /);
  });

  it('refuses Swagger 2.0 with SPEC_UNSUPPORTED', async () => {
    const file = writeSpec({
      'openapi.yaml': "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
    });
    const error = await loadError(file);
    expect(error.code).toBe(SPEC_UNSUPPORTED.code);
    expect(error.message).toContain('openapi.yaml#/swagger: Swagger 2.0');
    expect(error.message).toContain('OpenAPI 3.0 and 3.1');
  });

  it('refuses an unknown OpenAPI version and a document that is not OpenAPI', async () => {
    const v32 = writeSpec({ 'openapi.yaml': "openapi: 3.2.0\ninfo: {title: t, version: '1'}\n" });
    expect((await loadError(v32)).message).toContain('openapi.yaml#/openapi: OpenAPI 3.2.0');
    const other = writeSpec({ 'openapi.yaml': 'name: not a spec\n' });
    const error = await loadError(other);
    expect(error.code).toBe(SPEC_UNSUPPORTED.code);
    expect(error.message).toContain("no 'openapi' field");
  });

  it('reports a schema violation with SPEC_INVALID and the exact pointer', async () => {
    const file = writeSpec({
      'openapi.yaml': `${HEAD}paths:\n  /pets:\n    get:\n      responses:\n        '200':\n          content: {}\n`,
    });
    const error = await loadError(file);
    expect(error.code).toBe(SPEC_INVALID.code);
    expect(error.message).toBe(
      "openapi.yaml#/paths/~1pets/get/responses/200: must have required property 'description'",
    );
    expect(error.pointer).toBe('openapi.yaml#/paths/~1pets/get/responses/200');
  });

  it('lists several schema violations, one per line', async () => {
    const file = writeSpec({
      'openapi.yaml': `${HEAD}paths:\n  /pets:\n    get:\n      operationId: 7\n      responses:\n        '200': {content: {}}\n        '404': {description: nf, colour: red}\n`,
    });
    const lines = (await loadError(file)).message.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'openapi.yaml#/paths/~1pets/get/operationId: must be string',
        "openapi.yaml#/paths/~1pets/get/responses/200: must have required property 'description'",
        "openapi.yaml#/paths/~1pets/get/responses/404: must NOT have additional property 'colour'",
      ]),
    );
    expect(lines).toHaveLength(3);
  });

  it('locates a schema violation inside a referenced file', async () => {
    const file = writeSpec({
      'openapi.yaml': `${HEAD}paths: {}\ncomponents:\n  schemas:\n    Pet: {$ref: 'schemas/pet.yaml#/Pet'}\n`,
      'schemas/pet.yaml': 'Pet:\n  type: object\n  properties:\n    name: {type: strin}\n',
    });
    const error = await loadError(file);
    expect(error.code).toBe(SPEC_INVALID.code);
    expect(error.message).toMatch(
      /^schemas\/pet\.yaml#\/Pet\/properties\/name\/type: must be equal to one of the allowed values/,
    );
  });

  it('reports a $ref to a missing file with SPEC_REF: where the $ref sits and its target', async () => {
    const file = writeSpec({
      'openapi.yaml': `${HEAD}paths:\n  /pets: {$ref: 'paths/pets.yaml'}\n`,
      'paths/pets.yaml':
        "get:\n  responses:\n    '200':\n      description: ok\n      content:\n        application/json:\n          schema: {$ref: '../schemas/nope.yaml#/Pet'}\n",
    });
    const error = await loadError(file);
    expect(error.code).toBe(SPEC_REF.code);
    expect(error.message).toBe(
      "paths/pets.yaml#/get/responses/200/content/application~1json/schema: $ref '../schemas/nope.yaml#/Pet' cannot be resolved: schemas/nope.yaml does not exist",
    );
  });

  it('reports $refs to missing pointers, internal and external, with SPEC_REF', async () => {
    const file = writeSpec({
      'openapi.yaml': `${HEAD}paths: {}\ncomponents:\n  schemas:\n    Pet: {$ref: '#/components/schemas/Pett'}\n    Toy: {$ref: 'toys.yaml#/Toy'}\n`,
      'toys.yaml': 'Ball: {type: object}\n',
    });
    const error = await loadError(file);
    expect(error.code).toBe(SPEC_REF.code);
    expect(error.message.split('\n')).toEqual([
      "openapi.yaml#/components/schemas/Pet: $ref '#/components/schemas/Pett' cannot be resolved: openapi.yaml has no #/components/schemas/Pett",
      "openapi.yaml#/components/schemas/Toy: $ref 'toys.yaml#/Toy' cannot be resolved: toys.yaml has no #/Toy",
    ]);
  });

  it('reports a duplicated operationId with the pointer of the second use', async () => {
    const file = writeSpec({
      'openapi.yaml': `${HEAD}paths:\n  /a:\n    get: {operationId: list, responses: ${OK}}\n  /b:\n    get: {operationId: list, responses: ${OK}}\n`,
    });
    const error = await loadError(file);
    expect(error.code).toBe(SPEC_INVALID.code);
    expect(error.message).toBe(
      "openapi.yaml#/paths/~1b/get/operationId: operationId 'list' is already used by openapi.yaml#/paths/~1a/get",
    );
  });

  it('reports a path template parameter that is not declared in: path', async () => {
    const file = writeSpec({
      'openapi.yaml': `${HEAD}paths:\n  /pets/{petId}:\n    get:\n      parameters: [{name: petId, in: query, schema: {type: string}}]\n      responses: ${OK}\n`,
    });
    const error = await loadError(file);
    expect(error.code).toBe(SPEC_INVALID.code);
    expect(error.message).toBe(
      "openapi.yaml#/paths/~1pets~1{petId}/get: the path '/pets/{petId}' has {petId}, but no parameter 'petId' with in: path is declared",
    );
  });

  it('reports an in: path parameter that the path template lacks, at the parameter', async () => {
    const file = writeSpec({
      'openapi.yaml': `${HEAD}paths:\n  /pets:\n    parameters: [{name: petId, in: path, required: true, schema: {type: string}}]\n    get: {responses: ${OK}}\n    post: {responses: ${OK}}\n`,
    });
    const error = await loadError(file);
    expect(error.code).toBe(SPEC_INVALID.code);
    // Reported once, although both operations inherit the parameter.
    expect(error.message).toBe(
      "openapi.yaml#/paths/~1pets/parameters/0: parameter 'petId' is in: path, but the path '/pets' has no {petId}",
    );
  });

  it('refuses circular schema references with SPEC_UNSUPPORTED naming the $ref', async () => {
    const file = writeSpec({
      'openapi.yaml': `${HEAD}paths: {}\ncomponents:\n  schemas:\n    Pet: {$ref: 'schemas/pet.yaml#/Pet'}\n`,
      'schemas/pet.yaml':
        "Pet:\n  type: object\n  properties:\n    parent: {$ref: '#/Pet'}\n    name: {type: string}\n",
    });
    const error = await loadError(file);
    expect(error.code).toBe(SPEC_UNSUPPORTED.code);
    expect(error.message).toMatch(/^schemas\/pet\.yaml#\/Pet\/properties\/parent: circular \$ref/);
    expect(error.pointer).toBe('schemas/pet.yaml#/Pet/properties/parent');
  });
});
