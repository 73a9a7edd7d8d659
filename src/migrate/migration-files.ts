// The migrations folder on disk: `migrations/<dialect>/<id>_<name>.sql`, the `<id>_<name>.down.sql`
// that undoes it, and `<id>.snapshot.json`, the drizzle-kit snapshot of the model after it.

import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Dialect } from '../db/database.ts';
import { MIGRATION_INVALID, MIGRATION_NAME } from '../errors.ts';
import type { Snapshot } from './diff.ts';

export const DIALECTS: readonly Dialect[] = ['sqlite', 'postgres'];

/** drizzle-kit's own separator, so the applier runs statements one at a time. */
export const STATEMENT_BREAKPOINT = '--> statement-breakpoint';

/** A migration file found on disk. */
export interface MigrationFile {
  /** `YYYYMMDDHHmmss` in UTC: the sort key and the bookkeeping key. */
  id: string;
  /** Kebab-case name, e.g. `add-owners`. */
  name: string;
  /** `<id>_<name>`: what users see in listings. */
  key: string;
  dialect: Dialect;
  /** Absolute path of the `.sql` file. */
  path: string;
  /** `migrations/<dialect>/<id>_<name>.sql`: names the file in messages without machine paths. */
  displayPath: string;
}

/** A migration file with its content, ready to apply. */
export interface MigrationSource extends MigrationFile {
  sql: string;
  /** sha256 (hex) of the file with line endings normalized. */
  checksum: string;
  statements: string[];
}

// eslint-disable-next-line security/detect-unsafe-regex -- linear: no repetition can match the same text two ways (checked on 1 MB inputs)
const FILE_PATTERN = /^(\d{14})_([a-z0-9]+(?:-[a-z0-9]+)*)\.sql$/;
const ID_PATTERN = /^\d{14}$/;

export function dialectDir(migrationsDir: string, dialect: Dialect): string {
  return path.join(migrationsDir, dialect);
}

/** `Add Owners!` -> `add-owners`; a name with no letter or digit is refused. */
export function sanitizeMigrationName(name: string): string {
  const sanitized = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  if (sanitized === '') {
    throw MIGRATION_NAME(
      `a migration needs a name made of letters and digits, got ${JSON.stringify(name)}`,
    );
  }
  return sanitized;
}

function formatId(time: Date): string {
  return time
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/\D/g, '');
}

function parseId(id: string): Date {
  const [y, mo, d, h, mi, s] = [0, 4, 6, 8, 10, 12].map((at, i) =>
    Number(id.slice(at, at + (i === 0 ? 4 : 2))),
  ) as [number, number, number, number, number, number];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

/**
 * The id for a migration made at `now`: its UTC second, or one second after the newest existing id
 * when that is not earlier, so two makes within one second (or a clock behind the last id) still
 * produce distinct ids that sort in creation order.
 */
export function nextMigrationId(now: Date, existingIds: readonly string[]): string {
  const candidate = formatId(now);
  const newest = [...existingIds].sort().at(-1);
  if (newest === undefined || candidate > newest) return candidate;
  return formatId(new Date(parseId(newest).getTime() + 1000));
}

/** The migrations of one dialect, oldest first; an absent folder has none. */
export async function listMigrations(
  migrationsDir: string,
  dialect: Dialect,
): Promise<MigrationFile[]> {
  const dir = dialectDir(migrationsDir, dialect);
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the app's migrations folder and its files
  const entries = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const files: MigrationFile[] = [];
  for (const fileName of entries) {
    const match = FILE_PATTERN.exec(fileName);
    if (!match) continue;
    const [, id, name] = match as unknown as [string, string, string];
    files.push({
      id,
      name,
      key: `${id}_${name}`,
      dialect,
      path: path.join(dir, fileName),
      displayPath: path.join(path.basename(migrationsDir), dialect, fileName),
    });
  }
  files.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (let i = 1; i < files.length; i++) {
    const [previous, current] = [files[i - 1]!, files[i]!];
    if (previous.id === current.id) {
      throw MIGRATION_INVALID(
        `${previous.displayPath} and ${current.displayPath} share the id ${current.id}; rename one`,
      );
    }
  }
  return files;
}

/** Line endings are normalized so a checkout that converts them does not look like an edit. */
export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

function stripLeadingComments(chunk: string): string {
  const lines = chunk.split(/\r?\n/);
  // eslint-disable-next-line security/detect-unsafe-regex -- linear: no repetition can match the same text two ways (checked on 1 MB inputs)
  while (lines.length > 0 && /^\s*(--.*)?$/.test(lines[0]!)) lines.shift();
  return lines.join('\n').trim();
}

/** The statements of a migration file, without the header and separators. */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/^\s*--> statement-breakpoint\s*$/m)
    .map(stripLeadingComments)
    .filter((statement) => statement !== '');
}

