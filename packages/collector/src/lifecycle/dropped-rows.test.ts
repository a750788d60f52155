import { describe, expect, it } from 'vitest';
import { captureLogger } from '../../test/support/logger.js';
import { MetricsRegistry } from '../telemetry/metrics.js';
import { Notices } from '../telemetry/notices.js';
import { DroppedRows } from './dropped-rows.js';

describe('DroppedRows', () => {
  it('counts every dropped row in its series and logs the first drop of each kind', () => {
    const metrics = new MetricsRegistry();
    metrics.counter('test_rows_dropped_total', 'Rows not stored.', { table: 'events' });
    const { logger, lines } = captureLogger();
    const drops = new DroppedRows({ metrics, metric: 'test_rows_dropped_total', notices: new Notices(logger) });
    drops.count(3, { table: 'events' }, 'store_error', new Error('broken'));
    drops.count(2, { table: 'events' }, 'store_error', new Error('broken'));
    drops.count(1, { table: 'events' }, 'buffer_full', undefined);
    drops.count(0, { table: 'samples' }, 'buffer_full', undefined);
    expect(metrics.value('test_rows_dropped_total', { table: 'events' })).toBe(6);
    expect(lines().map((l) => [l.table, l.reason, l.rows, l.level])).toEqual([
      ['events', 'store_error', 3, 50],
      ['events', 'buffer_full', 1, 50],
    ]);
    expect(lines()[0]?.msg).toContain('test_rows_dropped_total');
  });
});
