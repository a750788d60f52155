/**
 * The checks the Go and Python client tests share: the parent/child trace a client sent (see
 * TwoSpanReport) and the log records inside the spans come back from the query API as sent,
 * with what real clients add (tracestate, scope, a link, exception attributes), in order, and
 * findable by attribute.
 */
import { expect } from 'vitest';
import { searchTraces, spanById, waitForLogs, waitForTrace, type ApiLink, type ApiLog } from './query-api.js';
import type { TwoSpanReport } from './reports.js';

export interface ExpectedLog {
  severityNumber: number;
  severityText: string;
  /** Matched (not equal): a logging bridge adds its own (code.file.path...). */
  attributes: Record<string, unknown>;
  scope: { name: string };
}

/** What the client program sets, beyond the ids and times its report gives. */
export interface TwoSpanExpectation {
  service: string;
  /** The tracer's name and version, on both spans. */
  scope: { name: string; version: string };
  /** What the client's sampler wrote into the root's tracestate; the child inherits it. */
  traceState: string;
  parent: { name: string; attributes: Record<string, unknown> };
  child: { name: string; statusMessage: string; attributes: Record<string, unknown>; events: unknown[]; links: ApiLink[] };
  /** Matched (not equal) against each span's resource. */
  resource: Record<string, unknown>;
  /** One per record of the report's `logs`, in its order. */
  logs: ExpectedLog[];
  /** GET /api/traces queries (attr.KEY=VALUE...) that must find the trace, and ones that must not. */
  search: { finds: Record<string, string>[]; misses: Record<string, string>[] };
}

/** Oldest first; records of the same nanosecond in any order. */
function expectOldestFirst(logs: readonly ApiLog[], what: string): void {
  const times = logs.map((l) => BigInt(l.timeNs));
  const sorted = [...times].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  expect(times, `${what}: oldest first`).toEqual(sorted);
}

export async function expectTwoSpanTraceAndLogs(baseUrl: string, sent: TwoSpanReport, expected: TwoSpanExpectation): Promise<void> {
  const { parent: sentParent, child: sentChild } = sent.spans;
  const trace = await waitForTrace(baseUrl, sent.traceId, [sentParent.spanId, sentChild.spanId]);
  // The client exported the child before its parent: the detail still lists spans by start.
  expect(trace.spans.map((s) => s.spanId), 'spans by start, root first').toEqual([sentParent.spanId, sentChild.spanId]);
  const parent = spanById(trace, sentParent.spanId);
  const child = spanById(trace, sentChild.spanId);

  expect(parent).toMatchObject({
    traceId: sent.traceId,
    parentSpanId: null,
    service: expected.service,
    name: expected.parent.name,
    kind: 'SERVER',
    startNs: sentParent.startNs,
    endNs: sentParent.endNs,
    status: { code: 'UNSET' },
    events: [],
    links: [],
  });
  expect(parent.attributes).toEqual(expected.parent.attributes);
  expect(child).toMatchObject({
    traceId: sent.traceId,
    parentSpanId: sentParent.spanId,
    service: expected.service,
    name: expected.child.name,
    kind: 'CLIENT',
    startNs: sentChild.startNs,
    endNs: sentChild.endNs,
    status: { code: 'ERROR', message: expected.child.statusMessage },
  });
  expect(child.attributes).toEqual(expected.child.attributes);
  expect(child.events).toEqual(expected.child.events);
  expect(child.links, 'the child span link').toEqual(expected.child.links);
  for (const span of [parent, child]) {
    expect(span.resource).toMatchObject(expected.resource);
    expect(span.traceState, `${span.name}: tracestate`).toBe(expected.traceState);
    expect(span.scope, `${span.name}: instrumentation scope`).toEqual(expected.scope);
  }

  expect(sent.logs, 'the report lists a record per expected log').toHaveLength(expected.logs.length);
  const logs = await waitForLogs(baseUrl, { traceId: sent.traceId }, sent.logs.length);
  expect(logs).toHaveLength(sent.logs.length);
  // The trace detail, asked again now that every record is stored, lists them too.
  const detail = await waitForTrace(baseUrl, sent.traceId, [sentParent.spanId]);
  expect(detail.logs).toHaveLength(sent.logs.length);
  expectOldestFirst(detail.logs, `GET /api/traces/${sent.traceId} logs`);
  for (const [answer, list] of [['GET /api/logs', logs], ['trace detail logs', detail.logs]] as const) {
    sent.logs.forEach((log, i) => {
      const got = list.find((l) => l.body === log.body);
      expect(got, `${answer}: the record "${log.body}"`).toMatchObject({
        traceId: sent.traceId,
        spanId: log.spanId,
        service: expected.service,
        body: log.body,
        ...expected.logs[i],
      });
    });
  }

  for (const query of expected.search.finds) {
    const ids = (await searchTraces(baseUrl, query)).map((t) => t.traceId);
    expect(ids, `GET /api/traces?${new URLSearchParams(query).toString()} finds the trace`).toContain(sent.traceId);
  }
  for (const query of expected.search.misses) {
    const ids = (await searchTraces(baseUrl, query)).map((t) => t.traceId);
    expect(ids, `GET /api/traces?${new URLSearchParams(query).toString()} does not find the trace`).not.toContain(sent.traceId);
  }
}
