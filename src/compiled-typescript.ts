// Compiles an app's TypeScript modules (handlers, jobs, seed and what they import) to JavaScript
// files before the installed package imports them. Node 20 cannot load .ts files itself, and its
// only other way, a loader hook, runs on a thread of its own for the life of the process: with
// tsx on it, 70–85 MB of memory for a server that loads its modules once. Here esbuild's service
// process compiles them and is stopped again, and the server loads plain JavaScript.
//
// Each module keeps its place: `<package>/src/x.ts` becomes `<package>/.specstack/compiled/src/
// x.mjs`, under the same package.json, so bare imports (`specstack`, the app's dependencies) resolve
// as they did from the source. Relative imports of TypeScript point at their compiled files, other
// relative imports (JSON, data, JavaScript) at the original files, and `import.meta.url`,
// `dirname` and `filename` keep naming the source, so a module that reads a file beside itself
// still finds it.

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BuildOptions, Plugin } from 'esbuild';

/** Where, under an app's package, its compiled modules go. Disposable: rebuilt as needed. */
export const COMPILED_DIR = path.join('.specstack', 'compiled');

const TYPESCRIPT_EXTENSIONS = new Set(['.ts', '.mts', '.cts']);

/** Marks the plugin's own resolve calls, so it does not answer them itself. */
const RESOLVING = Symbol('resolving');
const NODE_MODULES = /[\\/]node_modules[\\/]/;

export const isTypeScript = (file: string) => TYPESCRIPT_EXTENSIONS.has(path.extname(file));

/** A module esbuild will not compile here: the caller falls back to a loader hook. */
export class NotCompilable extends Error {}

/** The package folder a module belongs to: the nearest folder above it with a package.json. */
export function packageDirOf(file: string): string | undefined {
  let dir = path.dirname(file);
  for (;;) {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- folders above a module of the app
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The compiled file of a source under `packageDir`. */
export function compiledPathOf(packageDir: string, source: string): string {
  const relative = path.relative(packageDir, source);
  const stem = relative.slice(0, relative.length - path.extname(relative).length);
  return path.join(packageDir, COMPILED_DIR, `${stem}.mjs`);
}

function packageNameOf(packageDir: string): string | undefined {
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the app's package.json
    const { name } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a bare specifier names the package `name` or a subpath of it. */
const isWithin = (name: string, specifier: string) =>
  specifier === name || specifier.startsWith(`${name}/`);

/** A relative import specifier from one file to another, as ESM wants it (`./x.mjs`). */
function specifierBetween(from: string, to: string): string {
  const relative = path.relative(path.dirname(from), to).split(path.sep).join('/');
  return relative.startsWith('.') ? relative : `./${relative}`;
}

/** Writes a file only when its content changed, through a rename so no reader sees half of it. */
async function writeIfChanged(file: string, contents: Uint8Array): Promise<void> {
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- a compiled module of the app
    if (Buffer.from(contents).equals(readFileSync(file))) return;
  } catch {
    // Not written yet.
  }
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the compiled modules' folder
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- a compiled module of the app
  await writeFile(temporary, contents);
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- a compiled module of the app
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Every import becomes an external one: bare ones as written, relative TypeScript ones pointing at
 * their compiled files (and noted in `found`, to be compiled too), other relative ones at the
 * original file. Bundling is on only so esbuild hands each import to this plugin.
 */
function importsPlugin(
  packageDir: string,
  ownName: string | undefined,
  source: string,
  found: Set<string>,
): Plugin {
  const output = compiledPathOf(packageDir, source);
  return {
    name: 'specstack-app-imports',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind === 'entry-point' || args.pluginData === RESOLVING) return undefined;
        let target: string;
        if (
          args.path.startsWith('./') ||
          args.path.startsWith('../') ||
          path.isAbsolute(args.path)
        ) {
          target = path.resolve(args.resolveDir, args.path);
        } else if (ownName !== undefined && isWithin(ownName, args.path)) {
          // The package importing itself by name resolves through its `exports`, as Node does.
          return { path: args.path, external: true };
        } else {
          // A package, a built-in, or a tsconfig `paths` alias for a module of the app's own.
          const resolved = await build.resolve(args.path, {
            kind: args.kind,
            resolveDir: args.resolveDir,
            importer: args.importer,
            pluginData: RESOLVING,
          });
          const own = resolved.path && !resolved.external && !NODE_MODULES.test(resolved.path);
          if (!own) return { path: args.path, external: true };
          target = resolved.path;
        }
        if (!isTypeScript(target)) return { path: pathToFileURL(target).href, external: true };
        if (path.relative(packageDir, target).startsWith('..')) {
          throw new NotCompilable(`${target} is outside the package of ${source}`);
        }
        found.add(target);
        return {
          path: specifierBetween(output, compiledPathOf(packageDir, target)),
          external: true,
        };
      });
    },
  };
}

