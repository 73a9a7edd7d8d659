import { describe, expect, it } from 'vitest';
import { describeSecurity, formatRouteTable } from '../../src/http/route-table.ts';

describe('the routes table', () => {
  it('describes security requirements as OpenAPI means them', () => {
    expect(describeSecurity(undefined)).toBe('public');
    expect(describeSecurity([])).toBe('public');
    expect(describeSecurity([{ bearerAuth: [] }])).toBe('bearerAuth');
    expect(describeSecurity([{ bearerAuth: ['admin', 'write'] }, { apiKey: [] }])).toBe(
      'bearerAuth[admin write] | apiKey',
    );
    expect(describeSecurity([{ a: [], b: [] }, {}])).toBe('{a + b} | optional');
  });

  it('aligns its columns under a header', () => {
    const table = formatRouteTable([
      {
        method: 'GET',
        path: '/pets',
        operationId: 'listPets',
        source: 'auto-CRUD list pets',
        security: 'public',
      },
      {
        method: 'DELETE',
        path: '/pets/{id}',
        operationId: 'deletePet',
        source: 'handlers/pets#deletePet',
        security: 'bearerAuth',
      },
    ]);
    expect(table.split('\n')).toEqual([
      'METHOD  PATH        OPERATION  SERVED BY                SECURITY',
      'GET     /pets       listPets   auto-CRUD list pets      public',
      'DELETE  /pets/{id}  deletePet  handlers/pets#deletePet  bearerAuth',
    ]);
  });
});
