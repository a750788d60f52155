/**
 * What the end-to-end tests read from the environment, in one place.
 * TRACEDOCK_REQUIRE_E2E=1 (set by .ci/run) turns a missing Docker engine, Chromium, Python
 * venv or Go client into a failure; without it those tests skip with a message.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const requireE2E = process.env.TRACEDOCK_REQUIRE_E2E === '1' || process.env.TRACEDOCK_REQUIRE_E2E === 'true';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const toolsDir = join(repoRoot, '.tools');

export const dockerCli = '/usr/bin/docker';
export const chromiumPath = process.env.TRACEDOCK_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Whether a test that needs `what` may run. Returns false (skip) only when E2E is not required;
 * throws with a message saying how to get it otherwise.
 */
export function available(what: string, present: boolean, howToGet: string): boolean {
  if (present) return true;
  if (requireE2E) throw new Error(`${what} is missing (TRACEDOCK_REQUIRE_E2E is set): ${howToGet}`);
  console.warn(`skipping: ${what} is missing; ${howToGet}`);
  return false;
}

export function fileExists(path: string): boolean {
  return existsSync(path);
}
