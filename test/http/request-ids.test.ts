import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { genReqId } from '../../src/http/request-ids.ts';

const requestWith = (headers: Record<string, string> = {}) => ({ headers }) as IncomingMessage;

describe('request ids', () => {
  it('are fresh, distinct and in order across thousands of requests, sharing the process prefix', () => {
    const ids = Array.from({ length: 2500 }, () => genReqId(requestWith()));
    expect(new Set(ids).size).toBe(ids.length);
    const prefix = ids[0]!.split('-')[0];
    for (const id of ids) expect(id).toMatch(new RegExp(`^${prefix}-[0-9a-z]+\\d{3}$`));
    // Within a block of a thousand the three digits count up; the block moves on after 999.
    const suffixes = ids.map((id) => id.slice(prefix!.length + 1));
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
