// The spec as JSON and a Swagger UI page that reads it: the reference and a console that sends
// requests (with a bearer token from its Authorize box) to this server. Swagger UI's files are
// served from the installed package: a service's docs never depend on a CDN.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';

const require = createRequire(import.meta.url);

/** The package files the page needs, by the name they are served under (`/docs/<name>`). */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function docsPage(title: string): string {
  // The empty data: icon keeps the browser from asking the API for a /favicon.ico it lacks.
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)}</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <style>body { margin: 0; }</style>
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;
}

/**
 * Swagger UI's settings, kept in a script of its own so a Content-Security-Policy without
 * 'unsafe-inline' still allows the page. `validatorUrl: null` stops the badge that would send the
 * spec to validator.swagger.io; the relative `servers` of the spec resolve against this server.
 * A token typed into the Authorize box stays in the page's memory, never in localStorage.
 */
function initScript(specUrl: string): string {
  const settings = {
    url: specUrl,
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    displayRequestDuration: true,
    filter: true,
  };
  return `window.ui = SwaggerUIBundle(${JSON.stringify(settings)});\n`;
}

export interface DocsOptions {
  /** The bundled document, as served. */
  document: Record<string, unknown>;
  /** The spec's base path (`/api`): the spec is also served beneath it. */
  basePath: string;
}

export function registerDocs(fastify: FastifyInstance, options: DocsOptions): void {
  const json = JSON.stringify(options.document);
  const info = (options.document.info ?? {}) as { title?: string };
  const page = docsPage(info.title ?? 'API');
  const init = initScript('/openapi.json');
  // Read on first use: most processes never serve the docs.
  const loaded = new Map<string, Buffer>();

  const specPaths = new Set(['/openapi.json', `${options.basePath}/openapi.json`]);
  for (const url of specPaths) {
    fastify.get(url, (_request, reply) => reply.type('application/json').send(json));
  }
  fastify.get('/docs', (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
  fastify.get('/docs/init.js', (_request, reply) =>
    reply.type('application/javascript; charset=utf-8').send(init),
  );
  for (const [name, type] of Object.entries(ASSETS)) {
    fastify.get(`/docs/${name}`, (_request, reply) => {
      let body = loaded.get(name);
      if (body === undefined) {
        // eslint-disable-next-line security/detect-non-literal-fs-filename -- a swagger-ui-dist file named in ASSETS, never by the request
        body = readFileSync(require.resolve(`swagger-ui-dist/${name}`));
        loaded.set(name, body);
      }
      return reply.type(type).header('cache-control', 'public, max-age=86400').send(body);
    });
  }
}
