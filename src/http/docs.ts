// The spec as JSON and a Redoc page that reads it. The Redoc bundle is served from the installed
// package: a service's docs never depend on a CDN.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';

const require = createRequire(import.meta.url);

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function docsPage(title: string, specUrl: string, scriptUrl: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)}</title>
  <style>body { margin: 0; padding: 0; }</style>
</head>
<body>
  <redoc spec-url="${escapeHtml(specUrl)}"></redoc>
  <script src="${escapeHtml(scriptUrl)}"></script>
</body>
</html>
`;
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
  const page = docsPage(info.title ?? 'API', '/openapi.json', '/docs/redoc.standalone.js');
  let bundle: Buffer | undefined;

  const specPaths = new Set(['/openapi.json', `${options.basePath}/openapi.json`]);
  for (const url of specPaths) {
    fastify.get(url, (_request, reply) => reply.type('application/json').send(json));
  }
  fastify.get('/docs', (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
  fastify.get('/docs/redoc.standalone.js', (_request, reply) => {
    // Read on first use: most processes never serve the docs.
    bundle ??= readFileSync(require.resolve('redoc/bundles/redoc.standalone.js'));
    return reply
      .type('application/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      .send(bundle);
  });
}
