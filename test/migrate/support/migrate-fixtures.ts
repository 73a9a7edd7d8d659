// Spec fixtures for the migrate suites, and throwaway app folders to write migrations into.

import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import {
  type MadeMigration,
  type MakeMigrationOptions,
  makeMigration,
} from '../../../src/migrate/make-migration.ts';
import { deriveModel } from '../../../src/model/derive-model.ts';
import type { ModelDescription } from '../../../src/model/table-description.ts';
import { loadSpec } from '../../../src/spec/load-spec.ts';

export const FIXTURES_DIR = fileURLToPath(new URL('../../fixtures/migrate/', import.meta.url));

export type SpecFixture =
  | 'pets-v1'
  | 'pets-v2'
  | 'pets-v3'
  | 'visits-v1'
  | 'visits-v2'
  | `library-r${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8}`;

export function fixturePath(fixture: SpecFixture): string {
  return path.join(FIXTURES_DIR, `${fixture}.yaml`);
}

export async function modelOf(fixture: SpecFixture): Promise<ModelDescription> {
  const spec = await loadSpec(fixturePath(fixture));
  return deriveModel(spec.document, spec.file);
}

/** `migrate make`'s options other than the model and spec, which come from the fixture; the name is the fixture's by default. */
export type FixtureMigrationOptions = Partial<
  Omit<MakeMigrationOptions, 'model' | 'migrationsDir' | 'specFile'>
>;

/** Makes the migration that takes `migrationsDir` to the fixture's spec, as `migrate make` would. */
export async function makeFixtureMigration(
  migrationsDir: string,
  fixture: SpecFixture,
  options: FixtureMigrationOptions = {},
): Promise<MadeMigration> {
  return makeMigration({
    model: await modelOf(fixture),
    migrationsDir,
    specFile: fixturePath(fixture),
    ...options,
    name: options.name ?? fixture,
  });
}

/** A migration's key, `<id>_<name>`, as bookkeeping, status and `--to` name it. */
export function migrationKey(made: MadeMigration): string {
  return `${made.id}_${made.name}`;
}

/** Midnight UTC on a day of January 2025: distinct, ordered migration times. */
export function januaryDay(day: number): Date {
  return new Date(Date.UTC(2025, 0, day));
}

// biome-ignore lint/suspicious/noExplicitAny: tests edit the parsed YAML freely.
export type EditableSchemas = Record<string, any>;

/**
 * A fixture's spec with `edit` applied to its parsed document, written into `dir`: for one-off
 * changes (a narrowed type, a new required column) that do not deserve a fixture file.
 */
export async function editedSpec(
  fixture: SpecFixture,
  dir: string,
  edit: (schemas: EditableSchemas) => void,
): Promise<string> {
  const document = YAML.parse(await readFile(fixturePath(fixture), 'utf8'));
  edit(document.components.schemas);
  const file = path.join(dir, `${fixture}-edited.yaml`);
  await writeFile(file, YAML.stringify(document));
  return file;
}

export async function modelOfFile(file: string): Promise<ModelDescription> {
  const spec = await loadSpec(file);
  return deriveModel(spec.document, spec.file);
}

export async function tempDir(prefix = 'specstack-migrate-'): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** File names in a folder, sorted; none when it does not exist. */
export async function filesIn(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).sort();
}
