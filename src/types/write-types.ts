// Where the generated types live and how they are kept current: written only when their text
// changes (so a watcher sees no change for an edit that does not touch the types), or compared.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { TYPES_STALE } from '../errors.ts';
import { loadSpec } from '../spec/index.ts';
import { generateTypes } from './generate-types.ts';

/**
 * `types/spec.ts` beside the spec: a .ts file, not a .d.ts, because it exports the app-bound
 * `handler` helper as well as types; outside handlers/, so the server never loads it as a handler.
 */
export const DEFAULT_TYPES_FILE = path.join('types', 'spec.ts');

export interface TypesTarget {
  appDir: string;
  /** The output file; relative to appDir unless absolute. */
  out?: string;
}

export interface TypesResult {
  file: string;
  specFile: string;
  changed: boolean;
}

async function readOrEmpty(file: string): Promise<string> {
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the app's generated types file
    return await readFile(file, 'utf8');
  } catch {
    return '';
  }
}

async function generateFor(target: TypesTarget) {
  const config = loadConfig({ appDir: target.appDir });
  const file = path.resolve(config.appDir, target.out ?? DEFAULT_TYPES_FILE);
  const spec = await loadSpec(config.specPath);
  const text = await generateTypes(spec);
  return { file, specFile: spec.file, text, current: await readOrEmpty(file) };
}

export async function writeTypes(target: TypesTarget): Promise<TypesResult> {
  const { file, specFile, text, current } = await generateFor(target);
  if (text === current) return { file, specFile, changed: false };
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the app's generated types file
  await mkdir(path.dirname(file), { recursive: true });
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the app's generated types file
  await writeFile(file, text);
  return { file, specFile, changed: true };
}

/** Throws TYPES_STALE when the file is missing or differs from what the spec generates. */
export async function checkTypes(target: TypesTarget): Promise<TypesResult> {
  const { file, specFile, text, current } = await generateFor(target);
  if (text !== current) {
    const shown = path.relative(process.cwd(), file) || file;
    throw TYPES_STALE(
      `${shown} is ${current ? 'out of date with' : 'missing for'} ${path.basename(specFile)}: run \`npx specstack types\` and commit it`,
    );
  }
  return { file, specFile, changed: false };
}
