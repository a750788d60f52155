import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbStore } from './DuckDbStore.js';
import { SCHEMA_VERSION } from './schema.js';
import { ALL_TIME, makeSample, makeTempDir, T0_NS, type TempDir } from './testing/fixtures.js';

/** container_samples as schema version 1 created it. */
const V1_SAMPLES = `CREATE TABLE container_samples (
  container_id VARCHAR NOT NULL, time_ns BIGINT NOT NULL, cpu_percent DOUBLE, cpu_throttled_ms DOUBLE,
  memory_bytes DOUBLE, memory_limit_bytes DOUBLE, net_rx_bytes DOUBLE, net_tx_bytes DOUBLE,
  blk_read_bytes DOUBLE, blk_write_bytes DOUBLE, pids DOUBLE
)`;

describe('schema version 1 -> 2 (docker/stats sample columns)', () => {
  let dir: TempDir;
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(async () => {
    await dir.remove();
  });

  it('adds the new sample columns to a version-1 file and keeps its rows', async () => {
    const path = join(dir.path, 'v1.duckdb');
    const instance = await DuckDBInstance.create(path);
    const conn = await instance.connect();
    await conn.run(`CREATE TABLE tracedock_meta (key VARCHAR NOT NULL, value VARCHAR NOT NULL)`);
    await conn.run(`INSERT INTO tracedock_meta VALUES ('schema_version', '1')`);
    await conn.run(V1_SAMPLES);
    await conn.run(`INSERT INTO container_samples VALUES ('c1', ${T0_NS}, 12.5, 0, 100, 200, 1, 2, 3, 4, 5)`);
    conn.closeSync();
    instance.closeSync();

    const store = new DuckDbStore({ path });
    await store.start();
    const newer = makeSample({ timeNs: T0_NS + 1n });
    expect(await store.writeSamples([newer])).toEqual({ ok: true, written: 1 });
    const rows = await store.containerSamples('c1', ALL_TIME);
    expect(rows[0]).toMatchObject({ cpuPercent: 12.5, pids: 5, cpuPeriods: null, memoryOomKills: null, ioPressureFullMs: null });
    expect(rows[1]).toEqual(newer);
    await store.shutdown();

    const reopened = await DuckDBInstance.create(path);
    const check = await reopened.connect();
    const version = await check.runAndReadAll(`SELECT value FROM tracedock_meta WHERE key = 'schema_version'`);
    expect(version.getRows()).toEqual([[String(SCHEMA_VERSION)]]);
    check.closeSync();
    reopened.closeSync();
  });
});
