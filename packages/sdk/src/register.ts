/**
 * Zero-code entry: `node --import @tracedock/sdk/register app.js` (ESM or CommonJS app), configured
 * by the OTEL_* environment alone. No top-level await, so `--require` works too.
 */
import { start } from './sdk.js';

start();
