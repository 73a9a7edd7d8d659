import { describe, expect, it } from 'vitest';
import type { ListQueryPlan } from '../../../src/http/auto-crud/list-query.ts';
import { nextPageLink, toListQuery } from '../../../src/http/auto-crud/list-query.ts';

const plan: ListQueryPlan = {
  declared: new Set(['limit', 'offset', 'sort', 'name']),
  defaultLimit: 20,
  filterColumns: ['name'],
  sortableColumns: new Set(['id', 'name']),
  conditionParams: [],
};

describe('reading a list request', () => {
  it('takes paging, sorting and filters from declared parameters only', () => {
    expect(
      toListQuery(
        { limit: 5, offset: 10, sort: 'name,-id', name: 'rex', tag: 'ignored' },
        plan,
        {},
      ),
    ).toEqual({
      filters: { name: 'rex' },
      sort: [
        { column: 'name', direction: 'asc' },
        { column: 'id', direction: 'desc' },
      ],
      limit: 5,
      offset: 10,
    });
  });

  it('refuses a negative offset or a limit below 1 even when the spec sets no bounds', () => {
    expect(() => toListQuery({ offset: -1 }, plan, {})).toThrow(
      /query\.offset: must be an integer >= 0/,
    );
    expect(() => toListQuery({ limit: 0 }, plan, {})).toThrow(
      /query\.limit: must be an integer >= 1/,
    );
    expect(() => toListQuery({ limit: 2.5 }, plan, {})).toThrow(/query\.limit/);
  });

  it('caps the page size whatever the spec allows', () => {
    expect(toListQuery({ limit: 1_000_000 }, plan, {}).limit).toBe(1000);
  });

  it('links the next page with an offset when the operation declares no cursor', () => {
    const query = toListQuery({ limit: 5, offset: 10 }, plan, {});
    expect(nextPageLink('/api/pets?limit=5&offset=10&name=rex', plan, query, 'c')).toBe(
      '/api/pets?limit=5&offset=15&name=rex',
    );
  });
});

describe('next-page links', () => {
  const cursorPlan: ListQueryPlan = {
    ...plan,
    declared: new Set(['limit', 'offset', 'cursor', 'q']),
  };
  const query = (values: Record<string, unknown>) => toListQuery(values, cursorPlan, {});

  it('put the cursor where the last one was, keep the other parameters as sent, and drop the offset', () => {
    expect(
      nextPageLink(
        '/api/pets?tag=a%20b&cursor=old&limit=5&offset=0',
        cursorPlan,
        query({ limit: 5 }),
        'NEW',
      ),
    ).toBe('/api/pets?tag=a%20b&cursor=NEW&limit=5');
  });

  it('add cursor and limit after the parameters when the request had neither', () => {
    expect(nextPageLink('/api/pets', cursorPlan, query({}), 'N')).toBe(
      '/api/pets?cursor=N&limit=20',
    );
    expect(nextPageLink('/api/pets?q=x+y&', cursorPlan, query({ limit: 2 }), 'N')).toBe(
      '/api/pets?q=x+y&cursor=N&limit=2',
    );
  });

  it('read encoded parameter names and repeated ones as a server does', () => {
    expect(
      nextPageLink('/api/pets?%63ursor=a&cursor=b&lim%69t=9', cursorPlan, query({ limit: 9 }), 'N'),
    ).toBe('/api/pets?cursor=N&limit=9');
  });
});
