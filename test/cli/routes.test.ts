// `specstack routes` as a user runs it.

import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const BIN = path.resolve(import.meta.dirname, '../../bin/specstack.js');
const PETSTORE = path.resolve(import.meta.dirname, '../../examples/petstore');

it('lists every petstore operation as served by auto-CRUD, without touching a database', async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [BIN, 'routes', '--app', PETSTORE],
    {
      env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
      timeout: 30_000,
    },
  );
  expect(stdout.trim().split('\n')).toEqual([
    'METHOD  PATH               OPERATION    SERVED BY              SECURITY',
    'GET     /api/pets          listPets     auto-CRUD list pets    public',
    'POST    /api/pets          createPets   auto-CRUD create pets  public',
    'GET     /api/pets/{petId}  showPetById  auto-CRUD read pets    public',
    'DELETE  /api/pets/{petId}  deletePet    auto-CRUD remove pets  public',
  ]);
});

it('lists GET /tasks/{taskId} after the x-job operations, under the alternatives of their security', async () => {
  const tasksApp = path.resolve(import.meta.dirname, '../fixtures/apps/tasks');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [BIN, 'routes', '--app', tasksApp],
    {
      timeout: 30_000,
    },
  );
  const lines = stdout.trim().split('\n');
  expect(lines.slice(1, 5).map((line) => line.split(/\s{2,}/).slice(0, 4))).toEqual([
    ['POST', '/api/counts', 'startCount', 'job count'],
    ['POST', '/api/private-counts', 'startPrivateCount', 'job count'],
    ['POST', '/api/admin-counts/{label}', 'startAdminCount', 'job count'],
    ['POST', '/api/broken', 'startBroken', 'job broken'],
  ]);
  // A public x-job's task is readable without credentials, an authenticated one's with them.
  expect(lines.at(-1)!.split(/\s{2,}/)).toEqual([
    'GET',
    '/api/tasks/{taskId}',
    'getTask',
    'tasks of x-job operations',
    'optional | bearerAuth | bearerAuth[admin]',
  ]);
  expect(lines.filter((line) => line.includes('/tasks/'))).toHaveLength(1);
});
