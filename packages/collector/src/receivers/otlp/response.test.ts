import { BinaryReader } from '@bufbuild/protobuf/wire';
import {
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { encodeExportResponse, encodeStatus } from './response.js';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('encodeExportResponse', () => {
  it('writes partial_success that the OTel JS exporters read back', () => {
    expect(ProtobufTraceSerializer.deserializeResponse(encodeExportResponse('traces', 'proto', 2, 'bad ids'))).toEqual({
      partialSuccess: { rejectedSpans: 2, errorMessage: 'bad ids' },
    });
    expect(ProtobufLogsSerializer.deserializeResponse(encodeExportResponse('logs', 'proto', 3, 'too long'))).toEqual({
      partialSuccess: { rejectedLogRecords: 3, errorMessage: 'too long' },
    });
    expect(ProtobufMetricsSerializer.deserializeResponse(encodeExportResponse('metrics', 'proto', 1, 'x'))).toEqual({
      partialSuccess: { rejectedDataPoints: 1, errorMessage: 'x' },
    });
  });

  it('writes full success as the empty message, and {} in JSON', () => {
    expect(encodeExportResponse('traces', 'proto', 0, '')).toEqual(new Uint8Array(0));
    expect(ProtobufTraceSerializer.deserializeResponse(encodeExportResponse('traces', 'proto', 0, ''))).toEqual({});
    expect(text(encodeExportResponse('logs', 'json', 0, ''))).toBe('{}');
  });

  it('writes JSON with int64 as a decimal string and the per-signal field name', () => {
    expect(text(encodeExportResponse('traces', 'json', 2, 'span 3: bad "id"'))).toBe(
      '{"partialSuccess":{"rejectedSpans":"2","errorMessage":"span 3: bad \\"id\\""}}',
    );
    expect(text(encodeExportResponse('logs', 'json', 1, ''))).toBe('{"partialSuccess":{"rejectedLogRecords":"1"}}');
    expect(text(encodeExportResponse('metrics', 'json', 0, 'a warning'))).toBe('{"partialSuccess":{"errorMessage":"a warning"}}');
    expect(JsonTraceSerializer.deserializeResponse(encodeExportResponse('traces', 'json', 5, 'm'))).toEqual({
      partialSuccess: { rejectedSpans: '5', errorMessage: 'm' },
    });
  });
});

describe('encodeStatus', () => {
  it('writes google.rpc.Status { code = 1, message = 2 } in protobuf', () => {
    const reader = new BinaryReader(encodeStatus('proto', 3, 'invalid JSON: unexpected end'));
    expect(reader.tag()).toEqual([1, 0]);
    expect(reader.int32()).toBe(3);
    expect(reader.tag()).toEqual([2, 2]);
    expect(reader.string()).toBe('invalid JSON: unexpected end');
    expect(reader.pos).toBe(reader.len);
  });

  it('writes the JSON form', () => {
    expect(JSON.parse(text(encodeStatus('json', 8, 'queue full')))).toEqual({ code: 8, message: 'queue full' });
  });
});
