// Security headers on every answer (helmet's policy: CSP, HSTS, nosniff, frame and referrer
// rules). The headers are computed once at startup by running helmet against a recording
// response, then set on each answer with the request id (request-ids.ts).

import helmet from 'helmet';

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

export interface SecurityHeaders {
  /** Headers to set, in the order helmet sets them. */
  set: ReadonlyArray<readonly [string, string]>;
  /** Headers helmet removes (`x-powered-by`). */
  removed: readonly string[];
}

export function securityHeaders(): SecurityHeaders {
  const set: Array<readonly [string, string]> = [];
  const removed: string[] = [];
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      set.push([name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value)]);
    },
    removeHeader(name: string) {
      removed.push(name.toLowerCase());
    },
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
  return { set, removed };
}
