// The movies example's handlers take their types from its spec: spot checks of the generated
// types they are written against, checked by `tsc --noEmit`.

import { describe, expectTypeOf, it } from 'vitest';
import { rateMovie } from '../../examples/movies/handlers/ratings.ts';
import type { Operations, Row, Tables } from '../../examples/movies/types/spec.ts';

describe('the movies example types', () => {
  it('types list parameters with their defaults, and request bodies without readOnly properties', () => {
    expectTypeOf<Operations['listMovies']['query']['limit']>().toEqualTypeOf<number>();
    expectTypeOf<Operations['bulkCreateMovies']['body']>().toEqualTypeOf<
      {
        title: string;
        description?: string | null;
        release_year?: number | null;
        genres: string[];
      }[]
    >();
    expectTypeOf<Operations['signUp']['body']>().toEqualTypeOf<{
      email: string;
      name: string;
      password: string;
    }>();
  });

  it('types rows from the x-tablename schemas, the password hash included', () => {
    expectTypeOf<Row<'User'>>().toEqualTypeOf<{
      id: number;
      email: string;
      name: string;
      password: string;
      role: 'user' | 'admin';
      created_at: string;
    }>();
    expectTypeOf<Tables['Rating']['insert']>().toHaveProperty('movie_id').toEqualTypeOf<number>();
  });

  it('gives a handler the context of its operation', () => {
    expectTypeOf(rateMovie)
      .parameter(0)
      .toHaveProperty('params')
      .toEqualTypeOf<{ movie_id: number }>();
    expectTypeOf(rateMovie).parameter(0).toHaveProperty('body').toEqualTypeOf<{ rating: number }>();
  });
});
