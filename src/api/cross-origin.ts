import type { Context, MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { DfError } from '../domain/errors';
import { requestHost } from './allowed-hosts';

/** Who may call the API from a web page other than the console it serves itself. */
export interface BrowserAccess {
  /** DF_CORS_ORIGINS: none by default; '*' any. */
  corsOrigins: readonly string[];
  /** The Temporal Web UI calls /api/codec from its own origin (its remote codec), so that origin may call those. */
  temporalUiUrl: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function originOf(url: string): string | undefined {
  return URL.canParse(url) ? new URL(url).origin : undefined;
}

/**
 * Whether the page at `origin` made this request from the API's own origin. Sec-Fetch-Site is set
 * by the browser and cannot be forged by a page; the Host comparison covers browsers without it.
 */
function fromOwnOrigin(c: Context, origin: string): boolean {
  if (c.req.header('sec-fetch-site') === 'same-origin') return true;
  const host = requestHost(c);
  return URL.canParse(origin) && host !== undefined && new URL(origin).host === host.toLowerCase();
}

/**
 * CORS for the configured origins only, and a refusal of any change asked for from a page of
 * another origin. CORS alone keeps the answer from a foreign page, not the change: a form POST
 * (a multipart jar upload, a bodiless action) is sent without a preflight, so a write carrying a
 * foreign Origin is refused before it runs. Requests without an Origin (curl, SDKs) pass.
 */
export function crossOriginAccess(access: BrowserAccess): MiddlewareHandler {
  const any = access.corsOrigins.includes('*');
  const temporalUi = originOf(access.temporalUiUrl);
  const permitted = (origin: string, path: string) =>
    any || access.corsOrigins.includes(origin) || (origin === temporalUi && path.startsWith('/api/codec/'));
  // Admin UIs read the list total from X-Total-Count, so CORS must expose it.
  const corsHeaders = cors({
    origin: (origin) => (any ? '*' : origin),
    allowHeaders: [
      'Authorization',
      'Content-Type',
      'X-Requested-With',
      'X-Total-Count',
      'If-Match',
      'Prefer',
      'Idempotency-Key',
      'X-Namespace',
      'X-DF-Key-Spelling',
    ],
    exposeHeaders: [
      'X-Total-Count',
      'X-DF-List-Age',
      'X-DF-Unreadable-Records',
      'X-DF-Workflow-Id',
      'X-DF-Run-Id',
      'X-DF-Stale',
      'Location',
    ],
    maxAge: 600,
  });
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (origin === undefined) return next();
    if (permitted(origin, c.req.path)) return corsHeaders(c, next);
    if (!SAFE_METHODS.has(c.req.method) && !fromOwnOrigin(c, origin)) {
      throw new DfError(
        'ORIGIN_NOT_ALLOWED',
        `${c.req.method} from a page at ${origin} is refused: DF_CORS_ORIGINS does not list that origin`,
        {
          details: { origin, setting: 'DF_CORS_ORIGINS' },
        },
      );
    }
    return next();
  };
}
