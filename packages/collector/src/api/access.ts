import type { Request, RequestHandler, Response } from 'express';
import { bearerToken, tokenMatches } from '../auth/tokens.js';

/** The cookie /login sets, so that the browser's own requests (the UI, its /api calls) carry the token. */
export const ACCESS_COOKIE = 'tracedock_token';
const COOKIE_MAX_AGE_SECONDS = 30 * 24 * 3600;
/** Left open with a token too: container healthchecks and load balancers probe it. */
const OPEN_PATHS = new Set(['/api/health']);

/** The value of one cookie of a Cookie header, undefined when absent. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) {
      try {
        return decodeURIComponent(part.slice(at + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Where /login sends the browser on: a path of this site only, never another origin. */
function nextPath(raw: unknown): string {
  return typeof raw === 'string' && raw.startsWith('/') && !raw.startsWith('//') && !raw.includes('\\') ? raw : '/';
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** A plain page with a token field; no script, so the UI's content security policy holds. */
function loginPage(res: Response, status: number, message: string, next: string): void {
  res
    .status(status)
    .set('Content-Type', 'text/html; charset=utf-8')
    .set('Cache-Control', 'no-store')
    .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>tracedock: sign in</title>` +
        `<style>body{font:15px system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem}input{width:100%;padding:.4rem;margin:.5rem 0}</style></head>` +
        `<body><h1>tracedock</h1><p id="message">${escapeHtml(message)}</p>` +
        `<form method="get" action="/login"><label for="t">API token</label><input id="t" name="t" type="password" autocomplete="off" required>` +
        `<input type="hidden" name="next" value="${escapeHtml(next)}"><button type="submit">Sign in</button></form></body></html>`,
    );
}

function refuseApi(res: Response, message: string): void {
  res
    .status(401)
    .set('WWW-Authenticate', 'Bearer realm="tracedock"')
    .json({ error: { code: 'unauthorized', message } });
}

/**
 * The UI port's access check when an API token is set (auth/tokens.ts): `Authorization:
 * Bearer <token>`, or the cookie that `GET /login?t=<token>` sets (the link the collector
 * prints at start). Without either: 401, as JSON for /api and /metrics, as a sign-in page
 * for the UI. /api/health stays open. With no token (null) everything passes.
 */
export function accessCheck(token: string | null): RequestHandler {
  return (req: Request, res: Response, next) => {
    // An old sign-in link to a collector whose token is now off: straight on.
    if (token === null && req.path === '/login') return res.redirect(303, nextPath(req.query.next));
    if (token === null || OPEN_PATHS.has(req.path)) return next();
    if (req.path === '/login') {
      const presented = typeof req.query.t === 'string' ? req.query.t : undefined;
      const to = nextPath(req.query.next);
      if (presented === undefined) return loginPage(res, 200, 'Enter the API token the collector printed at start (or open the link it printed).', to);
      if (!tokenMatches(presented, token)) return loginPage(res, 401, 'That is not this collector\'s API token.', to);
      res.cookie(ACCESS_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/', maxAge: COOKIE_MAX_AGE_SECONDS * 1000 });
      return res.set('Cache-Control', 'no-store').redirect(303, to);
    }
    const presented = bearerToken(req.headers.authorization) ?? cookieValue(req.headers.cookie, ACCESS_COOKIE);
    if (tokenMatches(presented, token)) return next();
    const message =
      presented === undefined
        ? 'this collector requires its API token: send "Authorization: Bearer <token>", or sign in at /login with the link the collector printed at start'
        : 'the token sent is not this collector\'s API token';
    if (req.path.startsWith('/api/') || req.path === '/api' || req.path === '/metrics') return refuseApi(res, message);
    if ((req.method === 'GET' || req.method === 'HEAD') && req.accepts('html') === 'html') return loginPage(res, 401, message, nextPath(req.originalUrl));
    res.status(401).set('WWW-Authenticate', 'Bearer realm="tracedock"').type('text/plain').send(message);
  };
}
