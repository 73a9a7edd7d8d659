import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { genReqId } from '../../src/http/request-ids.ts';

const requestWith = (headers: Record<string, string> = {}) => ({ headers }) as IncomingMessage;

describe('request ids', () => {
  it('are fresh, distinct and in order across thousands of requests, sharing the process prefix', () => {
    const ids = Array.from({ length: 2500 }, () => genReqId(requestWith()));
    expect(new Set(ids).size).toBe(ids.length);
    // The prefix is base64url, so it may hold a `-` itself: the counter follows the last one.
    const prefix = ids[0]!.slice(0, ids[0]!.lastIndexOf('-') + 1);
    const suffixes = ids.map((id) => {
      expect(id.startsWith(prefix)).toBe(true);
      return id.slice(prefix.length);
    });
    for (const suffix of suffixes) expect(suffix).toMatch(/^[0-9a-z]+\d{3}$/);
    // Within a block of a thousand the three digits count up; the block moves on after 999.
    const at999 = suffixes.findIndex((suffix) => suffix.endsWith('999'));
    expect(suffixes[at999 + 1]!.endsWith('000')).toBe(true);
    expect(suffixes[at999 + 1]).not.toBe(suffixes[at999 + 1 - 1000]);
  });

  it("take the caller's id when it is a sane token, and make one otherwise", () => {
    expect(genReqId(requestWith({ 'x-request-id': 'trace-42.a:b' }))).toBe('trace-42.a:b');
    expect(genReqId(requestWith({ 'x-request-id': 'no spaces' }))).not.toBe('no spaces');
    const tooLong = 'x'.repeat(129);
    expect(genReqId(requestWith({ 'x-request-id': tooLong }))).not.toBe(tooLong);
  });
});
