import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { chromiumPath, dockerCli, fileExists, requireE2E } from './support/env.js';

const run = promisify(execFile);

// Fails fast, with a message saying what is missing, when CI's set-up did not provide the
// real parts that the end-to-end tests use; skipped on a developer machine without them.
describe.runIf(requireE2E)('end-to-end prerequisites (TRACEDOCK_REQUIRE_E2E)', () => {
  it('runs on Node 22.15 or newer', () => {
    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
    expect(major > 22 || (major === 22 && minor >= 15), `node ${process.versions.node}`).toBe(true);
  });

  it('reaches a Docker engine', async () => {
    const { stdout } = await run(dockerCli, ['version', '--format', '{{.Server.APIVersion}}'], { timeout: 20_000 })
      .catch((error: unknown) => {
        throw new Error(`no Docker engine answers (start one with scripts/dockerd.sh start): ${String(error)}`);
      });
    expect(stdout.trim()).toMatch(/^1\.\d+$/);
  });

  it('has Chromium', async () => {
    expect(fileExists(chromiumPath), `${chromiumPath} (apt-get install chromium)`).toBe(true);
    const { stdout } = await run(chromiumPath, ['--version'], { timeout: 20_000 });
    expect(stdout).toMatch(/Chromium \d+/);
  });
});
