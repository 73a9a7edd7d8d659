// Shared by the seed suites: a migrated copy of the movies app's schema, CSV files in a temp
// folder, and a progress reporter whose lines the test can read.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { openDatabase } from '../../src/db/open-database.ts';
import { migrateUp } from '../../src/migrate/apply-migrations.ts';
import { createProgressReporter, type ProgressReporter } from '../../src/seed/progress.ts';

export const MOVIES_APP = path.resolve(import.meta.dirname, '../../examples/movies');

/** Applies the movies app's committed migrations to an empty database. */
export async function migrateMovies(url: string): Promise<void> {
  const db = await openDatabase({ url, model: { tables: [] }, baseDir: MOVIES_APP });
  try {
    await migrateUp(db, path.join(MOVIES_APP, 'migrations'));
  } finally {
    await db.close();
  }
}

export function csvFolder(): { write(name: string, lines: string[]): string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'specstack-seed-'));
  return {
    write(name, lines) {
      const file = path.join(dir, name);
      writeFileSync(file, `${lines.join('\n')}\n`);
      return file;
    },
  };
}

/** A plain-line reporter that prints a line per batch, into `lines`. */
export function capturedProgress(): { progress: ProgressReporter; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { progress: createProgressReporter({ stream, tty: false, interval: 0 }), lines };
}

/** `movieId,title,genres` lines for movies 1..count. */
export function movieLines(count: number, from = 1): string[] {
  return Array.from({ length: count }, (_, i) => {
    const id = from + i;
    return `${id},"Film ${id}, The (${1990 + (id % 30)})",Drama|Comedy`;
  });
}
