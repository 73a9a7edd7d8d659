// Writes a new app folder (`specstack new`): the template under templates/app with its name filled
// in, a package.json depending on this specstack, `.env.example`, and a first migration generated
// from the template's spec by the same code as `specstack migrate make`.

import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NEW_APP } from '../errors.ts';
import { appPackageJson, type FrameworkPackage, specstackDependency } from './app-package-json.ts';
import { documentedSettings, envExample } from './env-example.ts';

/** The package's root: two levels above this module, in src/ and in the compiled dist/ alike. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TEMPLATE_DIR = path.join(PACKAGE_ROOT, 'templates', 'app');

/**
 * Template files stored under another name: npm drops `.gitignore` from packages, and a nested
 * biome.json would be taken for the repository's own configuration.
 */
const STORED_AS: Record<string, string> = {
  gitignore: '.gitignore',
  dockerignore: '.dockerignore',
  'biome.template.json': 'biome.json',
};

// npm's rule for a new, unscoped package name, which is also the folder's.
const PACKAGE_NAME = /^[a-z0-9][a-z0-9._-]*$/;

export interface ScaffoldOptions {
  name: string;
  /** Where the app goes; default `<cwd>/<name>`. */
  dir?: string;
  /** The `specstack` dependency to write; default `^` this version (a .tgz path becomes `file:`). */
  specstack?: string;
}

export interface ScaffoldResult {
  dir: string;
  files: string[];
}

function readFramework(): FrameworkPackage {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- this package's templates, and the folder `specstack new` was given
  return JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8'));
}

function checkTarget(name: string, dir: string): void {
  if (!PACKAGE_NAME.test(name) || name.length > 214) {
    throw NEW_APP(
      `${JSON.stringify(name)} is not a valid package name: use lowercase letters, digits, '-', '.' and '_', starting with a letter or digit`,
    );
  }
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- this package's templates, and the folder `specstack new` was given
  if (existsSync(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).length > 0)) {
    throw NEW_APP(`${dir} exists and is not an empty folder: choose another name, or --dir`);
  }
}

function copyTemplate(name: string, dir: string): string[] {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- this package's templates, and the folder `specstack new` was given
  const files = readdirSync(TEMPLATE_DIR, { recursive: true, encoding: 'utf8' }).filter((file) =>
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- this package's templates, and the folder `specstack new` was given
    statSync(path.join(TEMPLATE_DIR, file)).isFile(),
  );
  return files.map((file) => {
    const target = path.join(
      path.dirname(file),
      STORED_AS[path.basename(file)] ?? path.basename(file),
    );
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- this package's templates, and the folder `specstack new` was given
    const text = readFileSync(path.join(TEMPLATE_DIR, file), 'utf8').replaceAll('{{name}}', name);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- this package's templates, and the folder `specstack new` was given
    mkdirSync(path.join(dir, path.dirname(target)), { recursive: true });
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- this package's templates, and the folder `specstack new` was given
    writeFileSync(path.join(dir, target), text);
    return target;
  });
}

/** The first migration, for SQLite and PostgreSQL; drizzle-kit is loaded for this command only. */
async function writeFirstMigration(dir: string): Promise<string[]> {
  const { loadSpec } = await import('../spec/load-spec.ts');
  const { deriveModel } = await import('../model/derive-model.ts');
  const { makeMigration } = await import('../migrate/make-migration.ts');
  const spec = await loadSpec(path.join(dir, 'openapi.yaml'));
  const made = await makeMigration({
    model: deriveModel(spec.document, 'openapi.yaml'),
    migrationsDir: path.join(dir, 'migrations'),
    name: 'init',
    specFile: spec.file,
  });
  return made.files.map((file) => path.relative(dir, file));
}

export async function scaffoldApp(options: ScaffoldOptions): Promise<ScaffoldResult> {
  const dir = path.resolve(options.dir ?? options.name);
  checkTarget(options.name, dir);
  const framework = readFramework();
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- this package's templates, and the folder `specstack new` was given
  mkdirSync(dir, { recursive: true });
  const files = copyTemplate(options.name, dir);
  const dependency = specstackDependency(framework, options.specstack);
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- this package's templates, and the folder `specstack new` was given
  writeFileSync(
    path.join(dir, 'package.json'),
    appPackageJson(options.name, framework, dependency),
  );
  const settings = documentedSettings(
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- this package's templates, and the folder `specstack new` was given
    readFileSync(path.join(PACKAGE_ROOT, 'docs', 'configuration.md'), 'utf8'),
  );
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- this package's templates, and the folder `specstack new` was given
  writeFileSync(path.join(dir, '.env.example'), envExample(settings));
  files.push('package.json', '.env.example', ...(await writeFirstMigration(dir)));
  return { dir, files: files.sort() };
}
