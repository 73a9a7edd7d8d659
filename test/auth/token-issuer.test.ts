// issueToken: what the app's own tokens carry, and that the app's own verifier accepts them.

import { describe, expect, it } from 'vitest';
import { createJwtVerifier } from '../../src/auth/jwt-verifier.ts';
import { createTokenIssuer } from '../../src/auth/token-issuer.ts';

const secret = new TextEncoder().encode('a-secret-for-unit-tests-a-secret-for-unit-tests');
const settings = { secret, issuer: 'https://me.test', audience: 'my-api' };
const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());

describe('issueToken', () => {
  it('issues HS256 tokens with iss, aud, a space-separated scope, and the default lifetime', async () => {
    const issue = createTokenIssuer({ ...settings, expiresIn: '15m' });
    const token = await issue({ sub: '42', scope: ['a', 'b'], name: 'Ada' });
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString());
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    const claims = claimsOf(token);
    expect(claims).toMatchObject({ sub: '42', scope: 'a b', name: 'Ada', iss: settings.issuer });
    expect(claims.aud).toBe('my-api');
    expect(claims.exp - claims.iat).toBe(900);
    const verify = createJwtVerifier({ ...settings, jwksAlgorithms: [] });
    expect(await verify(token)).toMatchObject({ ok: true, claims: { sub: '42' } });
  });

  it('takes a lifetime per call, in seconds or as a duration', async () => {
    const issue = createTokenIssuer({ ...settings, expiresIn: '1h' });
    const seconds = claimsOf(await issue({ sub: '1' }, { expiresIn: 60 }));
    expect(seconds.exp - seconds.iat).toBe(60);
    const text = claimsOf(await issue({ sub: '1' }, { expiresIn: '2d' }));
    expect(text.exp - text.iat).toBe(172800);
    const digits = createTokenIssuer({ ...settings, expiresIn: '120' });
    const fromSetting = claimsOf(await digits({ sub: '1' }));
    expect(fromSetting.exp - fromSetting.iat).toBe(120);
  });

  it('refuses to issue without a secret, or without a subject', async () => {
    const issue = createTokenIssuer({ expiresIn: '1h' });
    await expect(issue({ sub: '1' })).rejects.toMatchObject({ code: 'SPECSTACK_ERR_AUTH_CONFIG' });
    const withSecret = createTokenIssuer({ secret, expiresIn: '1h' });
    await expect(withSecret({ sub: '' })).rejects.toThrow(/sub/);
  });
});
