/**
 * Makes sure the peers bench/peers.mjs measures are built: runs scripts/build-peers.sh for
 * them (it builds what is missing or stale and returns at once for the rest), then says which
 * targets can run and why the others cannot, quoting the build-error file the script leaves.
 *
 *   const { runnable, notes } = ensurePeersBuilt({ targets: TARGETS, names: ['tracedock', 'jaeger'], build: true });
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PEERS_DIR } from './peer-targets.mjs';

const BUILD_SCRIPT = fileURLToPath(new URL('../../scripts/build-peers.sh', import.meta.url));
/** Lines of a build-error file quoted in the report: its header (what failed, the command), then its end. */
const BUILD_ERROR_HEAD_LINES = 3;
const BUILD_ERROR_TAIL_LINES = 8;

/** What a peer's build-error file says, on one line, or undefined when there is none. */
function buildError(target) {
  const file = join(PEERS_DIR, `${target.buildName}.build-error.txt`);
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '');
  const head = lines.slice(0, BUILD_ERROR_HEAD_LINES);
  const tail = lines.slice(BUILD_ERROR_HEAD_LINES).slice(-BUILD_ERROR_TAIL_LINES);
  return [...head, ...tail].join(' | ');
}

/**
 * @param {{ targets: Record<string, { label: string, binary?: string, buildName?: string }>,
 *   names: string[], build: boolean }} options  build: false only looks for the binaries
 * @returns {{ runnable: string[], notes: string[] }}
 */
export function ensurePeersBuilt({ targets, names, build }) {
  const notes = [];
  const peers = names.filter((name) => targets[name].binary !== undefined);
  if (peers.length > 0 && build) {
    const missing = peers.filter((name) => !existsSync(targets[name].binary));
    if (missing.length > 0) console.log(`  building ${missing.join(', ')} with scripts/build-peers.sh (Go modules; minutes on 2 cores)`);
    const started = performance.now();
    const result = spawnSync('bash', [BUILD_SCRIPT, ...peers], { stdio: 'inherit' });
    const seconds = (performance.now() - started) / 1000;
    console.log(`  scripts/build-peers.sh ${peers.join(' ')}: ${seconds.toFixed(1)} s (exit code ${result.status ?? result.signal ?? result.error?.message})`);
    if (missing.length > 0) notes.push(`Built ${missing.join(', ')} with scripts/build-peers.sh in ${seconds.toFixed(0)} s before the runs.`);
  }
  const runnable = names.filter((name) => {
    const { binary, label } = targets[name];
    if (binary === undefined || existsSync(binary)) return true;
    const failure = buildError(targets[name]);
    const why = failure !== undefined ? `its build failed: ${failure}` : build ? 'no binary and no build-error file' : 'not built yet (builds are skipped with --quick or --no-build: run scripts/build-peers.sh)';
    console.log(`  ${name}: SKIPPED, ${why}`);
    notes.push(`${label} was not measured: ${why}`);
    return false;
  });
  return { runnable, notes };
}
