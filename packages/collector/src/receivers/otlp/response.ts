import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import type { Signal } from '../../model/decoded.js';

/**
 * The bodies the collector answers OTLP requests with: Export*ServiceResponse on success
 * (opentelemetry/proto/collector/<signal>/v1) and google.rpc.Status on errors (OTLP/HTTP).
 */

/** The encoding of a response; always the request's. */
export type ResponseEncoding = 'proto' | 'json';

// Export<Signal>PartialSuccess: rejected_<records> = 1 (int64), error_message = 2. The
// field number is the same for all three signals; only the JSON name differs.
const REJECTED_JSON_NAME: Readonly<Record<Signal, string>> = {
  traces: 'rejectedSpans',
  logs: 'rejectedLogRecords',
  metrics: 'rejectedDataPoints',
};

const EMPTY = new Uint8Array(0);
const textEncoder = new TextEncoder();

/**
 * Export<Signal>ServiceResponse. Full success (nothing rejected, no message) is the empty
 * message, as the OTLP spec asks; otherwise `partial_success` carries the count and reason.
 *
 * @example encodeExportResponse('traces', 'json', 2, 'bad ids') // {"partialSuccess":{"rejectedSpans":"2","errorMessage":"bad ids"}}
 */
export function encodeExportResponse(
  signal: Signal,
  encoding: ResponseEncoding,
  rejected: number,
  message: string,
): Uint8Array {
  const partial = rejected !== 0 || message !== '';
  if (encoding === 'json') {
    if (!partial) return textEncoder.encode('{}');
    const partialSuccess: Record<string, string> = {};
    // int64 is a decimal string in protobuf JSON; zero and '' are defaults and left out.
    if (rejected !== 0) partialSuccess[REJECTED_JSON_NAME[signal]] = String(rejected);
    if (message !== '') partialSuccess.errorMessage = message;
    return textEncoder.encode(JSON.stringify({ partialSuccess }));
  }
  if (!partial) return EMPTY;
  const writer = new BinaryWriter().tag(1, WireType.LengthDelimited).fork();
  if (rejected !== 0) writer.tag(1, WireType.Varint).int64(rejected);
  if (message !== '') writer.tag(2, WireType.LengthDelimited).string(message);
  return writer.join().finish();
}

/**
 * google.rpc.Status { int32 code = 1; string message = 2; }: the body of OTLP/HTTP error
 * responses. `grpcCode` is a google.rpc.Code (3 INVALID_ARGUMENT, 8 RESOURCE_EXHAUSTED, ...).
 *
 * @example encodeStatus('json', 3, 'invalid JSON') // {"code":3,"message":"invalid JSON"}
 */
export function encodeStatus(encoding: ResponseEncoding, grpcCode: number, message: string): Uint8Array {
  if (encoding === 'json') {
    const status: { code?: number; message?: string } = {};
    if (grpcCode !== 0) status.code = grpcCode;
    if (message !== '') status.message = message;
    return textEncoder.encode(JSON.stringify(status));
  }
  const writer = new BinaryWriter();
  if (grpcCode !== 0) writer.tag(1, WireType.Varint).int32(grpcCode);
  if (message !== '') writer.tag(2, WireType.LengthDelimited).string(message);
  return writer.finish();
}
