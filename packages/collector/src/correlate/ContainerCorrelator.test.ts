import { describe, expect, it } from 'vitest';
import { ContainerRegistry } from '../docker/discovery/ContainerRegistry.js';
import { deadMeta, testMeta } from '../docker/testing/meta.js';
import type { Attributes, LogRow, SpanRow } from '../model/rows.js';
import { ContainerCorrelator } from './ContainerCorrelator.js';
import { LIFETIME_SLACK_NS } from './resolve.js';

const S = 1_000_000_000n;

function span(resource: Attributes, startNs: bigint, containerId: string | null = null): SpanRow {
  return {
    traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', parentSpanId: null, traceState: '',
    service: typeof resource['service.name'] === 'string' ? resource['service.name'] : 'unknown_service',
    name: 'GET /', kind: 2, startNs, endNs: startNs + 1n, statusCode: 0, statusMessage: '', attributes: {}, events: [],
    links: [], resource, scopeName: '', scopeVersion: '', containerId,
  };
}

function log(resource: Attributes, timeNs: bigint, containerId: string | null = null): LogRow {
  return {
    timeNs, observedTimeNs: timeNs, traceId: null, spanId: null, severityNumber: 9, severityText: 'INFO', body: 'x',
    attributes: {}, resource, service: 'svc', scopeName: '', source: 'otlp', containerId,
  };
}

function setup(): { registry: ContainerRegistry; correlator: ContainerCorrelator; at: (resource: Attributes, timeNs?: bigint) => string | null } {
  const registry = new ContainerRegistry({ maxContainers: 100 });
  const correlator = new ContainerCorrelator(registry);
  const at = (resource: Attributes, timeNs = 50n * S): string | null => correlator.spans([span(resource, timeNs)])[0]?.containerId ?? null;
  return { registry, correlator, at };
}

describe('rule 1: container.id', () => {
  it('takes a full id as is, known or not, in any case', () => {
    const { registry, at } = setup();
    const known = testMeta('a');
    registry.upsert(known, 1n);
    expect(at({ 'container.id': known.id })).toBe(known.id);
    expect(at({ 'container.id': known.id.toUpperCase() })).toBe(known.id);
    expect(at({ 'container.id': 'f'.repeat(64) })).toBe('f'.repeat(64));
  });

  it('resolves a 12+ digit prefix only when exactly one known container has it', () => {
    const { registry, at } = setup();
    const a = testMeta('x', { id: `abcdef012345${'1'.repeat(52)}` });
    const b = testMeta('x', { id: `abcdef012345${'2'.repeat(52)}` });
    registry.upsert(a, 1n);
    expect(at({ 'container.id': 'abcdef012345' })).toBe(a.id);
    registry.upsert(b, 1n);
    expect(at({ 'container.id': 'abcdef012345' })).toBeNull();
    expect(at({ 'container.id': `abcdef012345${'2'.repeat(4)}` })).toBe(b.id);
    expect(at({ 'container.id': '999999999999' })).toBeNull();
  });

  it('decides alone: an unresolved prefix gives null even when hostname or service would match', () => {
    const { registry, at } = setup();
    registry.upsert(testMeta('a', { service: 'orders' }), 1n);
    expect(at({ 'container.id': 'bbbbbbbbbbbb', 'service.name': 'orders' })).toBeNull();
  });

  it('treats a value that is no hex id as missing (the other rules apply)', () => {
    const { registry, at } = setup();
    const a = testMeta('a', { service: 'orders' });
    registry.upsert(a, 1n);
    expect(at({ 'container.id': 'pod-1234', 'service.name': 'orders' })).toBe(a.id);
    expect(at({ 'container.id': 'abc', 'service.name': 'orders' })).toBe(a.id);
  });
});

describe('rule 2: host.name', () => {
  it('joins the container with that hostname (Docker default: the short id)', () => {
    const { registry, at } = setup();
    const a = testMeta('a');
    registry.upsert(a, 1n);
    expect(at({ 'host.name': a.id.slice(0, 12) })).toBe(a.id);
  });

  it('never joins by a hostname shared with the host (network_mode host, uts host)', () => {
    const { registry, at } = setup();
    registry.upsert(testMeta('a', { hostname: 'vm', sharesHostName: true }), 1n);
    expect(at({ 'host.name': 'vm' })).toBeNull();
  });

  it('gives null when two containers with that hostname were alive then, without trying the service', () => {
    const { registry, at } = setup();
    registry.upsert(testMeta('a', { hostname: 'api', service: 'api' }), 1n);
    registry.upsert(testMeta('b', { hostname: 'api' }), 1n);
    expect(at({ 'host.name': 'api', 'service.name': 'api' })).toBeNull();
  });

  it('picks by time among containers that had the hostname one after the other', () => {
    const { registry, at } = setup();
    const old = deadMeta('a', 10n * S, 20n * S, { hostname: 'api' });
    const next = testMeta('b', { hostname: 'api', startedAtNs: 30n * S });
    registry.upsert(old, 1n);
    registry.upsert(next, 1n);
    expect(at({ 'host.name': 'api' }, 15n * S)).toBe(old.id);
    expect(at({ 'host.name': 'api' }, 40n * S)).toBe(next.id);
    expect(at({ 'host.name': 'api' }, 25n * S)).toBeNull();
  });
});

