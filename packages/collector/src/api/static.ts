import { extname, sep } from 'node:path';
import express, { Router } from 'express';

/**
 * Only our own scripts, styles and API: telemetry strings can never turn into running code
 * (the UI renders them as text; this is the second wall), and no other site may frame the UI.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/**
 * The built UI: files as they are, and index.html for any other GET that wants HTML and has
 * no file extension, so that a reload on a client-side route (/traces/abc) opens the app.
 * Mounted after /api and /metrics, which it therefore never shadows.
 */
export function staticUiRoutes(dir: string): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    next();
  });
  router.use(
    express.static(dir, {
      index: 'index.html',
      setHeaders: (res, path) => {
        // Vite puts a content hash in every asset name: they never change under that name.
        res.set('Cache-Control', path.includes(`${sep}assets${sep}`) ? IMMUTABLE : REVALIDATE);
      },
    }),
  );
  router.use((req, res, next) => {
    const wantsAppShell = (req.method === 'GET' || req.method === 'HEAD') && extname(req.path) === '' && req.accepts('html') === 'html';
    if (!wantsAppShell) {
      next();
      return;
    }
    // A missing index.html arrives as a 404 http-error and becomes not_found.
    res.set('Cache-Control', REVALIDATE);
    res.sendFile('index.html', { root: dir }, (err) => {
      if (err !== undefined) next(err);
    });
  });
  return router;
}
