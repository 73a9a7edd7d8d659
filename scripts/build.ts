// Builds the package's dist/: src/ compiled to JavaScript with its .d.ts (tsconfig.build.json),
// every other file under src/ copied beside its modules, which read them at run time (the jobs
// dashboard's page), and the OpenAPI schema validators written out as ajv standalone code, so a
// server's start imports them instead of compiling them. Run by `npm pack` and `npm publish`
// (prepack).

import { execFileSync } from 'node:child_process';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const DIST = path.join(ROOT, 'dist');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

// Stale files of removed sources must not ship.
rmSync(DIST, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
cpSync(path.join(ROOT, 'src'), DIST, {
  recursive: true,
  filter: (source) => !source.endsWith('.ts'),
});

// Written beside dist/spec/openapi-validators.js, where it looks for them.
// A CommonJS module: under NodeNext its function is the `default` property of the default import.
const { default: standalone } = await import('ajv/dist/standalone/index.js');
// ajv's ESM output still `require`s a runtime helper or two (deep equality for uniqueItems).
const PREAMBLE =
  "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n";
const { OPENAPI_VERSIONS } = await import('../src/spec/openapi-validators.ts');
const { compileOpenApiValidator } = await import('../src/spec/openapi-validator-compiler.ts');
for (const version of OPENAPI_VERSIONS) {
  const { ajv, validate } = compileOpenApiValidator(version, {
    code: { source: true, esm: true },
  });
  const file = path.join(DIST, 'spec', `openapi-validator-${version}.js`);
  writeFileSync(file, PREAMBLE + standalone.default(ajv, validate));
}

// The JSON Schema 2020-12 meta-schema check every server schema passes (http/validator.ts), with
// the options of the server's own instances; formats are left to ajv's compile of each keyword
// (an invalid `pattern` fails there).
const { Ajv2020 } = await import('ajv/dist/2020.js');
const { DRAFT_2020_12 } = await import('../src/http/schema-meta-validator.ts');
const metaAjv = new Ajv2020({
  allErrors: true,
  strict: false,
  validateFormats: false,
  code: { source: true, esm: true },
});
writeFileSync(
  path.join(DIST, 'http', 'json-schema-2020-12-validator.js'),
  PREAMBLE + standalone.default(metaAjv, metaAjv.getSchema(DRAFT_2020_12)!),
);