type Esbuild = typeof import('esbuild');

async function compileOne(
  esbuild: Esbuild,
  packageDir: string,
  ownName: string | undefined,
  source: string,
  found: Set<string>,
): Promise<void> {
  const output = compiledPathOf(packageDir, source);
  const options: BuildOptions = {
    entryPoints: [source],
    outfile: output,
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    sourcesContent: false,
    logLevel: 'silent',
    define: {
      'import.meta.url': JSON.stringify(pathToFileURL(source).href),
      'import.meta.dirname': JSON.stringify(path.dirname(source)),
      'import.meta.filename': JSON.stringify(source),
    },
    plugins: [importsPlugin(packageDir, ownName, source, found)],
  };
  const result = await esbuild.build(options);
  for (const file of result.outputFiles ?? []) await writeIfChanged(file.path, file.contents);
}

/** Sources this process has compiled. */
const compiled = new Set<string>();

/** One compilation at a time: they share esbuild's service and the set above. */
let queue: Promise<unknown> = Promise.resolve();

/**
 * esbuild's service process is kept between the imports of one start (handlers, then jobs) and
 * stopped once none has come for a moment: a running server keeps nothing of it.
 */
const SERVICE_IDLE_MS = 250;
let idleTimer: NodeJS.Timeout | undefined;

async function compileClosure(esbuild: Esbuild, packageDir: string, source: string) {
  // Read once for the whole closure: every module of it shares the package.
  const ownName = packageNameOf(packageDir);
  let pending = [source];
  while (pending.length > 0) {
    const found = new Set<string>();
    const fresh = pending.filter((file) => !compiled.has(file));
    await Promise.all(fresh.map((file) => compileOne(esbuild, packageDir, ownName, file, found)));
    for (const file of fresh) compiled.add(file);
    pending = [...found].filter((file) => !compiled.has(file));
  }
}

function failure(error: unknown, packageDir: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') {
    return new NotCompilable(`cannot write ${path.join(packageDir, COMPILED_DIR)}: ${code}`);
  }
  // A plugin's throw reaches the caller as esbuild's message, with the thrown value as detail.
  const detail = (error as { errors?: { detail?: unknown }[] }).errors?.[0]?.detail;
  return detail instanceof NotCompilable ? detail : error;
}

/**
 * Compiles `entry` and every TypeScript module it imports, transitively, and returns the URL to
 * import instead of it. Throws NotCompilable when the entry has no package, a module it imports
 * lies outside that package, or the compiled folder cannot be written; esbuild's own errors (a
 * syntax error) are thrown as they are, naming the file and line.
 */
export function compileTypeScript(entry: string): Promise<string> {
  const run = async () => {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- a module of the app
    const source = realpathSync(entry);
    const packageDir = packageDirOf(source);
    if (!packageDir) throw new NotCompilable(`no package.json above ${source}`);
    clearTimeout(idleTimer);
    const esbuild = await import('esbuild');
    try {
      await compileClosure(esbuild, packageDir, source);
    } catch (error) {
      throw failure(error, packageDir);
    } finally {
      idleTimer = setTimeout(() => void esbuild.stop(), SERVICE_IDLE_MS).unref();
    }
    // Stack traces name the .ts files and their lines, from the compiled modules' inline maps.
    process.setSourceMapsEnabled(true);
    return pathToFileURL(compiledPathOf(packageDir, source)).href;
  };
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}
