/**
 * Keeps the bench suite from rotting: runs the quick mode of a bench through bench/run.mjs,
 * as `npm run bench -- --quick` does, into a temp folder, and checks that it completes and
 * writes sane figures and a BENCHMARKS.md. It asserts nothing about speed: these machines
 * are shared, and speed lives in BENCHMARKS.md.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const REPO_ROOT = new URL('..', import.meta.url).pathname;

interface Entry {
  kind: 'figure' | 'ratio';
  id: string;
  values: number[];
  min: number;
  median: number;
  max: number;
  goal?: { op: string; value: number };
  met?: boolean;
}
interface Result {
  bench: string;
  quick: boolean;
  entries: Entry[];
  machine: { cores: number; node: string };
}

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tracedock-bench-smoke-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function runQuick(bench: string): Promise<{ result: Result; markdown: string; stdout: string }> {
  const out = join(dir, `${bench}.md`);
  const { stdout } = await run(process.execPath, ['bench/run.mjs', '--quick', '--only', bench, '--results', dir, '--out', out], {
    cwd: REPO_ROOT,
    timeout: 170_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const result = JSON.parse(await readFile(join(dir, `${bench}.json`), 'utf8')) as Result;
  return { result, markdown: await readFile(out, 'utf8'), stdout };
}

function expectSane(entries: Entry[]): void {
  for (const entry of entries) {
    expect(entry.values.length, entry.id).toBeGreaterThan(0);
    expect(entry.values.every((v) => Number.isFinite(v)), entry.id).toBe(true);
    expect(entry.min, entry.id).toBeLessThanOrEqual(entry.median);
    expect(entry.median, entry.id).toBeLessThanOrEqual(entry.max);
    if (entry.goal !== undefined) expect(typeof entry.met, entry.id).toBe('boolean');
  }
}

describe('bench suite, quick mode', () => {
  it('decode: completes, writes per-variant rates and a BENCHMARKS.md section', async () => {
    const { result, markdown, stdout } = await runQuick('decode');
    expect(stdout).toMatch(/bench\/decode\.mjs\s+ok/);
    expect(result).toMatchObject({ bench: 'decode', quick: true });
    expect(result.machine.cores).toBeGreaterThan(0);
    expectSane(result.entries);
    const rate = (id: string): number => {
      const entry = result.entries.find((e) => e.id === id);
      if (entry === undefined) throw new Error(`decode.json has no ${id}: ${result.entries.map((e) => e.id).join(', ')}`);
      return entry.median;
    };
    // Sane, not fast: a decoder below 1,000 spans per CPU-second or above 100 million is broken or not decoding.
    for (const id of ['proto/bufbuild.cpu', 'proto/protobufjs.cpu', 'json.cpu']) {
      expect(rate(id)).toBeGreaterThan(1_000);
      expect(rate(id)).toBeLessThan(100_000_000);
    }
    expect(markdown).toContain('## decode: OTLP decode on one core');
    expect(markdown).toMatch(/\| proto\/bufbuild decode, one core .*\| spans\/CPU-s \| [\d,]+ \| \*\*[\d,]+\*\* \|/);
    // bench/analysis.md is appended with every placeholder filled: a figure, or "(not measured)".
    expect(markdown).toContain('## What limits the goals not met');
    expect(markdown).not.toContain('{{');
    expect(markdown).toContain('(not measured)');
  }, 180_000);
});
