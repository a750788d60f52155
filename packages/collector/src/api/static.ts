import { extname } from 'node:path';
import express, { Router } from 'express';

/**
 * The built UI: files as they are, and index.html for any other GET that wants HTML and has
 * no file extension, so that a reload on a client-side route (/traces/abc) opens the app.
 * Mounted after /api and /metrics, which it therefore never shadows.
 */
export function staticUiRoutes(dir: string): Router {
  const router = Router();
  router.use(express.static(dir, { index: 'index.html' }));
  router.use((req, res, next) => {
    const wantsAppShell = (req.method === 'GET' || req.method === 'HEAD') && extname(req.path) === '' && req.accepts('html') === 'html';
    if (!wantsAppShell) {
      next();
      return;
    }
    // A missing index.html arrives as a 404 http-error and becomes not_found.
    res.sendFile('index.html', { root: dir }, (err) => {
      if (err !== undefined) next(err);
    });
  });
  return router;
}
