/**
 * The checks the Go and Python client tests share: the parent/child trace a client sent (see
 * TwoSpanReport) and the log record inside each span come back from the query API as sent.
 */
import { expect } from 'vitest';
import { spanById, waitForLogs, waitForTrace } from './query-api.js';
import type { TwoSpanReport } from './reports.js';

export interface ExpectedLog {
  severityNumber: number;
  severityText: string;
  attributes: Record<string, unknown>;
}

/** What the client program sets, beyond the ids and times its report gives. */
export interface TwoSpanExpectation {
  service: string;
  parent: { name: string; attributes: Record<string, unknown> };
  child: { name: string; statusMessage: string; attributes: Record<string, unknown>; events: unknown[] };
  /** Matched (not equal) against each span's resource. */
  resource: Record<string, unknown>;
  logs: { parent: ExpectedLog; child: ExpectedLog };
}

export async function expectTwoSpanTraceAndLogs(baseUrl: string, sent: TwoSpanReport, expected: TwoSpanExpectation): Promise<void> {
  const trace = await waitForTrace(baseUrl, sent.traceId, [sent.spans.parent.spanId, sent.spans.child.spanId]);
  expect(trace.spans).toHaveLength(2);
  const parent = spanById(trace, sent.spans.parent.spanId);
  const child = spanById(trace, sent.spans.child.spanId);

  expect(parent).toMatchObject({
    traceId: sent.traceId,
    parentSpanId: null,
    service: expected.service,
    name: expected.parent.name,
    kind: 'SERVER',
    startNs: sent.spans.parent.startNs,
    endNs: sent.spans.parent.endNs,
    status: { code: 'UNSET' },
    events: [],
    links: [],
  });
  expect(parent.attributes).toEqual(expected.parent.attributes);
  expect(child).toMatchObject({
    traceId: sent.traceId,
    parentSpanId: sent.spans.parent.spanId,
    service: expected.service,
    name: expected.child.name,
    kind: 'CLIENT',
    startNs: sent.spans.child.startNs,
    endNs: sent.spans.child.endNs,
    status: { code: 'ERROR', message: expected.child.statusMessage },
  });
  expect(child.attributes).toEqual(expected.child.attributes);
  expect(child.events).toEqual(expected.child.events);
  for (const span of [parent, child]) {
    expect(span.resource).toMatchObject(expected.resource);
  }

  const logs = await waitForLogs(baseUrl, { traceId: sent.traceId }, sent.logs.length);
  expect(logs).toHaveLength(sent.logs.length);
  const bySpan = (spanId: string) => logs.find((l) => l.spanId === spanId);
  expect(bySpan(sent.spans.parent.spanId)).toMatchObject({
    traceId: sent.traceId,
    service: expected.service,
    body: sent.logs[0]?.body,
    ...expected.logs.parent,
  });
  expect(bySpan(sent.spans.child.spanId)).toMatchObject({
    traceId: sent.traceId,
    service: expected.service,
    body: sent.logs[1]?.body,
    ...expected.logs.child,
  });
}
