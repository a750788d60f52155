/**
 * The user-facing docker-compose.yml, run for real by end-to-end tests: docker-compose v1.29
 * (the Debian package) with test/compose.host.yml on top, because these machines allow host
 * networking only (../shared/ENVIRONMENT.md). Each stack has its own project name, so its
 * containers and volumes are its own, and `down` removes only them.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { docker, ensureTestImages } from './docker.js';
import { repoRoot } from './env.js';

const run = promisify(execFile);
export const composeCli = '/usr/bin/docker-compose';
export const COMPOSE_FILE = join(repoRoot, 'docker-compose.yml');
export const HOST_OVERRIDE_FILE = join(repoRoot, 'test', 'compose.host.yml');
const OUTPUT_MAX_BYTES = 32 * 1024 * 1024;
const COMPOSE_TIMEOUT_MILLIS = 120_000;
const BUILD_TIMEOUT_MILLIS = 600_000;
const LOG_TAIL_LINES = 50;
const HEALTH_POLL_MILLIS = 500;
const FETCH_TIMEOUT_MILLIS = 3_000;

/** Ports of test/compose.host.yml's defaults (its TD_E2E_* variables). */
export const E2E_PORTS = { otlpHttp: 24318, otlpGrpc: 24317, ui: 24320, gateway: 28080, orders: 28081, inventory: 28082 };
export const DEMO_SERVICES = ['gateway', 'orders', 'inventory', 'loadgen'] as const;

/**
 * Removes `ports:` from a `docker-compose config` rendering: the engine refuses published ports
 * with host networking, and v1.29 has no `!reset` to drop them in an override. The rendering is
 * v1.29's normalized YAML (services at two spaces, their keys at four, list items at four).
 */
export function withoutPorts(renderedYaml: string): string {
  const out: string[] = [];
  let skipping = false;
  for (const line of renderedYaml.split('\n')) {
    if (line === '    ports:') { skipping = true; continue; }
    if (skipping && (line.startsWith('    - ') || line.startsWith('      '))) continue;
    skipping = false;
    out.push(line);
  }
  return out.join('\n');
}

export interface ComposeResult { stdout: string; stderr: string }

/** One compose project: the rendered base + host override, under a unique project name. */
export class ComposeStack {
  readonly project: string;
  readonly uiUrl = `http://127.0.0.1:${E2E_PORTS.ui}`;
  readonly #dir: string;
  readonly #file: string;
  readonly #env: NodeJS.ProcessEnv;

  private constructor(project: string, dir: string, env: NodeJS.ProcessEnv) {
    this.project = project;
    this.#dir = dir;
    this.#file = join(dir, 'docker-compose.rendered.yml');
    this.#env = env;
  }

  /** Renders docker-compose.yml + test/compose.host.yml into one file without published ports. */
  static async create(): Promise<ComposeStack> {
    const project = `tracedock-e2e-${Math.random().toString(36).slice(2, 8)}`;
    const dir = await mkdtemp(join(tmpdir(), `${project}-`));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      // The Debian client first: another, newer one may come first on PATH.
      PATH: `/usr/bin:${process.env.PATH ?? ''}`,
      DOCKER_GID: String(statSync('/var/run/docker.sock').gid),
      // v1.29's default of 60 s cuts long, silent build steps (the UI bundle) with SIGTERM.
      COMPOSE_HTTP_TIMEOUT: '600',
      COMPOSE_DOCKER_CLI_BUILD: '1',
      DOCKER_BUILDKIT: '0',
    };
    const stack = new ComposeStack(project, dir, env);
    const rendered = await stack.#run(['-f', COMPOSE_FILE, '-f', HOST_OVERRIDE_FILE, 'config'], COMPOSE_TIMEOUT_MILLIS, false);
    await writeFile(stack.#file, withoutPorts(rendered.stdout));
    return stack;
  }

  /** `docker-compose <args>` of this project; throws with stderr (and stdout's tail). */
  async compose(args: readonly string[], timeoutMillis = COMPOSE_TIMEOUT_MILLIS): Promise<ComposeResult> {
    return this.#run(['-f', this.#file, ...args], timeoutMillis, true);
  }

  async #run(args: readonly string[], timeoutMillis: number, withProject: boolean): Promise<ComposeResult> {
    const full = withProject ? ['-p', this.project, ...args] : args;
    try {
      return await run(composeCli, full, { cwd: repoRoot, env: this.#env, timeout: timeoutMillis, maxBuffer: OUTPUT_MAX_BYTES });
    } catch (error) {
      const e = error as { stderr?: string; stdout?: string; killed?: boolean };
      const tail = (text: string | undefined) => (text ?? '').trim().split('\n').slice(-30).join('\n');
      const why = e.killed === true ? `timed out after ${timeoutMillis} ms` : 'failed';
      throw new Error(`docker-compose ${full.join(' ')} ${why}:\n${tail(e.stderr)}\n${tail(e.stdout)}`);
    }
  }

  /** Seeds the base image and builds every image of the stack (collector, demo). */
  async build(): Promise<number> {
    await ensureTestImages();
    const started = Date.now();
    await this.compose(['build'], BUILD_TIMEOUT_MILLIS);
    return Date.now() - started;
  }

  async up(): Promise<void> {
    await this.compose(['up', '-d', '--no-build'], COMPOSE_TIMEOUT_MILLIS);
  }

  /** Stops and removes the containers; `volumes` also removes the named volume (the data). */
  async down(options: { volumes: boolean }): Promise<void> {
    await this.compose(['down', '--timeout', '10', ...(options.volumes ? ['-v'] : [])], COMPOSE_TIMEOUT_MILLIS);
  }

  async stop(service: string): Promise<void> {
    await this.compose(['stop', '--timeout', '5', service]);
  }

  /** The full id of the service's (only) container. */
  async containerId(service: string): Promise<string> {
    const id = (await this.compose(['ps', '-q', service])).stdout.trim();
    if (!/^[0-9a-f]{64}$/.test(id)) throw new Error(`no single container for service ${service} in ${this.project}: '${id}'`);
    return id;
  }

  async health(service: string): Promise<string> {
    const id = await this.containerId(service);
    return (await docker(['inspect', '-f', '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}', id])).trim();
  }

  /** Waits until the collector's container is `healthy` and /api/health answers ok. */
  async waitCollectorHealthy(timeoutMillis: number): Promise<void> {
    const deadline = Date.now() + timeoutMillis;
    let last = '';
    while (Date.now() < deadline) {
      try {
        const status = await this.health('collector');
        const response = await fetch(`${this.uiUrl}/api/health`, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MILLIS) });
        last = `container ${status}, /api/health ${response.status}`;
        if (status === 'healthy' && response.ok) return;
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MILLIS));
    }
    throw new Error(`collector not healthy after ${timeoutMillis} ms (${last})\n${await this.logs()}`);
  }

  /** The last lines of every service's log, for failure messages. */
  async logs(): Promise<string> {
    return this.compose(['logs', '--no-color', '--tail', String(LOG_TAIL_LINES)]).then(
      (r) => r.stdout,
      (error: unknown) => `(logs unavailable: ${error instanceof Error ? error.message : String(error)})`,
    );
  }

  /** `down -v` and the rendered file; safe to call twice. */
  async dispose(): Promise<void> {
    await this.down({ volumes: true }).catch(() => undefined);
    await rm(this.#dir, { recursive: true, force: true });
  }
}
