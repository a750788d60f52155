import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startCollectorProcess, type CollectorProcess } from '../support/collector-process.js';
import { available, fileExists, repoRoot, toolsDir } from '../support/env.js';
import { killRunningClients } from './run-client.js';

/**
 * What the OTLP client tests of other languages need, checked once: the Python venv with the
 * pinned OpenTelemetry SDK, the Go clients built from their sources, and a collector process
 * per test file.
 */

const SETUP_HINT = 'run `TRACEDOCK_SETUP=clients bash scripts/setup-dev.sh` (or scripts/setup-dev.sh for everything)';

export const PYTHON = join(toolsDir, 'venv', 'bin', 'python');
const REQUIREMENTS = join(repoRoot, 'test', 'clients', 'python', 'requirements.txt');
/** scripts/setup-dev.sh copies the requirements it installed here. */
const INSTALLED_STAMP = join(toolsDir, 'venv', '.requirements');

/** Whether the venv holds what requirements.txt pins; fails (or skips) with a hint otherwise. */
export function pythonVenvReady(): boolean {
  const upToDate =
    fileExists(PYTHON) && fileExists(INSTALLED_STAMP) && readFileSync(INSTALLED_STAMP, 'utf8') === readFileSync(REQUIREMENTS, 'utf8');
  return available(
    `the Python venv with the pinned OpenTelemetry SDK (${PYTHON}, installed from test/clients/python/requirements.txt)`,
    upToDate,
    SETUP_HINT,
  );
}

/**
 * Whether the Go client binary in .tools/ is built and not older than its sources (paths under
 * test/clients/go): a stale one would test old code.
 */
export function goBinaryReady(binary: string, sources: readonly string[], what: string): boolean {
  const paths = sources.map((f) => join(repoRoot, 'test', 'clients', 'go', f));
  const upToDate = fileExists(binary) && paths.every((source) => statSync(source).mtimeMs <= statSync(binary).mtimeMs);
  return available(`${what} (${binary}, not older than its sources)`, upToDate, `${SETUP_HINT}; it needs \`go\` on PATH`);
}

/** A collector process for the test file (started in beforeAll, stopped with its data in afterAll). */
export function suiteCollector(name: string): () => CollectorProcess {
  let collector: CollectorProcess | undefined;
  let dataDir = '';
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), `tracedock-${name}-`));
    collector = await startCollectorProcess({ dataDir });
  });
  afterAll(async () => {
    killRunningClients();
    await collector?.stop();
    if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
  });
  return () => {
    if (collector === undefined) throw new Error('the collector did not start');
    return collector;
  };
}
