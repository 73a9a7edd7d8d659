// Remembers which file and JSON pointer every parsed object came from, by object identity, so
// that errors and pointerOf() can name `schemas/pet.yaml#/Pet` even after $refs are resolved.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { toPointer } from './json-pointer.ts';

export class SourceOrigins {
  readonly #origins = new WeakMap<object, string>();
  readonly #baseDir: string;

  /** `baseDir` is the root document's folder: file names are shown relative to it. */
  constructor(baseDir: string) {
    this.#baseDir = baseDir;
  }

  /** `/abs/app/schemas/pet.yaml` (or a file URL, as the ref parser may give) -> `schemas/pet.yaml`. */
  displayName(file: string): string {
    const absolute = toFilePath(file);
    const relative = path.relative(this.#baseDir, absolute);
    return (relative === '' ? path.basename(absolute) : relative).split(path.sep).join('/');
  }

  /** Records the origin of `value` and of every object and array inside it. */
  register(file: string, value: unknown): void {
    const name = this.displayName(file);
    const visit = (node: unknown, tokens: (string | number)[]): void => {
      if (node === null || typeof node !== 'object' || this.#origins.has(node)) return;
      this.#origins.set(node, `${name}#${toPointer(tokens)}`);
      for (const [key, child] of Object.entries(node)) visit(child, [...tokens, key]);
    };
    visit(value, []);
  }

  /** `node` now stands for `original` (a normalized copy of a parsed schema, say). */
  alias(node: object, original: object): void {
    const origin = this.#origins.get(original);
    if (origin !== undefined && !this.#origins.has(node)) this.#origins.set(node, origin);
  }

  pointerOf(node: object): string | undefined {
    return this.#origins.get(node);
  }

  /**
   * Where `tokens` (a path from `root` through already-resolved $refs) points in the source files:
   * the nearest object on the way whose origin is known, plus the remaining tokens.
   */
  locate(root: unknown, tokens: readonly string[]): string {
    let best = this.#origins.get(root as object) ?? '#';
    let node: unknown = root;
    let rest: string[] = [];
    for (const token of tokens) {
      rest.push(token);
      node =
        node !== null && typeof node === 'object'
          ? (node as Record<string, unknown>)[token]
          : undefined;
      const origin =
        node !== null && typeof node === 'object' ? this.#origins.get(node) : undefined;
      if (origin !== undefined) {
        best = origin;
        rest = [];
      }
    }
    return `${best}${toPointer(rest)}`;
  }
}

function toFilePath(file: string): string {
  if (file.startsWith('file:')) return fileURLToPath(file);
  try {
    // The ref parser percent-encodes characters such as spaces in the paths it hands out.
    return decodeURI(file);
  } catch {
    return file;
  }
}
