/**
 * OTLP/JSON metrics as the spec writes them and as other senders bend them: 64-bit values as
 * strings or (big) numbers, enum names or numbers, "NaN"/"Infinity" doubles; every wrong shape
 * refused by path, and unusable points rejected with the same messages as OTLP/protobuf.
 */
import { describe, expect, it } from 'vitest';
import { jsonDecoder } from './json.js';

const T = '1760000000123456789';

function body(value: unknown): Uint8Array {
  return new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
}

function request(metrics: unknown[]): Uint8Array {
  return body({
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'billing' } }] },
        scopeMetrics: [{ scope: { name: 'billing-meter', version: '0.1.0' }, metrics }],
      },
    ],
  });
}

function rowsOf(requestBody: Uint8Array) {
  const decoded = jsonDecoder.metrics(requestBody);
  if (!decoded.ok) throw new Error(decoded.message);
  expect(decoded.rejected).toBe(0);
  return decoded.rows;
}

function refusal(metrics: unknown[]): string {
  const decoded = jsonDecoder.metrics(request(metrics));
  if (decoded.ok) throw new Error('expected the request to be refused');
  return decoded.message.replace('invalid OTLP/JSON ExportMetricsServiceRequest: ', '');
}

describe('OTLP/JSON metrics', () => {
  it('decodes every metric type with strings, big numbers and enum names', () => {
    // A bare number beyond 2^53 for a time: parsed exactly (json-parse.ts).
    const exemplars = [{ timeUnixNano: T, asDouble: 2, filteredAttributes: [], spanId: 'eee19b7ec3c1b174' }];
    const rows = rowsOf(
      body(
        `{"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"billing"}}]},"scopeMetrics":[{"scope":{"name":"billing-meter","version":"0.1.0"},"metrics":[` +
          JSON.stringify({
            name: 'balance',
            unit: 'EUR',
            description: 'account balance',
            sum: { aggregationTemporality: 'AGGREGATION_TEMPORALITY_CUMULATIVE', isMonotonic: false, dataPoints: [{ asInt: '-5', startTimeUnixNano: '1', flags: 1, exemplars, attributes: [{ key: 'tier', value: { stringValue: 'gold' } }] }] },
          }).replace('"startTimeUnixNano"', `"timeUnixNano":${T},"startTimeUnixNano"`) +
          ']}]}]}',
      ),
    );
    expect(rows).toEqual([
      {
        timeNs: 1_760_000_000_123_456_789n,
        startTimeNs: 1n,
        service: 'billing',
        name: 'balance',
        description: 'account balance',
        unit: 'EUR',
        type: 'sum',
        temporality: 'cumulative',
        monotonic: false,
        value: -5,
        valueIsInt: true,
        count: null,
        sum: null,
        min: null,
        max: null,
        distribution: null,
        flags: 1,
        attributes: { tier: 'gold' },
        resource: { 'service.name': 'billing' },
        scopeName: 'billing-meter',
        scopeVersion: '0.1.0',
        containerId: null,
      },
    ]);

    const more = rowsOf(
      request([
        { name: 'ratio', gauge: { dataPoints: [{ timeUnixNano: T, asDouble: 'NaN' }, { timeUnixNano: T, asDouble: '-Infinity' }, { timeUnixNano: T, asDouble: 0.25 }] } },
        {
          name: 'latency',
          histogram: {
            aggregationTemporality: 1,
            dataPoints: [{ timeUnixNano: T, count: '7', sum: 12.5, min: 0.5, max: '9', bucketCounts: ['1', 2, '4'], explicitBounds: [1, '10'], exemplars }],
          },
        },
        {
          name: 'size',
          exponentialHistogram: {
            aggregationTemporality: 'AGGREGATION_TEMPORALITY_DELTA',
            dataPoints: [
              {
                timeUnixNano: T,
                count: '1099511627785',
                scale: -2,
                zeroCount: '3',
                zeroThreshold: 1e-9,
                positive: { offset: -3, bucketCounts: ['1099511627777', 4] },
                negative: { offset: '5', bucketCounts: [2] },
              },
            ],
          },
        },
        { name: 'rpc', summary: { dataPoints: [{ timeUnixNano: T, count: 12, sum: 340.5, quantileValues: [{ value: 1.5 }, { quantile: 1, value: 95.25 }] }] } },
      ]),
    );
    expect(more.map((row) => [row.name, row.type, row.value, row.temporality])).toEqual([
      ['ratio', 'gauge', Number.NaN, 'unspecified'],
      ['ratio', 'gauge', Number.NEGATIVE_INFINITY, 'unspecified'],
      ['ratio', 'gauge', 0.25, 'unspecified'],
      ['latency', 'histogram', null, 'delta'],
      ['size', 'exponential_histogram', null, 'delta'],
      ['rpc', 'summary', null, 'unspecified'],
    ]);
    expect(more[3]).toMatchObject({ count: 7, sum: 12.5, min: 0.5, max: 9, distribution: { kind: 'explicit', bounds: [1, 10], counts: [1, 2, 4] } });
    expect(more[4]).toMatchObject({
      count: 1_099_511_627_785,
      sum: null,
      min: null,
      max: null,
      distribution: { kind: 'exponential', scale: -2, zeroCount: 3, zeroThreshold: 1e-9, positive: { offset: -3, counts: [1_099_511_627_777, 4] }, negative: { offset: 5, counts: [2] } },
    });
    expect(more[5]).toMatchObject({ count: 12, sum: 340.5, distribution: { kind: 'quantiles', quantiles: [{ quantile: 0, value: 1.5 }, { quantile: 1, value: 95.25 }] } });
  });

  it('rejects nameless metrics and points without a time, as protobuf does', () => {
    const decoded = jsonDecoder.metrics(
      request([
        { name: 'ok', gauge: { dataPoints: [{ timeUnixNano: T, asDouble: 1 }, { asDouble: 2 }, { timeUnixNano: '0', asDouble: 3 }] } },
        { sum: { dataPoints: [{ timeUnixNano: T, asInt: 1 }] } },
        { name: 'h', histogram: { dataPoints: [{ timeUnixNano: T, bucketCounts: [1, 2], explicitBounds: [1, 2] }] } },
        { name: 'no data' },
      ]),
    );
    expect(decoded).toMatchObject({
      ok: true,
      rejected: 4,
      rejectMessage: '4 data points rejected: resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints[1]: timeUnixNano is 0 (a data point must say when it was recorded)',
    });
    if (decoded.ok) expect(decoded.rows.map((row) => row.value)).toEqual([1]);
    expect(jsonDecoder.metrics(request([{ sum: { dataPoints: [{ timeUnixNano: T, asInt: 1 }] } }]))).toMatchObject({
      rejected: 1,
      rejectMessage: '1 data point rejected: resourceMetrics[0].scopeMetrics[0].metrics[0]: the metric has no name',
    });
  });

  it('refuses wrong shapes with their path', () => {
    const at = 'resourceMetrics[0].scopeMetrics[0].metrics[0]';
    expect(refusal([{ name: 'm', sum: { dataPoints: [1] } }])).toBe(`${at}.sum.dataPoints[0]: data point must be an object, got number 1`);
    expect(refusal([{ name: 'm', sum: { isMonotonic: 'yes' } }])).toBe(`${at}.sum: isMonotonic must be a boolean, got string`);
    expect(refusal([{ name: 'm', sum: { aggregationTemporality: 'WEEKLY' } }])).toBe(`${at}.sum: aggregationTemporality must be an enum number or name, got "WEEKLY"`);
    expect(refusal([{ name: 'm', gauge: {}, sum: {} }])).toBe(`${at}: a Metric has one of gauge, sum, histogram, exponentialHistogram, summary, not several`);
    expect(refusal([{ name: 'm', gauge: { dataPoints: [{ asInt: 1, asDouble: 1 }] } }])).toBe(`${at}.gauge.dataPoints[0]: a NumberDataPoint has one of asDouble and asInt, not both`);
    expect(refusal([{ name: 'm', gauge: { dataPoints: [{ asInt: 1.5 }] } }])).toMatch(/gauge\.dataPoints\[0\]: asInt must be a 64-bit integer/);
    expect(refusal([{ name: 'm', gauge: { dataPoints: [{ flags: -1 }] } }])).toMatch(/dataPoints\[0\]: flags is out of the uint32 range: -1/);
    expect(refusal([{ name: 'm', gauge: { dataPoints: [{ exemplars: [1] }] } }])).toBe(`${at}.gauge.dataPoints[0]: exemplars[0] must be an object, got number 1`);
    expect(refusal([{ name: 'm', histogram: { dataPoints: [{ bucketCounts: ['x'] }] } }])).toMatch(/histogram\.dataPoints\[0\]: bucketCounts\[0\] must be a 64-bit integer/);
    expect(refusal([{ name: 'm', histogram: { dataPoints: [{ explicitBounds: [true] }] } }])).toMatch(/explicitBounds\[0\] must be a number/);
    expect(refusal([{ name: 'm', histogram: { dataPoints: [{ sum: 'lots' }] } }])).toMatch(/dataPoints\[0\]: sum must be a number/);
    expect(refusal([{ name: 'm', exponentialHistogram: { dataPoints: [{ scale: 2 ** 31 }] } }])).toMatch(/dataPoints\[0\]: scale is out of the int32 range/);
    expect(refusal([{ name: 'm', exponentialHistogram: { dataPoints: [{ positive: { bucketCounts: [-1] } }] } }])).toMatch(/dataPoints\[0\]\.positive: bucketCounts\[0\] is out of the uint64 range/);
    expect(refusal([{ name: 'm', summary: { dataPoints: [{ quantileValues: [{ quantile: 'half' }] }] } }])).toMatch(/summary\.dataPoints\[0\]\.quantileValues\[0\]: quantile must be a number/);
    expect(refusal([{ name: 7 }])).toBe(`${at}: name must be a string, got number 7`);
    expect(jsonDecoder.metrics(body(''))).toMatchObject({ ok: false });
  });
});
