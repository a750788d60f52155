import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { parseStoreSetting } from './store-setting.js';

describe('the store setting', () => {
  it('is duckdb by default', () => {
    expect(loadConfig({}, {}).store).toBe('duckdb');
    expect(parseStoreSetting('duckdb')).toEqual({ kind: 'duckdb' });
  });

  it('reads a ClickHouse URL: credentials, host, port and database, with defaults', () => {
    expect(parseStoreSetting('clickhouse://writer:s3cret@clickhouse:9000/telemetry')).toEqual({
      kind: 'clickhouse',
      url: 'http://writer:s3cret@clickhouse:9000',
      database: 'telemetry',
      shown: 'clickhouse://writer:***@clickhouse:9000/telemetry',
    });
    expect(parseStoreSetting('clickhouse://127.0.0.1')).toMatchObject({ url: 'http://127.0.0.1:8123', database: 'tracedock' });
    expect(parseStoreSetting('clickhouse://ch.example?secure=true')).toMatchObject({ url: 'https://ch.example:8443', shown: 'clickhouse://ch.example:8443/tracedock?secure=true' });
  });

  it('refuses what it cannot use, naming the setting and never echoing a password', () => {
    expect(() => loadConfig({}, { TRACEDOCK_STORE: 'postgres://db' })).toThrow(/TRACEDOCK_STORE: unknown store; expected duckdb or clickhouse:\/\//);
    expect(() => loadConfig({ store: 'clickhouse://u:hunter2hunter2@h/bad-name' }, {})).toThrow(/option store: the database must be letters, digits and _/);
    expect(() => loadConfig({ store: 'clickhouse://u:hunter2hunter2@h/bad-name' }, {})).not.toThrow(/hunter2/);
    expect(() => parseStoreSetting('clickhouse://h?compress=1')).toThrow(/unknown parameter compress/);
    expect(() => parseStoreSetting('clickhouse://h?secure=yes')).toThrow(/secure must be true or false/);
    expect(() => parseStoreSetting('clickhouse://')).toThrow(/not a URL|no host/);
  });
});