export async function readMigration(file: MigrationFile): Promise<MigrationSource> {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the app's migrations folder and its files
  const sql = await readFile(file.path, 'utf8');
  return { ...file, sql, checksum: migrationChecksum(sql), statements: splitStatements(sql) };
}

export interface RenderMigrationInput {
  name: string;
  dialect: Dialect;
  createdAt: Date;
  /** The spec's file name, e.g. `openapi.yaml`. */
  specName: string;
  statements: readonly string[];
  /** Extra header lines, e.g. what the migration destroys. */
  warnings?: readonly string[];
  /** `down` renders the file that undoes the migration (`<id>_<name>.down.sql`). */
  direction?: 'up' | 'down';
  /** A hand-written migration (`make --empty`): the body invites the user to fill it in. */
  handWritten?: boolean;
}

function emptyBody(input: RenderMigrationInput): string {
  const separator = `separated by lines holding only "${STATEMENT_BREAKPOINT}"`;
  if (input.handWritten && input.direction === 'down') {
    return `-- Write the statements that undo this migration below, ${separator}.`;
  }
  if (input.handWritten) return `-- Write the statements below, ${separator}.`;
  return `-- No statements: this change has no effect on ${input.dialect}.`;
}

export function renderMigration(input: RenderMigrationInput): string {
  const down = input.direction === 'down';
  const origin = input.handWritten
    ? 'Written by hand (specstack migrate make --empty); the snapshot is unchanged.'
    : `Generated from ${input.specName} by specstack migrate make; review before applying.`;
  const header = [
    `-- ${down ? 'Undoes migration' : 'Migration'}: ${input.name} (${input.dialect})`,
    `-- Created at: ${input.createdAt.toISOString()}`,
    `-- ${origin}`,
    `-- Each statement runs on its own, in one transaction per file; keep the "${STATEMENT_BREAKPOINT}" lines.`,
    ...(down ? ['-- Run by specstack migrate down; anything the migration added is dropped.'] : []),
    ...(input.warnings ?? []).map((warning) => `-- ${warning}`),
  ];
  const body =
    input.statements.length === 0
      ? [emptyBody(input)]
      : [input.statements.map((statement) => statement.trim()).join(`\n${STATEMENT_BREAKPOINT}\n`)];
  return `${[...header, '', ...body].join('\n')}\n`;
}

/** `migrations/<dialect>/<id>_<name>.down.sql`, beside the migration it undoes. */
export function downPath(file: MigrationFile): string {
  return file.path.replace(/\.sql$/, '.down.sql');
}

/** The statements that undo a migration, read from its `.down.sql` file. */
export interface DownSource {
  id: string;
  key: string;
  /** `migrations/<dialect>/<id>_<name>.down.sql`. */
  displayPath: string;
  statements: string[];
}

export async function readDownMigration(file: MigrationFile): Promise<DownSource> {
  const displayPath = file.displayPath.replace(/\.sql$/, '.down.sql');
  let sql: string;
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the app's migrations folder and its files
    sql = await readFile(downPath(file), 'utf8');
  } catch (cause) {
    throw MIGRATION_INVALID(
      `${displayPath} is missing, so ${file.key} cannot be rolled back: write the statements that undo it there (nothing was rolled back)`,
      { pointer: displayPath, cause },
    );
  }
  return { id: file.id, key: file.key, displayPath, statements: splitStatements(sql) };
}

