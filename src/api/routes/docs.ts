import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Hono } from 'hono';
import { openApiDocument } from '../openapi/document';

const SWAGGER_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const SWAGGER_ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

// Served from the swagger-ui-dist package: no CDN, so the docs work where the API has no internet.
const DOCS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>DataFibers API</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css"><link rel="icon" href="/api/docs/favicon-32x32.png"></head>
<body><div id="swagger-ui"></div><script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script></body></html>`;
const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: true, tryItOutEnabled: true });`;

/** GET /api/openapi.json (the document, built once) and /api/docs (Swagger UI on it). */
export function docsRoutes(version: string) {
  let document: Record<string, unknown> | undefined;
  return new Hono()
    .get('/api/openapi.json', (c) => c.json((document ??= openApiDocument(version))))
    .get('/api/docs', (c) => c.html(DOCS_PAGE))
    .get('/api/docs/init.js', (c) => c.body(DOCS_INIT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }))
    .get('/api/docs/:asset', async (c) => {
      const asset = c.req.param('asset');
      const type = SWAGGER_ASSETS[asset];
      if (!type) return c.notFound();
      return c.body(await readFile(path.join(SWAGGER_DIR, asset)), 200, {
        'Content-Type': type,
        'Cache-Control': 'public, max-age=86400',
      });
    });
}
