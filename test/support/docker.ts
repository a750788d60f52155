/**
 * The real Docker engine, for end-to-end tests: the Debian CLI at /usr/bin/docker (another,
 * newer client may come first on PATH), locally seeded base images (no registry is reachable
 * on CI machines), and containers that are removed when the test ends.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { available, dockerCli, fileExists, repoRoot } from './env.js';

const run = promisify(execFile);
const DOCKER_TIMEOUT_MILLIS = 120_000;
const OUTPUT_MAX_BYTES = 16 * 1024 * 1024;

/** The image tags that scripts/seed-images.sh provides when they cannot be pulled. */
export const NODE_IMAGE = 'node:24-bookworm-slim';
export const BUSYBOX_IMAGE = 'tracedock/busybox:local';

/** Runs the Docker CLI and returns its stdout; throws with stderr in the message. */
export async function docker(args: readonly string[], timeoutMillis = DOCKER_TIMEOUT_MILLIS): Promise<string> {
  try {
    const { stdout } = await run(dockerCli, [...args], { timeout: timeoutMillis, maxBuffer: OUTPUT_MAX_BYTES });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`docker ${args.join(' ')} failed: ${stderr.trim() || String(error)}`);
  }
}

/**
 * Whether Docker tests may run here: true when the engine answers; false (skip) when it does not
 * and TRACEDOCK_REQUIRE_E2E is unset; throws when it is set.
 */
export async function dockerAvailable(): Promise<boolean> {
  const answers = fileExists(dockerCli) && (await docker(['version', '--format', '{{.Server.APIVersion}}'], 15_000).then(
    () => true,
    () => false,
  ));
  return available('a Docker engine', answers, 'install docker.io and run scripts/dockerd.sh start');
}

/** Seeds the base images (scripts/seed-images.sh) unless they already exist. */
export async function ensureTestImages(): Promise<void> {
  await run('bash', [join(repoRoot, 'scripts', 'seed-images.sh')], { timeout: 300_000, maxBuffer: OUTPUT_MAX_BYTES });
}

/** Containers a test started, removed (with their anonymous volumes) by `removeContainers`. */
export class ContainerSet {
  readonly #ids = new Set<string>();

  /** `docker run -d` with host networking; returns the full container id. */
  async run(args: readonly string[]): Promise<string> {
    const id = (await docker(['run', '-d', '--network', 'host', '--label', 'tracedock.test=1', ...args])).trim();
    this.#ids.add(id);
    return id;
  }

  async removeAll(): Promise<void> {
    const ids = [...this.#ids];
    this.#ids.clear();
    if (ids.length > 0) await docker(['rm', '-f', '-v', ...ids]).catch(() => undefined);
  }
}
