// Password hashes: salted per hash, self-describing, and checked in constant time.

import { randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../src/index.ts';

describe('hashPassword and verifyPassword', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts each hash, and encodes the algorithm and its parameters in it', async () => {
    const first = await hashPassword('same password');
    const second = await hashPassword('same password');
    expect(first).not.toBe(second);
    expect(first).toMatch(/^\$scrypt\$N=32768,r=8,p=1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(first).not.toContain('same password');
    expect(await verifyPassword('same password', second)).toBe(true);
  });

  it('verifies a hash made with other cost parameters, read from the hash itself', async () => {
    const salt = randomBytes(16);
    const key = scryptSync('tunable', salt, 32, { N: 16384, r: 8, p: 2 });
    const older = `$scrypt$N=16384,r=8,p=2$${salt.toString('base64')}$${key.toString('base64')}`;
    expect(await verifyPassword('tunable', older)).toBe(true);
    expect(await verifyPassword('tunable', older.replace('p=2', 'p=1'))).toBe(false);
  });

  it('treats unicode passwords the same whatever their normal form', async () => {
    const hash = await hashPassword('caf\u00e9');
    expect(await verifyPassword('cafe\u0301', hash)).toBe(true);
  });

  it('answers false for a hash it cannot read, including hostile parameters', async () => {
    expect(await verifyPassword('x', '')).toBe(false);
    expect(await verifyPassword('x', 'plain-text-password')).toBe(false);
    expect(await verifyPassword('x', '$2b$10$abcdefghijklmnopqrstuv')).toBe(false);
    expect(
      await verifyPassword('x', '$scrypt$N=1073741824,r=8,p=1$c2FsdHNhbHQ=$a2V5a2V5a2V5a2V5a2V5'),
    ).toBe(false);
    expect(
      await verifyPassword('x', '$scrypt$N=1000,r=8,p=1$c2FsdHNhbHQ=$a2V5a2V5a2V5a2V5a2V5'),
    ).toBe(false);
  });
});