function snapshotPath(migrationsDir: string, dialect: Dialect, id: string): string {
  return path.join(dialectDir(migrationsDir, dialect), `${id}.snapshot.json`);
}

export async function readSnapshot(
  migrationsDir: string,
  dialect: Dialect,
  id: string,
): Promise<Snapshot> {
  if (!ID_PATTERN.test(id)) throw MIGRATION_INVALID(`${JSON.stringify(id)} is not a migration id`);
  const file = snapshotPath(migrationsDir, dialect, id);
  const display = path.join(path.basename(migrationsDir), dialect, path.basename(file));
  let text: string;
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the app's migrations folder and its files
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw MIGRATION_INVALID(
      `${display} is missing: the next migration is diffed against it; restore it from version control`,
      { cause },
    );
  }
  try {
    const snapshot: unknown = JSON.parse(text);
    if (snapshot === null || typeof snapshot !== 'object' || Array.isArray(snapshot)) {
      throw new Error('not a JSON object');
    }
    return snapshot as Snapshot;
  } catch (cause) {
    throw MIGRATION_INVALID(`${display} is not a valid snapshot: ${(cause as Error).message}`, {
      cause,
    });
  }
}

/** Ids of every `<id>.snapshot.json` in a dialect's folder, oldest first. */
export async function listSnapshotIds(migrationsDir: string, dialect: Dialect): Promise<string[]> {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the app's migrations folder and its files
  const entries = await readdir(dialectDir(migrationsDir, dialect)).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    },
  );
  return entries
    .map((name) => /^(\d{14})\.snapshot\.json$/.exec(name)?.[1])
    .filter((id): id is string => id !== undefined)
    .sort();
}

/** The snapshot after the newest migration of a dialect, or null before the first one. */
export async function latestSnapshot(
  migrationsDir: string,
  dialect: Dialect,
): Promise<Snapshot | null> {
  const newest = (await listMigrations(migrationsDir, dialect)).at(-1);
  return newest === undefined ? null : readSnapshot(migrationsDir, dialect, newest.id);
}

export interface MigrationToWrite {
  dialect: Dialect;
  id: string;
  name: string;
  sql: string;
  /** The `.down.sql` file's content. */
  downSql: string;
  snapshot: Snapshot;
}

/**
 * Writes each migration, its down file and its snapshot. Files are created exclusively (a
 * concurrent make with the same id fails instead of overwriting), and a failure removes what this
 * call wrote, so the folder never holds a migration without its snapshot. Returns the paths written.
 */
export async function writeMigrations(
  migrationsDir: string,
  migrations: readonly MigrationToWrite[],
): Promise<string[]> {
  const written: string[] = [];
  try {
    for (const migration of migrations) {
      const dir = dialectDir(migrationsDir, migration.dialect);
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- the app's migrations folder and its files
      await mkdir(dir, { recursive: true });
      const sqlFile = path.join(dir, `${migration.id}_${migration.name}.sql`);
      const snapshotFile = snapshotPath(migrationsDir, migration.dialect, migration.id);
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- the app's migrations folder and its files
      await writeFile(sqlFile, migration.sql, { flag: 'wx' });
      written.push(sqlFile);
      const downFile = sqlFile.replace(/\.sql$/, '.down.sql');
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- the app's migrations folder and its files
      await writeFile(downFile, migration.downSql, { flag: 'wx' });
      written.push(downFile);
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- the app's migrations folder and its files
      await writeFile(snapshotFile, `${JSON.stringify(migration.snapshot, null, 2)}\n`, {
        flag: 'wx',
      });
      written.push(snapshotFile);
    }
  } catch (error) {
    await Promise.all(written.map((file) => rm(file, { force: true })));
    throw error;
  }
  return written;
}
