// The spec's x-rate-limit on the movies example: failed logins are limited per account, sign-ups
// per address, both answered 429 with Retry-After in the spec's Error shape; with Redis, two
// instances of the app share the counts.

import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import {
  describeWithRedis,
  dropPrefix,
  REDIS_URL,
  uniquePrefix,
} from '../../jobs/support/backends.ts';
import { type RunningApp, request, startApp } from '../../support/app-server.ts';
import { describeEachDialect } from '../../support/databases.ts';

const MOVIES = path.resolve(import.meta.dirname, '../../../examples/movies');
const SECRET = 'rate-limit-test-secret-that-is-long-enough';

const signUp = (url: string, email: string) =>
  request(url, 'POST', '/api/users', {
    json: { email, name: 'Someone', password: 'correct horse battery' },
  });
const login = (url: string, email: string, password: string) =>
  request(url, 'POST', '/api/login', { json: { email, password } });

function expectTooMany(response: Awaited<ReturnType<typeof request>>) {
  expect(response.status).toBe(429);
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(response.body).toEqual({
    status: 429,
    code: 'SPECSTACK_ERR_RATE_LIMITED',
    message: expect.stringMatching(/retry in \d+ s/),
    details: [],
  });
}

describeEachDialect('x-rate-limit on the movies example', (ctx) => {
  let server: RunningApp;

  beforeAll(async () => {
    server = await startApp(MOVIES, await ctx.createDatabaseUrl(), { jwtSecret: SECRET });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('locks an account out after 10 failed logins, not the other accounts', async () => {
    expect((await signUp(server.url, 'ann@example.com')).status).toBe(201);
    expect((await signUp(server.url, 'bob@example.com')).status).toBe(201);
    for (let i = 0; i < 10; i++) {
      expect((await login(server.url, 'ann@example.com', `wrong-${i}`)).status).toBe(401);
    }
    // Even the right password waits now: the attacker cannot tell it was right.
    expectTooMany(await login(server.url, ' ANN@example.com', 'correct horse battery'));
    const bob = await login(server.url, 'bob@example.com', 'correct horse battery');
    expect(bob.status).toBe(200);
  });

  it('refuses the 21st sign-up in a minute from one address with 429, writing nothing', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 19; i++)
      statuses.push((await signUp(server.url, `u${i}@example.com`)).status);
    // Two sign-ups were spent by the previous test.
    expect(statuses.filter((status) => status === 201)).toHaveLength(18);
    expectTooMany(await signUp(server.url, 'one-too-many@example.com'));
    const exists = await request(
      server.url,
      'GET',
      '/api/users/exists?email=one-too-many@example.com',
    );
    expect(exists.body).toEqual({ exists: false });
  });
});

const signUpFrom = (url: string, email: string, forwardedFor: string) =>
  request(url, 'POST', '/api/users', {
    json: { email, name: 'Someone', password: 'correct horse battery' },
    headers: { 'x-forwarded-for': forwardedFor },
  });

describe('SPECSTACK_TRUST_PROXY', () => {
  const trust = (value?: string) =>
    loadConfig({ env: value === undefined ? {} : { SPECSTACK_TRUST_PROXY: value } }).trustProxy;

  it('trusts no proxy unless told, then every hop, a hop count, or the proxies named', () => {
    expect(trust()).toBe(false);
    expect(trust('off')).toBe(false);
    expect(trust('on')).toBe(true);
    expect(trust('2')).toBe(2);
    expect(trust('10.0.0.0/8, loopback ,::1')).toEqual(['10.0.0.0/8', 'loopback', '::1']);
  });

  it('refuses what is not an address, a range or a count, naming the variable', () => {
    expect(() => trust('my-proxy.internal')).toThrow(/SPECSTACK_TRUST_PROXY .*"my-proxy.internal"/);
  });
});

describeEachDialect('x-rate-limit behind a proxy', (ctx) => {
  const servers: RunningApp[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });
  const start = async (overrides: Parameters<typeof startApp>[2]) => {
    const server = await startApp(MOVIES, await ctx.createDatabaseUrl(), {
      jwtSecret: SECRET,
      ...overrides,
    });
    servers.push(server);
    return server;
  };

  it('keys on the socket address by default: a forged X-Forwarded-For does not evade the limit', async () => {
    const server = await start({});
    for (let i = 0; i < 20; i++) {
      const response = await signUpFrom(server.url, `forged${i}@example.com`, `203.0.113.${i}`);
      expect(response.status).toBe(201);
    }
    expectTooMany(await signUpFrom(server.url, 'forged-more@example.com', '198.51.100.1'));
  });

  it('with the proxy trusted, gives each forwarded client a budget of its own', async () => {
    // The test talks to the app from 127.0.0.1: that is the proxy.
    const server = await start({ trustProxy: ['127.0.0.1'] });
    for (let i = 0; i < 20; i++) {
      const response = await signUpFrom(server.url, `a${i}@example.com`, '203.0.113.7');
      expect(response.status).toBe(201);
    }
    expectTooMany(await signUpFrom(server.url, 'a-more@example.com', '203.0.113.7'));
    // A client that forges an X-Forwarded-For of its own: the address the proxy appends is its key.
    expect(
      (await signUpFrom(server.url, 'b@example.com', '203.0.113.7, 198.51.100.9')).status,
    ).toBe(201);
    expect((await signUpFrom(server.url, 'c@example.com', '198.51.100.10')).status).toBe(201);
  });
});

describeWithRedis('x-rate-limit shared through Redis', () => {
  const prefix = uniquePrefix();
  const servers: RunningApp[] = [];
  const file = path.join(tmpdir(), `${prefix}.db`);

  beforeAll(async () => {
    // Two instances of one app: one database, one Redis prefix.
    const databaseUrl = `sqlite:${file}`;
    for (let i = 0; i < 2; i++) {
      servers.push(
        await startApp(MOVIES, databaseUrl, {
          jwtSecret: SECRET,
          redisUrl: REDIS_URL,
          jobsPrefix: prefix,
        }),
      );
    }
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    await dropPrefix(REDIS_URL, prefix);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  });

  it('counts failed logins of one account across instances', async () => {
    const [a, b] = servers as [RunningApp, RunningApp];
    expect((await signUp(a.url, 'cat@example.com')).status).toBe(201);
    for (let i = 0; i < 10; i++) {
      const instance = i % 2 === 0 ? a : b;
      expect((await login(instance.url, 'cat@example.com', `wrong-${i}`)).status).toBe(401);
    }
    expectTooMany(await login(a.url, 'cat@example.com', 'correct horse battery'));
    expectTooMany(await login(b.url, 'cat@example.com', 'correct horse battery'));
  });
});
