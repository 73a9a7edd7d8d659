// The petstore suite: specstack's zero-handler petstore against handwritten-*.ts, each database
// migrated and given the same PETS rows; parity compares the shape of the answers.

import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import {
  migrate,
  postgresDatabases,
  REPO,
  sqliteDatabases,
  sqliteFile,
} from '../runner/databases.ts';
import type { Suite } from '../runner/suite.ts';
import { PETS, ROUTES } from './routes.ts';

const PETSTORE = path.join(REPO, 'examples/petstore');

const pets = Array.from({ length: PETS }, (_, i) => ({
  name: `pet ${i + 1}`,
  tag: i % 2 === 0 ? 'odd' : 'even',
}));

async function fillSqlite(url: string): Promise<void> {
  migrate(url, PETSTORE);
  const sqlite = new BetterSqlite3(sqliteFile(url));
  const insert = sqlite.prepare('INSERT INTO pets (name, tag) VALUES (?, ?)');
  sqlite.transaction(() => {
    for (const pet of pets) insert.run(pet.name, pet.tag);
  })();
  sqlite.close();
}

async function fillPostgres(url: string): Promise<void> {
  migrate(url, PETSTORE);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('INSERT INTO pets (name, tag) SELECT * FROM unnest($1::text[], $2::text[])', [
    pets.map((pet) => pet.name),
    pets.map((pet) => pet.tag),
  ]);
  await client.end();
}

export const petstoreSuite: Suite = {
  name: 'petstore',
  served: {
    app: PETSTORE,
    handwritten: {
      sqlite: path.join(import.meta.dirname, 'handwritten-sqlite.ts'),
      postgres: path.join(import.meta.dirname, 'handwritten-postgres.ts'),
    },
    readyPath: '/api/pets/1',
  },
  data: { pets: PETS },
  // Bodies differ by design (each server numbers its own new pets): shapes must match.
  parity: { probes: (route) => route.paths.slice(0, 1), sameBodies: false },
  async prepare(dialect, postgresUrl) {
    const databases =
      dialect === 'sqlite'
        ? await sqliteDatabases(fillSqlite)
        : await postgresDatabases(postgresUrl, fillPostgres);
    return { databases, routes: async () => [...ROUTES] };
  },
};
