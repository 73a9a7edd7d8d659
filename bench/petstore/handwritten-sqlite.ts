// The hand-written baseline on SQLite: Fastify 5 and better-sqlite3 prepared statements, the
// petstore's schemas and error bodies, nothing else. Run as its own process by run.ts.
//
//   DATABASE_FILE=pets.db PORT=8001 node --import tsx bench/petstore/handwritten-sqlite.ts

import BetterSqlite3 from 'better-sqlite3';
import Fastify from 'fastify';
import {
  ajvOptions,
  createPetSchema,
  cursorId,
  DEFAULT_LIMIT,
  errorHandler,
  listPetsSchema,
  nextLink,
  notFound,
  type Pet,
  showPetSchema,
} from './handwritten-schemas.ts';

const sqlite = new BetterSqlite3(process.env.DATABASE_FILE!);
// The pragmas specstack sets, so both pay the same for a write.
sqlite.pragma('journal_mode = WAL');
sqlite.pragma('synchronous = NORMAL');
sqlite.pragma('foreign_keys = ON');
sqlite.pragma('busy_timeout = 5000');
const byId = sqlite.prepare<[number], Pet>('SELECT id, name, tag FROM pets WHERE id = ?');
const page = sqlite.prepare<[number, number], Pet>(
  'SELECT id, name, tag FROM pets WHERE id > ? ORDER BY id LIMIT ?',
);
const insert = sqlite.prepare<[string, string | null], Pet>(
  'INSERT INTO pets (name, tag) VALUES (?, ?) RETURNING id, name, tag',
);

const app = Fastify({ logger: false, ajv: ajvOptions });
app.setErrorHandler(errorHandler);

app.get<{ Params: { petId: number } }>(
  '/api/pets/:petId',
  { schema: showPetSchema },
  (request, reply) => {
    const pet = byId.get(request.params.petId);
    return pet ? reply.send(pet) : notFound(reply, request.params.petId);
  },
);

app.get<{ Querystring: { limit?: number; cursor?: string } }>(
  '/api/pets',
  { schema: listPetsSchema },
  (request, reply) => {
    const limit = request.query.limit ?? DEFAULT_LIMIT;
    const after = cursorId(request.query.cursor);
    if (after === undefined) {
      return reply.code(400).send({ code: 400, message: 'query.cursor: is not a cursor' });
    }
    const rows = page.all(after, limit + 1);
    if (rows.length > limit) {
      rows.pop();
      reply.header('x-next', nextLink(limit, rows[rows.length - 1]!));
    }
    return reply.send(rows);
  },
);

app.post<{ Body: { name: string; tag?: string } }>(
  '/api/pets',
  { schema: createPetSchema },
  // all(), not get(): get() resets the statement after its first row, so the INSERT commits in
  // sqlite3_reset, where SQLite neither reports a failed commit nor runs its WAL hook. The
  // baseline would then never checkpoint (its WAL grows by two pages a write, without bound) and
  // would answer 201 for a row a full disk refused. specstack steps every write to its end.
  (request, reply) =>
    reply.code(201).send(insert.all(request.body.name, request.body.tag ?? null)[0]),
);

await app.listen({ port: Number(process.env.PORT), host: process.env.HOST ?? '127.0.0.1' });
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, async () => {
    await app.close();
    sqlite.close();
  });
}
