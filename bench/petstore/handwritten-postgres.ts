// The hand-written baseline on PostgreSQL: Fastify 5 and node-postgres named prepared queries on a
// pool of the size specstack uses (pg's default), the petstore's schemas and error bodies.
//
//   DATABASE_URL=postgres://… PORT=8001 node --import tsx bench/petstore/handwritten-postgres.ts

import Fastify from 'fastify';
import pg from 'pg';
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

// Ids are bigint columns: read them as numbers, as the API presents them.
pg.types.setTypeParser(pg.types.builtins.INT8, Number);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });

const app = Fastify({ logger: false, ajv: ajvOptions });
app.setErrorHandler(errorHandler);

app.get<{ Params: { petId: number } }>(
  '/api/pets/:petId',
  { schema: showPetSchema },
  async (request, reply) => {
    const { rows } = await pool.query<Pet>({
      name: 'pet-by-id',
      text: 'SELECT id, name, tag FROM pets WHERE id = $1',
      values: [request.params.petId],
    });
    return rows[0] ? reply.send(rows[0]) : notFound(reply, request.params.petId);
  },
);

app.get<{ Querystring: { limit?: number; cursor?: string } }>(
  '/api/pets',
  { schema: listPetsSchema },
  async (request, reply) => {
    const limit = request.query.limit ?? DEFAULT_LIMIT;
    const after = cursorId(request.query.cursor);
    if (after === undefined) {
      return reply.code(400).send({ code: 400, message: 'query.cursor: is not a cursor' });
    }
    const { rows } = await pool.query<Pet>({
      name: 'pets-page',
      text: 'SELECT id, name, tag FROM pets WHERE id > $1 ORDER BY id LIMIT $2',
      values: [after, limit + 1],
    });
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
  async (request, reply) => {
    const { rows } = await pool.query<Pet>({
      name: 'insert-pet',
      text: 'INSERT INTO pets (name, tag) VALUES ($1, $2) RETURNING id, name, tag',
      values: [request.body.name, request.body.tag ?? null],
    });
    return reply.code(201).send(rows[0]);
  },
);

await app.listen({ port: Number(process.env.PORT), host: process.env.HOST ?? '127.0.0.1' });
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, async () => {
    await app.close();
    await pool.end();
  });
}
