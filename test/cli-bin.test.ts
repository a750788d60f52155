import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));

// README: "`npx tracedock --help` lists every option". CI runs `npm ci` before the build, as a
// fresh clone does, so this checks that the workspace bin was linked without dist/ existing.
describe('README command: npx tracedock --help', () => {
  it('runs the workspace bin linked by npm ci and lists the options', async () => {
    const { stdout } = await run('npx', ['--no-install', 'tracedock', '--help'], { cwd: ROOT, timeout: 30_000 });
    expect(stdout).toContain('--otlp-http-port');
    expect(stdout).toContain('--span-dedupe-capacity');
  });
});
