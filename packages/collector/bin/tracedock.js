#!/usr/bin/env node
// The `tracedock` command. npm links a workspace's bin at install time only when its target
// exists, and dist/ is built after `npm ci` (npm run build / npm start), so the bin is this
// file, which is always there, and it loads the built CLI.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('tracedock: the collector is not built yet; run `npm run build` (or `npm start`) in the repository first\n');
  process.exit(1);
}
await import(cli.href);