describe('rule 3: Compose service', () => {
  it('joins the one container of the service running at the record time', () => {
    const { registry, at } = setup();
    const a = testMeta('a', { service: 'orders', hostname: 'vm', sharesHostName: true });
    registry.upsert(a, 1n);
    expect(at({ 'service.name': 'orders', 'host.name': 'vm' })).toBe(a.id);
    expect(at({ 'service.name': 'inventory' })).toBeNull();
  });

  it('gives null with two replicas running, and picks the one alive when they did not overlap', () => {
    const { registry, at } = setup();
    const first = deadMeta('a', 10n * S, 20n * S, { service: 'orders' });
    const second = testMeta('b', { service: 'orders', startedAtNs: 30n * S });
    registry.upsert(first, 1n);
    registry.upsert(second, 1n);
    expect(at({ 'service.name': 'orders' }, 15n * S)).toBe(first.id);
    expect(at({ 'service.name': 'orders' }, 35n * S)).toBe(second.id);
    registry.upsert(testMeta('c', { service: 'orders', startedAtNs: 31n * S }), 1n);
    expect(at({ 'service.name': 'orders' }, 35n * S)).toBeNull();
  });

  it('counts a container alive a second around its start and finish, not beyond', () => {
    const { registry, at } = setup();
    const a = deadMeta('a', 10n * S, 20n * S, { service: 'orders' });
    registry.upsert(a, 1n);
    expect(at({ 'service.name': 'orders' }, 10n * S - LIFETIME_SLACK_NS)).toBe(a.id);
    expect(at({ 'service.name': 'orders' }, 10n * S - LIFETIME_SLACK_NS - 1n)).toBeNull();
    expect(at({ 'service.name': 'orders' }, 20n * S + LIFETIME_SLACK_NS + 1n)).toBeNull();
  });

  it('keeps a restarted container\'s whole life (Docker moves StartedAt on restart)', () => {
    const { registry, at } = setup();
    const a = testMeta('a', { service: 'orders', startedAtNs: 10n * S });
    registry.upsert(a, 1n);
    registry.upsert({ ...a, startedAtNs: 40n * S, restartCount: 1 }, 2n);
    expect(at({ 'service.name': 'orders' }, 20n * S)).toBe(a.id);
  });

  it('joins a removed container for its lifetime; a never-started one never', () => {
    const { registry, at } = setup();
    const a = testMeta('a', { service: 'orders', startedAtNs: 10n * S });
    registry.upsert(a, 1n);
    registry.markRemoved(a.id, 20n * S);
    expect(at({ 'service.name': 'orders' }, 15n * S)).toBe(a.id);
    expect(at({ 'service.name': 'orders' }, 60n * S)).toBeNull();
    registry.upsert(testMeta('b', { service: 'web', state: 'created', alive: false, startedAtNs: null }), 1n);
    expect(at({ 'service.name': 'web' })).toBeNull();
  });
});

describe('ContainerCorrelator', () => {
  it('returns the same rows, leaves rows that already have a container, and uses each log\'s time', () => {
    const { registry, correlator } = setup();
    const a = deadMeta('a', 10n * S, 20n * S, { service: 'orders' });
    registry.upsert(a, 1n);
    const resource = { 'service.name': 'orders' };
    const rows = [log(resource, 15n * S), log(resource, 50n * S), log(resource, 15n * S, 'c'.repeat(64))];
    const out = correlator.logs(rows);
    expect(out).toBe(rows);
    expect(out.map((r) => r.containerId)).toEqual([a.id, null, 'c'.repeat(64)]);
  });

  it('resolves a resource shared by many rows once per batch', () => {
    let lookups = 0;
    const registry = new ContainerRegistry({ maxContainers: 10 });
    const a = testMeta('a', { service: 'orders' });
    registry.upsert(a, 1n);
    const counting = {
      byIdPrefix: (p: string) => registry.byIdPrefix(p),
      byHostname: (h: string) => registry.byHostname(h),
      byComposeService: (s: string) => {
        lookups += 1;
        return registry.byComposeService(s);
      },
    };
    const resource = { 'service.name': 'orders' };
    const rows = Array.from({ length: 1000 }, (_, i) => span(resource, BigInt(i) * S));
    new ContainerCorrelator(counting).spans(rows);
    expect(lookups).toBe(1);
    expect(rows.every((r) => r.containerId === a.id)).toBe(true);
  });

  it('gives null for a resource with nothing to join on', () => {
    const { at } = setup();
    expect(at({})).toBeNull();
    expect(at({ 'service.name': 42 })).toBeNull();
  });
});
