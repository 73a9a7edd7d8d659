import { describe, expect, it } from 'vitest';
import { fingerprint, fingerprintRow } from '../../../src/http/auto-crud/fingerprint.ts';

describe('entity tag fingerprints', () => {
  it('gives the same text the same fingerprint, and 100,000 rows differing in one field as many', () => {
    expect(fingerprint('{"id":1,"name":"Rex"}')).toBe(fingerprint('{"id":1,"name":"Rex"}'));
    const seen = new Set<string>();
    for (let id = 0; id < 100_000; id += 1)
      seen.add(fingerprint(JSON.stringify({ id, name: 'Rex' })));
    expect(seen.size).toBe(100_000);
  });

  it('changes when one character changes, anywhere in a long text', () => {
    const text = 'x'.repeat(10_000);
    const base = fingerprint(text);
    for (const at of [0, 5_000, 9_999]) {
      expect(fingerprint(`${text.slice(0, at)}y${text.slice(at + 1)}`)).not.toBe(base);
    }
    expect(fingerprint('ab')).not.toBe(fingerprint('ba'));
    expect(fingerprint('')).not.toBe(fingerprint('\0'));
  });
});

describe('row fingerprints', () => {
  it('follow every field of a row: its names, values and their kinds', () => {
    const row = { id: 1, name: 'Rex', tag: null, owner: { id: 3, name: 'Ann' } };
    expect(fingerprintRow(row)).toBe(fingerprintRow({ ...row }));
    const others = [
      { ...row, id: 2 },
      { ...row, id: '1' },
      { ...row, id: 1.5 },
      // Wraps to 1 as a 32-bit integer: it must still differ from 1.
      { ...row, id: 2 ** 32 + 1 },
      { ...row, id: -1 },
      { ...row, name: 'Rey' },
      { ...row, tag: 'null' },
      { ...row, tag: '' },
      { ...row, owner: { id: 3, name: 'Anne' } },
      { ...row, owner: null },
      { id: 1, name: 'Rex', tag: null },
      // Names and values that would run together if they were simply concatenated.
      { id: 1, nam: 'eRex', tag: null, owner: row.owner },
    ];
    const seen = new Set(others.map((other) => fingerprintRow(other)));
    expect(seen.size).toBe(others.length);
    expect(seen.has(fingerprintRow(row))).toBe(false);
  });

  it('give 100,000 rows differing in one field as many fingerprints', () => {
    const seen = new Set<string>();
    for (let id = 0; id < 100_000; id += 1) seen.add(fingerprintRow({ id, name: 'Rex' }));
    expect(seen.size).toBe(100_000);
  });
});

describe('fingerprint text', () => {
  it('is eleven base64url digits, fit for an ETag, and uses all 64 bits', () => {
    const seen = new Set<string>();
    for (let id = 0; id < 10_000; id += 1) {
      const text = fingerprintRow({ id, name: 'Rex' });
      expect(text).toMatch(/^[\w-]{11}$/);
      seen.add(text);
    }
    // Every digit position takes many values: no bits are stuck.
    for (let at = 0; at < 11; at += 1) {
      const digits = new Set([...seen].map((text) => text[at]));
      expect(digits.size, `digit ${at}`).toBeGreaterThan(at === 10 ? 8 : 32);
    }
  });
});
