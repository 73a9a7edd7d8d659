// An app's TypeScript modules compiled to JavaScript for the installed package: each module keeps
// its place, its imports and its own file name, and a module that cannot be compiled ahead says so.

import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  COMPILED_DIR,
  compiledPathOf,
  compileTypeScript,
  NotCompilable,
} from '../src/compiled-typescript.ts';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A package folder holding `files` (paths relative to it). */
function packageWith(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'specstack-compile-'));
  folders.push(dir);
  const all = {
    'package.json': JSON.stringify({ name: 'my-app', type: 'module', exports: './main.js' }),
    ...files,
  };
  for (const [name, text] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('compiling an app module', () => {
  it('compiles a module and its TypeScript imports, each once, beside its package', async () => {
    const app = packageWith({
      'handlers/a.ts': `import { bump } from '../lib/counter.ts';\nexport const a = (): number => bump();\n`,
      'handlers/b.ts': `import { bump } from '../lib/counter.ts';\nexport const b = (): number => bump();\n`,
      'lib/counter.ts': `let count: number = 0;\nexport function bump(): number { count += 1; return count; }\n`,
    });
    const a = await import(await compileTypeScript(path.join(app, 'handlers/a.ts')));
    const b = await import(await compileTypeScript(path.join(app, 'handlers/b.ts')));
    // One counter for both handlers: a module shared by two entries is one module, as from source.
    expect([a.a(), b.b(), a.a()]).toEqual([1, 2, 3]);
    expect(existsSync(path.join(app, COMPILED_DIR, 'lib/counter.mjs'))).toBe(true);
  });

  it('keeps import.meta naming the source, and other relative imports pointing at the originals', async () => {
    const app = packageWith({
      'seed.ts': [
        `import { readFileSync } from 'node:fs';`,
        `import path from 'node:path';`,
        `import { answer } from './plain.js';`,
        `import self from 'my-app';`,
        `export const here = { url: import.meta.url, dirname: import.meta.dirname, filename: import.meta.filename };`,
        `export const beside = readFileSync(path.join(import.meta.dirname, 'words.txt'), 'utf8');`,
        `export { answer, self };`,
      ].join('\n'),
      'plain.js': 'export const answer = 42;\n',
      'main.js': 'export default "the package by its own name";\n',
      'words.txt': 'hello',
    });
    const source = path.join(app, 'seed.ts');
    const seed = await import(await compileTypeScript(source));
    expect(seed.here).toEqual({
      url: `file://${source}`,
      dirname: app,
      filename: source,
    });
    expect(seed.beside).toBe('hello');
    expect(seed.answer).toBe(42);
    expect(seed.self).toBe('the package by its own name');
  });

  it('follows tsconfig paths to modules of the app', async () => {
    const app = packageWith({
      'tsconfig.json': JSON.stringify({ compilerOptions: { paths: { '#lib/*': ['./lib/*'] } } }),
      'handlers/h.ts': `import { twice } from '#lib/math.ts';\nexport const four = twice(2);\n`,
      'lib/math.ts': `export const twice = (n: number): number => n * 2;\n`,
    });
    const handler = await import(await compileTypeScript(path.join(app, 'handlers/h.ts')));
    expect(handler.four).toBe(4);
  });

  it('maps stack traces back to the TypeScript source and its line', async () => {
    const app = packageWith({
      'handlers/fail.ts': `interface Reason { text: string }\n\nexport function fail(reason: Reason): never {\n  throw new Error(reason.text);\n}\n`,
    });
    const module = await import(await compileTypeScript(path.join(app, 'handlers/fail.ts')));
    const error = (() => {
      try {
        module.fail({ text: 'no' });
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error?.stack).toContain(`${path.join(app, 'handlers/fail.ts')}:4`);
  });

  it('rewrites nothing when recompiling unchanged sources', async () => {
    const app = packageWith({ 'handlers/h.ts': 'export const h: number = 1;\n' });
    const source = path.join(app, 'handlers/h.ts');
    await compileTypeScript(source);
    const compiled = compiledPathOf(app, source);
    const before = statSync(compiled).mtimeMs;
    await new Promise((resolve) => setTimeout(resolve, 20));
    // A second process (a worker, the next start) compiles the same sources again.
    vi.resetModules();
    const { compileTypeScript: compileAgain } = await import('../src/compiled-typescript.ts');
    await compileAgain(source);
    expect(statSync(compiled).mtimeMs).toBe(before);
  });

  it('names the file and line of a syntax error', async () => {
    const app = packageWith({ 'handlers/broken.ts': 'export const x = ;\n' });
    await expect(compileTypeScript(path.join(app, 'handlers/broken.ts'))).rejects.toThrow(
      /broken\.ts:1/,
    );
  });

  it('refuses a module importing TypeScript from outside its package', async () => {
    const app = packageWith({
      'app/package.json': '{ "type": "module" }',
      'app/handlers/h.ts': `export { shared } from '../../shared.ts';\n`,
      'shared.ts': 'export const shared = 1;\n',
    });
    await expect(compileTypeScript(path.join(app, 'app/handlers/h.ts'))).rejects.toBeInstanceOf(
      NotCompilable,
    );
  });
});
