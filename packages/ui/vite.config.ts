import { defineConfig } from 'vite';

/** Where `npm run dev` sends /api: a collector on the default UI port, or TRACEDOCK_UI_API_URL. */
const API_TARGET = process.env.TRACEDOCK_UI_API_URL ?? 'http://127.0.0.1:4320';

/**
 * The collector serves dist/ at / and answers client-side routes with index.html, so the
 * app uses plain history URLs. JSX goes through Vite's own transform (oxc): no plugin needed.
 */
export default defineConfig({
  root: '.',
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // The whole app is one small chunk; a size warning above this would be news.
    chunkSizeWarningLimit: 600,
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': { target: API_TARGET, changeOrigin: false } },
  },
});
