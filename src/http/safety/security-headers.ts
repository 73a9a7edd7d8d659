// Security headers on every answer, in two sets computed once at startup. Web pages (the docs,
// the jobs dashboard, any operation that answers HTML) get helmet's whole policy. JSON answers get
// the headers that protect an API (OWASP's REST Security Cheat Sheet): a CSP that forbids
// everything, no framing, no sniffing, HSTS and same-origin CORP. helmet's other headers govern
// what a browser does with a document it renders, which a JSON answer never is, and each one is
// written and parsed on every answer.

import type {
  FastifyRequest,
  onRequestHookHandler,
  onRouteHookHandler,
  RouteOptions,
} from 'fastify';
import helmet from 'helmet';
import type { Operation } from '../operations.ts';

/**
 * helmet's default CSP without `upgrade-insecure-requests`: a service reached over plain HTTP
 * (127.0.0.1, behind a TLS-terminating proxy) would otherwise have its docs assets upgraded to
 * an https:// that does not answer. Swagger UI (/docs) needs only 'self' scripts, inline styles
 * and data: images, all inside this policy; the jobs dashboard sets a stricter one of its own.
 */
const CONTENT_SECURITY_POLICY = {
  useDefaults: true,
  directives: { upgradeInsecureRequests: null },
};

/** A JSON answer loads nothing and is framed by nothing. */
const API_POLICY = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
};

/** helmet's headers that still mean something on an answer that is not a document. */
const API_HEADERS_FROM_HELMET = ['cross-origin-resource-policy', 'x-content-type-options'];

/**
 * Sent only on answers that went over HTTPS: a host must not send it over plain HTTP (RFC 6797
 * §7.2), where a browser ignores it anyway.
 */
const HSTS = 'strict-transport-security';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A framework route that answers JSON only (GET /tasks/{taskId}): the API headers alone. */
    servesData?: boolean;
  }
}

export type HeaderSet = Readonly<Record<string, string>>;

export interface SecurityHeaders {
  /** On every answer: API routes, not-found answers, and errors from Node's parser. */
  api: HeaderSet;
  /** Added on routes that serve web pages, over `api`. */
  page: HeaderSet;
  /** Added on every answer that went over HTTPS (`overHttps`). */
  https: HeaderSet;
}

/** helmet's headers, recorded by running it once against a stand-in response. */
function helmetHeaders(): Record<string, string> {
  const set: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      set[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader() {},
  };
  let failure: unknown;
  helmet({ contentSecurityPolicy: CONTENT_SECURITY_POLICY })(
    {} as never,
    recorder as never,
    (error?: unknown) => {
      failure = error;
    },
  );
  if (failure) throw failure;
  return set;
}

export function securityHeaders(): SecurityHeaders {
  const { [HSTS]: hsts, ...page } = helmetHeaders();
  const api: Record<string, string> = { ...API_POLICY };
  for (const name of API_HEADERS_FROM_HELMET) api[name] = page[name]!;
  return { api, page, https: { [HSTS]: hsts! } };
}

const FORWARDED_HTTPS = /^[^,]*?\bproto="?https"?(?:[;,\s]|$)/i;

/**
 * Whether the client reached this server over HTTPS: a TLS connection, or a request a
 * TLS-terminating proxy marks so (X-Forwarded-Proto, or RFC 7239's Forwarded), first hop first.
 * The marks are taken without SPECSTACK_TRUST_PROXY: forged on plain HTTP, all they add is an HSTS
 * header that a browser ignores there.
 */
export function overHttps(request: FastifyRequest): boolean {
  if ((request.raw.socket as { encrypted?: boolean } | null)?.encrypted === true) return true;
  const proto = request.headers['x-forwarded-proto'];
  if (typeof proto === 'string') return /^\s*https\s*(?:,|$)/i.test(proto);
  const forwarded = request.headers.forwarded;
  return typeof forwarded === 'string' && FORWARDED_HTTPS.test(forwarded);
}

const PAGE_TYPES = /^(text\/html|application\/xhtml\+xml|image\/svg\+xml)\b/i;

/** Whether any answer the operation declares may be a page a browser renders. */
export function answersPages(operation: Operation): boolean {
  return Object.values(operation.operation.responses ?? {}).some((response) =>
    Object.keys(response.content ?? {}).some((type) => PAGE_TYPES.test(type)),
  );
}

/**
 * An onRoute hook, added before any route: routes that may serve pages (every route that
 * `servesData` does not claim) get helmet's whole policy in a hook of their own, over the API set
 * every answer already has. API routes thus pay for one set of headers, not two.
 */
export function pageHeadersOnRoute(
  headers: SecurityHeaders,
  servesData: (route: RouteOptions) => boolean,
): onRouteHookHandler {
  const pageHook: onRequestHookHandler = (_request, reply, done) => {
    reply.headers(headers.page);
    done();
  };
  return (route) => {
    if (servesData(route)) return;
    const own = route.onRequest;
    route.onRequest = [pageHook, ...(own === undefined ? [] : Array.isArray(own) ? own : [own])];
  };
}
