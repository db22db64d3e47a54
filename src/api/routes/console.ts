import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Hono } from 'hono';

/** What the console needs to know about this deployment; nothing secret, so it is served unauthenticated. */
export interface ConsoleSettings {
  temporalUiUrl: string;
  namespace: string;
  authRequired: boolean;
}

/** The console's static files: next to this module's source (src/console), copied beside dist by the build. */
export const CONSOLE_DIR = path.resolve(__dirname, '..', '..', 'console');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Asset names are plain relative paths: nothing that could climb out of the console's folder. */
const ASSET = /^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_-]*)*\.(html|js|css|svg|png)$/i;

/**
 * The web console: `/` serves the shell, `/console/*` its scripts and styles, `/api/console-config`
 * the settings it starts from. All open: the shell holds no data; every API call it makes carries
 * the operator's token.
 */
export function consoleRoutes(settings: ConsoleSettings, dir = CONSOLE_DIR) {
  const serve = async (name: string) => {
    if (!ASSET.test(name)) return undefined;
    try {
      return {
        body: await readFile(path.join(dir, name)),
        type: TYPES[path.extname(name)] ?? 'application/octet-stream',
      };
    } catch {
      return undefined;
    }
  };
  return new Hono()
    .get('/api/console-config', (c) => c.json(settings))
    .get('/', async (c) => {
      const file = await serve('index.html');
      if (!file) return c.text('console not built', 404);
      return c.body(file.body, 200, { 'Content-Type': file.type, 'Cache-Control': 'no-cache' });
    })
    .get('/console/*', async (c) => {
      const file = await serve(c.req.path.slice('/console/'.length));
      if (!file) return c.notFound();
      return c.body(file.body, 200, { 'Content-Type': file.type, 'Cache-Control': 'no-cache' });
    });
}
