import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Attributes } from '../../model/rows.js';
import { DuckDbStore } from './DuckDbStore.js';
import {
  ALL_TIME, T0_NS, makeContainer, makeEvent, makeLog, makeSample, makeSpan, makeTempDir,
  ms, spanIdOf, traceIdOf,
} from './testing/fixtures.js';
import type { TempDir } from './testing/fixtures.js';

/** Every AttributeValue shape, with keys that would break a naive `$.key` JSON path. */
const EVERY_ATTRIBUTE: Attributes = {
  'http.method': 'GET',
  'empty': '',
  'unicode': 'ünïcödé ✓ 日本',
  'int': 42,
  'negative': -7,
  'double': 0.1,
  'tiny': 5e-324,
  'huge': 1.7976931348623157e308,
  'bool.true': true,
  'bool.false': false,
  'nothing': null,
  'int64.beyond.safe': '9007199254740993',
  'list': ['a', 1, 2.5, false, null, ['nested']],
  'kvlist': { inner: { deeper: 'x' }, n: 1 },
  'a/b~c': 'slash and tilde',
  'quote"key': 'q',
};

const SPAN = makeSpan({
  traceId: traceIdOf(0xabc),
  spanId: spanIdOf(0xdef),
  parentSpanId: spanIdOf(0x123),
  traceState: 'vendor=1',
  kind: 3,
  startNs: T0_NS,
  endNs: T0_NS + 987_654_321n,
  statusCode: 2,
  statusMessage: 'upstream failed',
  attributes: EVERY_ATTRIBUTE,
  events: [{ timeNs: T0_NS + 1n, name: 'exception', attributes: { 'exception.type': 'Error', n: 1 } }],
  links: [{ traceId: traceIdOf(7), spanId: spanIdOf(8), traceState: 'k=v', attributes: EVERY_ATTRIBUTE }],
  resource: { 'service.name': 'gateway', 'container.id': 'c'.repeat(64), 'process.pid': 1 },
  containerId: 'c'.repeat(64),
});
const ROOT = makeSpan({ traceId: traceIdOf(0xabc), spanId: spanIdOf(0x123), startNs: T0_NS - 1n });

async function roundTrip(store: DuckDbStore): Promise<void> {
  expect(await store.writeSpans([SPAN, ROOT])).toEqual({ ok: true, written: 2 });
  expect(await store.getTraceSpans(traceIdOf(0xabc))).toEqual([ROOT, SPAN]);

  const logs = [
    makeLog({ timeNs: T0_NS + 5n, traceId: traceIdOf(0xabc), spanId: spanIdOf(0xdef), attributes: EVERY_ATTRIBUTE, containerId: 'c1' }),
    makeLog({ timeNs: T0_NS + 4n, source: 'stdout', severityNumber: 0, severityText: '', body: '{"json":"body"}' }),
    makeLog({ timeNs: T0_NS + 3n, source: 'stderr', severityNumber: 24, severityText: 'FATAL4' }),
  ];
  expect(await store.writeLogs(logs)).toEqual({ ok: true, written: 3 });
  expect(await store.searchLogs({ ...ALL_TIME, limit: 10 })).toEqual(logs);

  const samples = [
    makeSample({ timeNs: T0_NS }),
    makeSample({ timeNs: T0_NS + 1n, cpuPercent: 199.987654321, memoryBytes: 2 ** 40 + 1 }),
    makeSample({
      timeNs: T0_NS + 2n, cpuPercent: null, cpuThrottledMs: null, memoryBytes: null,
      memoryLimitBytes: null, netRxBytes: null, netTxBytes: null, blkReadBytes: null,
      blkWriteBytes: null, pids: null, cpuPeriods: null, cpuThrottledPeriods: null, cpuLimitCores: null,
      memoryFailcnt: null, memoryOomKills: null, cpuPressureSomeMs: null, cpuPressureFullMs: null,
      memoryPressureSomeMs: null, memoryPressureFullMs: null, ioPressureSomeMs: null, ioPressureFullMs: null,
    }),
  ];
  expect(await store.writeSamples(samples)).toEqual({ ok: true, written: 3 });
  expect(await store.containerSamples({ host: '', id: 'c1' }, ALL_TIME)).toEqual(samples);

  const containers = [
    makeContainer(),
    makeContainer({
      id: 'c2', name: 'solo', service: null, project: null, startedAtNs: null, finishedAtNs: null,
      cpuLimit: null, memoryLimitBytes: null, labels: {}, restartCount: 3, state: 'created',
    }),
    makeContainer({ id: 'c3', name: 'stopped', state: 'exited', finishedAtNs: T0_NS + ms(5) }),
  ];
  expect(await store.upsertContainers(containers)).toEqual({ ok: true, written: 3 });
  expect(await store.getContainers([{ host: '', id: 'c1' }, { host: '', id: 'c2' }, { host: '', id: 'c3' }])).toEqual(
    [...containers].sort((a, b) => a.name.localeCompare(b.name)),
  );

  const events = [makeEvent(), makeEvent({ timeNs: T0_NS + 9n, action: 'die', attributes: { exitCode: '137' } })];
  expect(await store.writeContainerEvents(events)).toEqual({ ok: true, written: 2 });
  expect(await store.containerEvents({ host: '', id: 'c1' }, ALL_TIME)).toEqual(events);
}

describe('DuckDbStore round trip (every row type, every attribute type, exact ns)', () => {
  let dir: TempDir;
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(async () => {
    await dir.remove();
  });

  it('in memory', async () => {
    const store = new DuckDbStore({ path: ':memory:' });
    await store.start();
    await roundTrip(store);
    await store.shutdown();
  });

  it('in a file, in a folder it creates', async () => {
    const store = new DuckDbStore({ path: join(dir.path, 'nested', 'tracedock.duckdb') });
    await store.start();
    await roundTrip(store);
    await store.shutdown();
  });

  it('writes of nothing succeed without touching the database', async () => {
    const store = new DuckDbStore({ path: ':memory:' });
    await store.start();
    expect(await store.writeSpans([])).toEqual({ ok: true, written: 0 });
    expect(await store.stats()).toMatchObject({ spans: 0, logs: 0 });
    await store.shutdown();
  });
});
