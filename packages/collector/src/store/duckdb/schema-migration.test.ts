import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbStore } from './DuckDbStore.js';
import { SCHEMA_VERSION } from './schema.js';
import { ALL_TIME, makeContainer, makeMetricPoint, makeSample, makeSpan, makeTempDir, T0_NS, type TempDir } from './testing/fixtures.js';

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
    const rows = await store.containerSamples({ host: '', id: 'c1' }, ALL_TIME);
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

/** spans as schema version 2 (and 3) create it; version 2 had no span_traces. */
const V2_SPANS = `CREATE TABLE spans (
  trace_id VARCHAR NOT NULL, span_id VARCHAR NOT NULL, parent_span_id VARCHAR, trace_state VARCHAR NOT NULL,
  service VARCHAR NOT NULL, name VARCHAR NOT NULL, kind TINYINT NOT NULL, start_ns BIGINT NOT NULL,
  end_ns BIGINT NOT NULL, duration_ns BIGINT NOT NULL, status_code TINYINT NOT NULL, status_message VARCHAR NOT NULL,
  attributes VARCHAR NOT NULL, events VARCHAR NOT NULL, links VARCHAR NOT NULL, resource VARCHAR NOT NULL,
  scope_name VARCHAR NOT NULL, scope_version VARCHAR NOT NULL, container_id VARCHAR
)`;

describe('schema version 2 -> 3 (span_traces and span_minutes, side tables of spans)', () => {
  let dir: TempDir;
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(async () => {
    await dir.remove();
  });

  it('fills span_traces from the spans of a version-2 file, so lookups by id find them', async () => {
    const path = join(dir.path, 'v2.duckdb');
    const instance = await DuckDBInstance.create(path);
    const conn = await instance.connect();
    await conn.run(`CREATE TABLE tracedock_meta (key VARCHAR NOT NULL, value VARCHAR NOT NULL)`);
    await conn.run(`INSERT INTO tracedock_meta VALUES ('schema_version', '2')`);
    await conn.run(V2_SPANS);
    const row = (trace: string, span: string, startNs: bigint) =>
      `('${trace}', '${span}', NULL, '', 'gateway', 'GET /', 2, ${startNs}, ${startNs + 10n}, 10, 0, '', '{}', '[]', '[]', '{}', 's', '1', NULL)`;
    const trace = 'ab'.repeat(16);
    await conn.run(`INSERT INTO spans VALUES ${row(trace, '01'.repeat(8), T0_NS)}, ${row(trace, '02'.repeat(8), T0_NS + 5_000_000_000n)}, ${row('Odd', '03'.repeat(8), T0_NS)}`);
    conn.closeSync();
    instance.closeSync();

    const store = new DuckDbStore({ path });
    await store.start();
    expect((await store.getTraceSpans(trace)).map((s) => s.spanId)).toEqual(['01'.repeat(8), '02'.repeat(8)]);
    expect(await store.getTraceSpans('Odd')).toHaveLength(1);
    expect(await store.searchTraces({ ...ALL_TIME, limit: 5 })).toMatchObject([{ traceId: 'Odd' }, { traceId: trace, spanCount: 2 }]); // same start: by id
    await store.shutdown();

    const reopened = await DuckDBInstance.create(path);
    const check = await reopened.connect();
    const version = await check.runAndReadAll(`SELECT value FROM tracedock_meta WHERE key = 'schema_version'`);
    expect(version.getRows()).toEqual([[String(SCHEMA_VERSION)]]);
    const ranges = await check.runAndReadAll(`SELECT trace_key, min_start_ns, max_start_ns FROM span_traces`);
    expect(ranges.getRows()).toEqual([[BigInt(`0x${'ab'.repeat(8)}`), T0_NS, T0_NS + 5_000_000_000n]]);
    const minutes = await check.runAndReadAll(`SELECT sum(spans)::INTEGER, sum(list_sum(counts))::INTEGER FROM span_minutes`);
    expect(minutes.getRows()).toEqual([[3, 3]]);
    check.closeSync();
    reopened.closeSync();
  });
});

