import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, loadConfig } from './config.js';

const MIB = 1024 * 1024;

describe('loadConfig: queue bounds and store writes', () => {
  it('has a bounded default for the queue bytes', () => {
    const config = loadConfig({}, {});
    expect(config.queueMaxBytes).toBe(DEFAULT_CONFIG.queueMaxBytes);
    expect(config.queueMaxBytes).toBeLessThanOrEqual(128 * MIB);
    expect(config.storeWritesInFlight).toBe(DEFAULT_CONFIG.storeWritesInFlight);
  });

  it('takes options over env over defaults', () => {
    const env = {
      TRACEDOCK_QUEUE_MAX_BYTES: String(32 * MIB),
      TRACEDOCK_STORE_WRITES_IN_FLIGHT: '2',
    };
    expect(loadConfig({}, env)).toMatchObject({
      queueMaxBytes: 32 * MIB,
      storeWritesInFlight: 2,
    });
    expect(loadConfig({ queueMaxBytes: 48 * MIB, storeWritesInFlight: 1 }, env)).toMatchObject({
      queueMaxBytes: 48 * MIB,
      storeWritesInFlight: 1,
    });
  });

  it('names the option and value it refuses', () => {
    expect(() => loadConfig({}, { TRACEDOCK_STORE_WRITES_IN_FLIGHT: '9' })).toThrow(/TRACEDOCK_STORE_WRITES_IN_FLIGHT must be an integer from 1 to 4, got "9"/);
    expect(() => loadConfig({ queueMaxBytes: 1000 }, {})).toThrow(/option queueMaxBytes must be an integer from 1048576/);
  });

  it('refuses a queue byte bound too small for the largest request', () => {
    expect(() => loadConfig({ queueMaxBytes: 8 * MIB, maxBodyBytes: 8 * MIB }, {})).toThrow(
      /option queueMaxBytes must be at least twice maxBodyBytes \(16777216\), got 8388608/,
    );
    expect(loadConfig({ queueMaxBytes: 8 * MIB, maxBodyBytes: 4 * MIB }, {}).queueMaxBytes).toBe(8 * MIB);
  });
});
