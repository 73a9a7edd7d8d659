// Spec fixtures for the migrate suites, and throwaway app folders to write migrations into.

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deriveModel } from '../../../src/model/derive-model.ts';
import type { ModelDescription } from '../../../src/model/table-description.ts';
import { loadSpec } from '../../../src/spec/load-spec.ts';

export const FIXTURES_DIR = fileURLToPath(new URL('../../fixtures/migrate/', import.meta.url));

export type SpecFixture = 'pets-v1' | 'pets-v2' | 'pets-v3' | 'visits-v1' | 'visits-v2';

export function fixturePath(fixture: SpecFixture): string {
  return path.join(FIXTURES_DIR, `${fixture}.yaml`);
}

export async function modelOf(fixture: SpecFixture): Promise<ModelDescription> {
  const spec = await loadSpec(fixturePath(fixture));
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
