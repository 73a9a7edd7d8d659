// Compile-time proofs that relationship properties keep generated types compiling: rows carry the
// foreign-key columns the repository reads, not the nested objects, and association tables exist.

import { describe, expectTypeOf, it } from 'vitest';
import type { Row, Tables } from '../fixtures/apps/relationships/types/spec.ts';

describe('generated types of relationships', () => {
  it('types a row by its foreign-key column instead of the relationship property', () => {
    expectTypeOf<Row<'Employee'>>().toEqualTypeOf<{
      id: number | null;
      name: string;
      division_id: number;
    }>();
    expectTypeOf<Tables['Employee']['insert']>().toEqualTypeOf<{
      name: string;
      division_id: number;
      id?: number | null;
    }>();
  });

  it('types the association table of a many-to-many', () => {
    expectTypeOf<Row<'employee_project'>>().toEqualTypeOf<{
      employees_id: number;
      projects_id: number;
    }>();
  });
});
