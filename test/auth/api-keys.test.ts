// SPECSTACK_API_KEYS: its format, its errors (which never show a key), and lookups.

import { describe, expect, it } from 'vitest';
import { parseApiKeys } from '../../src/auth/api-keys.ts';

describe('parseApiKeys', () => {
  it('reads keys with a subject and optional space-separated scopes', () => {
    const keys = parseApiKeys(' key-one=reporter:reports export , key-two=robot ,');
    expect(keys.size).toBe(2);
    expect(keys.find('key-one')).toEqual({ subject: 'reporter', scopes: ['reports', 'export'] });
    expect(keys.find('key-two')).toEqual({ subject: 'robot', scopes: [] });
  });

  it('finds nothing for an unknown key, a prefix of a key, or an empty value', () => {
    const keys = parseApiKeys('key-one=reporter');
    expect(keys.find('key-on')).toBeUndefined();
    expect(keys.find('key-one ')).toBeUndefined();
    expect(keys.find('')).toBeUndefined();
    expect(parseApiKeys(undefined).find('anything')).toBeUndefined();
  });

  it('refuses malformed entries by number, never echoing the key', () => {
    const attempts: [string, string][] = [
      ['ok=a,hunter2', 'entry 2: no "="'],
      ['=a', 'entry 1: the key is empty'],
      ['hunter2=:scope', 'entry 1: the subject is empty'],
      ['hun ter2=a', 'entry 1: the key contains white space'],
      ['hunter2=a,hunter2=b', 'entry 2: the same key is listed twice'],
    ];
    for (const [value, message] of attempts) {
      let error: unknown;
      try {
        parseApiKeys(value);
      } catch (caught) {
        error = caught;
      }
      expect(error).toMatchObject({ code: 'SPECSTACK_ERR_AUTH_CONFIG' });
      expect((error as Error).message).toContain(message);
      expect((error as Error).message).not.toContain('hunter2');
    }
  });
});
