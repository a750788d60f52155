import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dockerSince, parseDockerTimeNs } from './docker-time.js';
import { parseEventLine } from './event.js';
import { parseInspect } from './inspect.js';
import { parseContainerIds } from './list.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const ID = 'ad64291fa2294997a9c7dbeb799806ee192c48f31307cafe6a89b52cd4ddc71d';

describe('Docker times', () => {
  it('keeps nanoseconds, reads offsets, and maps the zero time to null', () => {
    expect(parseDockerTimeNs('2024-05-01T12:00:00.000000001Z')).toBe(1714564800000000001n);
    expect(parseDockerTimeNs('2026-11-25T20:31:29.55263708Z')).toBe(1795638689552637080n);
    expect(parseDockerTimeNs('2024-05-01T14:00:00+02:00')).toBe(1714564800000000000n);
    expect(parseDockerTimeNs('0001-01-01T00:00:00Z')).toBeNull();
    expect(parseDockerTimeNs('yesterday')).toBeNull();
  });

  it('writes `since` as seconds with a nine-digit fraction', () => {
    expect(dockerSince(1714564800000000001n)).toBe('1714564800.000000001');
    expect(dockerSince(1714564800123000000n)).toBe('1714564800.123000000');
  });
});

describe('parseInspect', () => {
  it('keeps the metadata of a recorded inspect payload (compose labels, --cpus 0.5, --memory 64m, host network)', () => {
    const parsed = parseInspect(JSON.parse(fixture('inspect-running.json')));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.meta).toMatchObject({
      name: 'td-fixture-inspect',
      image: 'tracedock/busybox:local',
      service: 'orders',
      project: 'demo',
      state: 'running',
      alive: true,
      pid: 28452,
      startedAtNs: 1795638689552637080n,
      finishedAtNs: null,
      restartCount: 0,
      cpuLimitCores: 0.5,
      memoryLimitBytes: 64 * 1024 * 1024,
      networkMode: 'host',
      sharesHostName: true,
      tty: false,
      logDriver: 'json-file',
    });
  });

  it('derives the CPU limit from CpuQuota / CpuPeriod and leaves unlimited as null', () => {
    const base = JSON.parse(fixture('inspect-running.json'));
    const quota = parseInspect({ ...base, HostConfig: { ...base.HostConfig, NanoCpus: 0, CpuQuota: 150_000, CpuPeriod: 100_000 } });
    expect(quota.ok && quota.meta.cpuLimitCores).toBe(1.5);
    const none = parseInspect({ ...base, HostConfig: { ...base.HostConfig, NanoCpus: 0, Memory: 0 } });
    expect(none.ok && [none.meta.cpuLimitCores, none.meta.memoryLimitBytes]).toEqual([null, null]);
  });

  it('refuses a payload of the wrong shape, naming the field', () => {
    const base = JSON.parse(fixture('inspect-running.json'));
    const parsed = parseInspect({ ...base, State: { ...base.State, Pid: 'x' } });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toContain('State.Pid');
    expect(parseInspect(null).ok).toBe(false);
  });
});

describe('parseEventLine', () => {
  it('reads a recorded OOM run: keeps create/start/health/oom/die, ignores exec_*', () => {
    const lines = fixture('events-oom.ndjson').trim().split('\n');
    const parsed = lines.map(parseEventLine);
    const kept = parsed.flatMap((p) => (p.kind === 'event' ? [p.event] : []));
    expect(kept.map((e) => e.action)).toEqual(['create', 'start', 'health_status', 'oom', 'oom', 'die']);
    expect(parsed.filter((p) => p.kind === 'ignored')).toHaveLength(6);
    expect(kept.every((e) => e.containerId === ID)).toBe(true);
    expect(kept[2]?.attributes).toMatchObject({ status: 'healthy', name: 'td-fixture-oom' });
    expect(kept[5]?.attributes).toMatchObject({ exitCode: '137' });
    // timeNano exceeds 2^53: the digits come from the text, not the JSON number.
    expect(kept[5]?.timeNs).toBe(1795638695831844933n);
    expect(Object.keys(kept[0]?.attributes ?? {})).not.toContain('tracedock.mine');
  });

  it('marks malformed lines invalid and other types ignored', () => {
    expect(parseEventLine('{').kind).toBe('invalid');
    expect(parseEventLine('{"Type":"container","Action":"start"}').kind).toBe('invalid');
    const network = { Type: 'network', Action: 'connect', Actor: { ID: 'x', Attributes: {} }, time: 1 };
    expect(parseEventLine(JSON.stringify(network)).kind).toBe('ignored');
    const badId = { Type: 'container', Action: 'start', Actor: { ID: 'abc' }, time: 1 };
    expect(parseEventLine(JSON.stringify(badId)).kind).toBe('invalid');
  });
});

describe('parseContainerIds', () => {
  it('takes the ids of a list payload and refuses anything else', () => {
    expect(parseContainerIds([{ Id: ID, Names: ['/x'] }])).toEqual({ ok: true, ids: [ID] });
    expect(parseContainerIds({ message: 'oops' }).ok).toBe(false);
    expect(parseContainerIds([{ Id: 'short' }]).ok).toBe(false);
  });
});