describe('schema version 3 -> 4 (metric_points)', () => {
  let dir: TempDir;
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(async () => {
    await dir.remove();
  });

  it('adds metric_points to a version-3 file and keeps its spans', async () => {
    const path = join(dir.path, 'v3.duckdb');
    // Version 3 is version 4 without metric_points: make a current file, then take version 4 back out.
    const v3 = new DuckDbStore({ path, edgeRollup: false });
    await v3.start();
    const span = makeSpan();
    expect(await v3.writeSpans([span])).toEqual({ ok: true, written: 1 });
    await v3.shutdown();
    const instance = await DuckDBInstance.create(path);
    const conn = await instance.connect();
    await conn.run('DROP TABLE metric_points');
    await conn.run(`UPDATE tracedock_meta SET value = '3' WHERE key = 'schema_version'`);
    conn.closeSync();
    instance.closeSync();

    const store = new DuckDbStore({ path, edgeRollup: false });
    await store.start();
    expect(await store.getTraceSpans(span.traceId)).toEqual([span]);
    const point = makeMetricPoint();
    expect(await store.writeMetricPoints([point])).toEqual({ ok: true, written: 1 });
    expect(await store.metricPoints({ ...ALL_TIME, name: point.name, limit: 10 })).toEqual([point]);
    await store.shutdown();

    const reopened = await DuckDBInstance.create(path);
    const check = await reopened.connect();
    const version = await check.runAndReadAll(`SELECT value FROM tracedock_meta WHERE key = 'schema_version'`);
    expect(version.getRows()).toEqual([[String(SCHEMA_VERSION)]]);
    const columns = await check.runAndReadAll(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'metric_points' ORDER BY ordinal_position`,
    );
    expect(columns.getRows().slice(0, 3)).toEqual([['time_ns', 'BIGINT'], ['start_time_ns', 'BIGINT'], ['service', 'VARCHAR']]);
    expect(columns.getRows()).toHaveLength(22);
    check.closeSync();
    reopened.closeSync();
  });

  it('refuses a file of a newer version rather than misread it', async () => {
    const path = join(dir.path, 'v5.duckdb');
    const instance = await DuckDBInstance.create(path);
    const conn = await instance.connect();
    await conn.run(`CREATE TABLE tracedock_meta (key VARCHAR NOT NULL, value VARCHAR NOT NULL)`);
    await conn.run(`INSERT INTO tracedock_meta VALUES ('schema_version', '${SCHEMA_VERSION + 1}')`);
    conn.closeSync();
    instance.closeSync();
    const store = new DuckDbStore({ path, edgeRollup: false });
    await expect(store.start()).rejects.toThrow(/cannot open/);
    await store.shutdown();
  });
});

describe('schema version 4 -> 5 (the Docker host of each container)', () => {
  let dir: TempDir;
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(async () => {
    await dir.remove();
  });

  it('adds containers.host to a version-4 file: old containers read with no host, new ones with theirs', async () => {
    const path = join(dir.path, 'v4.duckdb');
    // Version 4 is version 5 without containers.host: make a current file, then take it back out.
    const v4 = new DuckDbStore({ path, edgeRollup: false });
    await v4.start();
    expect(await v4.upsertContainers([makeContainer({ id: 'old' })])).toEqual({ ok: true, written: 1 });
    await v4.shutdown();
    const instance = await DuckDBInstance.create(path);
    const conn = await instance.connect();
    await conn.run('ALTER TABLE containers DROP COLUMN host');
    await conn.run(`UPDATE tracedock_meta SET value = '4' WHERE key = 'schema_version'`);
    conn.closeSync();
    instance.closeSync();

    const store = new DuckDbStore({ path, edgeRollup: false });
    await store.start();
    expect(await store.upsertContainers([makeContainer({ id: 'new', host: 'edge-7' })])).toEqual({ ok: true, written: 1 });
    expect((await store.getContainers([{ host: '', id: 'old' }, { host: '', id: 'new' }])).map((c) => [c.id, c.host]).sort()).toEqual([['new', 'edge-7'], ['old', '']]);
    await store.shutdown();

    const reopened = await DuckDBInstance.create(path);
    const check = await reopened.connect();
    const version = await check.runAndReadAll(`SELECT value FROM tracedock_meta WHERE key = 'schema_version'`);
    expect(version.getRows()).toEqual([[String(SCHEMA_VERSION)]]);
    expect(SCHEMA_VERSION).toBe(5);
    check.closeSync();
    reopened.closeSync();
  });
});
