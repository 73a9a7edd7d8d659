// A full disk under a SQLite database: the movies example on a database file in a small tmpfs of
// the test's own (mounted as root), which the test fills with a file of its own until the kernel
// answers ENOSPC, as a real full disk does. Writes get 503 in the spec's Error shape naming
// SQLITE_FULL, the log has an error line with the code, a bulk write that runs out of space
// midway leaves none of its rows, reads go on, and once the filler is deleted writes work again
// in the same process. Where tmpfs cannot be mounted (not root, no CAP_SYS_ADMIN) the same
// SQLITE_FULL is raised with `PRAGMA max_page_count` instead, which caps the file's size.

import { spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  truncateSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, request, startApp } from '../support/app-server.ts';

const MOVIES = path.resolve(import.meta.dirname, '../../examples/movies');
const SECRET = 'disk-full-test-secret-0123456789abcdef';
const TMPFS_SIZE = '16m';

/** How the test runs out of space: a real full filesystem, or SQLite's page cap. */
interface Disk {
  kind: 'tmpfs' | 'max_page_count';
  dir: string;
  /** Leaves about `spare` bytes free (0: none) for the database file and its WAL. */
  fill(connection: BetterSqlite3.Database, spare: number): void;
  /** Gives the space back. */
  free(connection: BetterSqlite3.Database): void;
  remove(): void;
}

function tmpfsDisk(): Disk | undefined {
  const dir = mkdtempSync(path.join(tmpdir(), 'specstack-full-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_SIZE}`, 'tmpfs', dir]);
  if (mounted.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  const filler = path.join(dir, 'filler');
  const write = (fd: number, chunk: Buffer) => {
    try {
      writeSync(fd, chunk);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOSPC') return false;
      throw error;
    }
  };
  return {
    kind: 'tmpfs',
    dir,
    fill(connection, spare) {
      // The WAL is emptied first: a WAL file keeps its size, and would hold small writes.
      connection.pragma('wal_checkpoint(TRUNCATE)');
      const fd = openSync(filler, 'a');
      try {
        for (const size of [1 << 20, 64 << 10, 4 << 10, 512]) {
          while (write(fd, Buffer.alloc(size))) {}
        }
      } finally {
        closeSync(fd);
      }
      // Full, then the spare given back: the next write fails where the spare ends.
      if (spare > 0) truncateSync(filler, Math.max(0, statSync(filler).size - spare));
    },
    free() {
      unlinkSync(filler);
    },
    remove() {
      spawnSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function pageCapDisk(): Disk {
  const dir = mkdtempSync(path.join(tmpdir(), 'specstack-full-'));
  return {
    kind: 'max_page_count',
    dir,
    fill(connection, spare) {
      const pageSize = connection.pragma('page_size', { simple: true }) as number;
      const pages = connection.pragma('page_count', { simple: true }) as number;
      connection.pragma(`max_page_count = ${pages + Math.ceil(spare / pageSize)}`);
    },
    free(connection) {
      connection.pragma('max_page_count = 4294967294');
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const disk = tmpfsDisk() ?? pageCapDisk();
if (disk.kind !== 'tmpfs') {
  console.warn('SQLite disk-full suite: tmpfs cannot be mounted here; using PRAGMA max_page_count');
}

const FULL = {
  status: 503,
  code: 'SPECSTACK_ERR_UNAVAILABLE',
  message: 'the disk holding the database is full (SQLITE_FULL)',
  details: [],
};

describe(`a full disk under SQLite [${disk.kind}]`, () => {
  let server: RunningApp;
  let connection: BetterSqlite3.Database;
  let admin: Record<string, string>;

  beforeAll(async () => {
    server = await startApp(MOVIES, `sqlite:${path.join(disk.dir, 'movies.db')}`, {
      jwtSecret: SECRET,
    });
    connection = (server.app.db.client as { sqlite: BetterSqlite3.Database }).sqlite;
    const token = await new SignJWT({ sub: '1', scope: 'admin' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(SECRET));
    admin = { authorization: `Bearer ${token}` };
  });
  afterAll(async () => {
    await server?.close();
    disk.remove();
  });

  const count = () => connection.prepare('SELECT COUNT(*) AS n FROM movies').get() as { n: number };
  /** `n` movies of about 4 KB each: 200 of them need far more room than the spare left. */
  const batch = (label: string, n: number) =>
    Array.from({ length: n }, (_, i) => ({
      title: `${label} ${i}`,
      description: `${label} ${i} `.repeat(400).slice(0, 4000),
      release_year: 2001,
    }));
  const create = (json: unknown, bulk = false) =>
    request(server.url, 'POST', bulk ? '/api/movies/bulk' : '/api/movies', {
      json,
      headers: admin,
    });

  it('answers writes 503, writes none of a bulk write, keeps reads, and recovers', {
    timeout: 60_000,
  }, async () => {
    expect((await create(batch('before', 3), true)).status).toBe(201);
    expect(count().n).toBe(3);

    // Room for a few pages only: the bulk write runs out of space midway.
    disk.fill(connection, 128 * 1024);
    const bulk = await create(batch('midway', 200), true);
    expect(bulk.status).toBe(503);
    expect(bulk.body).toEqual(FULL);
    expect(count().n).toBe(3);
    expect(connection.inTransaction).toBe(false);

    // No room at all: a single write that needs a new page (a 5,000-character description) is
    // refused too.
    disk.free(connection);
    disk.fill(connection, 0);
    const single = await create({ title: 'during', description: 'd'.repeat(5000) });
    expect(single.status).toBe(503);
    expect(single.body).toEqual(FULL);
    expect(count().n).toBe(3);
    const list = await request(server.url, 'GET', '/api/movies?limit=100');
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(3);
    expect(
      server.logs.some((line) => line.level === 50 && JSON.stringify(line).includes('SQLITE_FULL')),
    ).toBe(true);

    // Space back: the same process writes again, the bulk write whole.
    disk.free(connection);
    expect((await create({ title: 'after' })).status).toBe(201);
    const again = await create(batch('after', 200), true);
    expect(again.status).toBe(201);
    expect(again.body).toHaveLength(200);
    expect(count().n).toBe(204);
    expect(connection.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
