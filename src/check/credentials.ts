// Credentials for operations with security: a bearer token or API key from the options or the
// environment, or one taken from a login operation called first.

import { CHECK_LOGIN } from '../errors.ts';
import type { SecuritySchemeObject } from '../spec/index.ts';
import type { CheckOptions, CheckRequest } from './check-types.ts';
import type { CheckOperation } from './discover-operations.ts';
import type { Transport } from './transport.ts';

export interface Credentials {
  token?: string;
  apiKey?: string;
}

const TOKEN_POINTERS = [
  '/access_token',
  '/token',
  '/accessToken',
  '/jwt',
  '/id_token',
  '/data/token',
];

export function readPointer(value: unknown, pointer: string): unknown {
  if (pointer === '' || pointer === '/') return value;
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>(
      (node, token) =>
        node && typeof node === 'object' ? (node as Record<string, unknown>)[token] : undefined,
      value,
    );
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** `POST /api/login {"email":"…"}` into a request; the base path is added when the path lacks it. */
export function parseLogin(login: string, basePath: string): CheckRequest {
  const match = /^\s*([A-Za-z]+)\s+(\S+)\s*([\s\S]*)$/.exec(login);
  const json = match?.[3]?.trim() ?? '';
  if (!match || (json !== '' && !isJson(json))) {
    throw CHECK_LOGIN(`--login must read 'METHOD /path {json body}', got ${JSON.stringify(login)}`);
  }
  const [, method, rawPath, body] = match as unknown as [string, string, string, string];
  const path = basePath && !rawPath.startsWith(`${basePath}/`) ? `${basePath}${rawPath}` : rawPath;
  const request: CheckRequest = { method: method.toUpperCase(), url: path, headers: {} };
  if (body.trim()) {
    request.body = body.trim();
    request.headers['content-type'] = 'application/json';
  }
  return request;
}

export async function resolveCredentials(
  options: CheckOptions,
  env: NodeJS.ProcessEnv,
  transport: Transport,
  basePath: string,
): Promise<Credentials> {
  const credentials: Credentials = {};
  const token = options.token ?? env.SPECSTACK_CHECK_TOKEN;
  const apiKey = options.apiKey ?? env.SPECSTACK_CHECK_API_KEY;
  if (token) credentials.token = token;
  if (apiKey) credentials.apiKey = apiKey;
  const login = options.login ?? env.SPECSTACK_CHECK_LOGIN;
  if (login && !credentials.token) {
    const request = parseLogin(login, basePath);
    const response = await transport(request);
    if (response.status >= 300) {
      throw CHECK_LOGIN(
        `login ${request.method} ${request.url} answered ${response.status}: ${response.body.slice(0, 200)}`,
      );
    }
    const body = isJson(response.body) ? (JSON.parse(response.body) as unknown) : undefined;
    const pointer = options.tokenPointer ?? env.SPECSTACK_CHECK_TOKEN_POINTER;
    const found = (pointer ? [pointer] : TOKEN_POINTERS)
      .map((p) => readPointer(body, p))
      .find((value) => typeof value === 'string' && value !== '');
    if (typeof found !== 'string') {
      throw CHECK_LOGIN(
        `login answered no token at ${pointer ?? TOKEN_POINTERS.join(' or ')}: ${response.body.slice(0, 200)}`,
      );
    }
    credentials.token = found;
  }
  return credentials;
}

export const takesToken = (scheme: SecuritySchemeObject | undefined) =>
  !!scheme &&
  ((scheme.type === 'http' && scheme.scheme?.toLowerCase() === 'bearer') ||
    scheme.type === 'oauth2' ||
    scheme.type === 'openIdConnect');

/** The request with the credentials of the first requirement they satisfy; unchanged when none. */
export function withCredentials(
  request: CheckRequest,
  operation: CheckOperation,
  schemes: Record<string, SecuritySchemeObject>,
  credentials: Credentials,
  token = credentials.token,
): CheckRequest {
  for (const requirement of operation.security) {
    const names = Object.keys(requirement);
    const usable = names.every((name) =>
      takesToken(schemes[name])
        ? !!token
        : schemes[name]?.type === 'apiKey' && !!credentials.apiKey,
    );
    if (!usable || names.length === 0) continue;
    const headers = { ...request.headers };
    let url = request.url;
    for (const name of names) {
      const scheme = schemes[name]!;
      if (takesToken(scheme)) headers.authorization = `Bearer ${token}`;
      else if (scheme.in === 'header') headers[scheme.name!.toLowerCase()] = credentials.apiKey!;
      else if (scheme.in === 'query')
        url += `${url.includes('?') ? '&' : '?'}${encodeURIComponent(scheme.name!)}=${encodeURIComponent(credentials.apiKey!)}`;
      else
        headers.cookie = [
          headers.cookie,
          `${scheme.name}=${encodeURIComponent(credentials.apiKey!)}`,
        ]
          .filter(Boolean)
          .join('; ');
    }
    return { ...request, url, headers };
  }
  return request;
}
