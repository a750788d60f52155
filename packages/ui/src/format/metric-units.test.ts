import { describe, expect, it } from 'vitest';
import { formatMetricValue, unitName } from './metric-units.js';

describe('metric units', () => {
  it('formats values in their UCUM unit', () => {
    expect(formatMetricValue('s')(0.0125)).toBe('12.5 ms');
    expect(formatMetricValue('ms')(1500)).toBe('1.50 s');
    expect(formatMetricValue('By')(3 * 1024 * 1024)).toBe('3 MiB');
    expect(formatMetricValue('MiBy')(2)).toBe('2 MiB');
    expect(formatMetricValue('1')(0.25)).toBe('25 %');
    expect(formatMetricValue('{request}')(12_345)).toBe('12.3K request');
    expect(formatMetricValue('')(0.5)).toBe('0.5');
    expect(formatMetricValue('m/s')(3)).toBe('3 m/s');
  });

  it('says per second for rates, and time per second for durations', () => {
    expect(formatMetricValue('s', true)(0.03)).toBe('30 ms/s');
    expect(formatMetricValue('By', true)(2048)).toBe('2 KiB/s');
    expect(formatMetricValue('{request}', true)(4)).toBe('4 request/s');
  });

  it('names units in words', () => {
    expect(unitName('By')).toBe('bytes');
    expect(unitName('{request}')).toBe('request');
    expect(unitName('1')).toBe('ratio (shown as %)');
    expect(unitName('furlong')).toBe('furlong');
  });
});
