import { gunzip, inflate } from 'node:zlib';
import { promisify } from 'node:util';

/** gRPC status codes this receiver answers with (grpc/doc/statuscodes.md). */
export const GRPC_STATUS = {
  OK: 0,
  INVALID_ARGUMENT: 3,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

export type GrpcStatus = (typeof GRPC_STATUS)[keyof typeof GRPC_STATUS];

/** Length-prefixed message framing: 1 byte compressed flag, 4 bytes big-endian length. */
export const MESSAGE_PREFIX_BYTES = 5;

/** The message encodings this receiver inflates (grpc-encoding), as grpc-accept-encoding lists them. */
export const ACCEPTED_ENCODINGS = 'identity,gzip,deflate';

const inflaters = { gzip: promisify(gunzip), deflate: promisify(inflate) } as const;
export type MessageEncoding = 'identity' | keyof typeof inflaters;

/** The grpc-encoding header as one this receiver reads, or undefined for any other. */
export function messageEncodingOf(header: string | string[] | undefined): MessageEncoding | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim().toLowerCase() ?? 'identity';
  return value === 'identity' || value === 'gzip' || value === 'deflate' ? value : undefined;
}

/** One length-prefixed message with `payload` as its bytes, uncompressed. */
export function frameMessage(payload: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(MESSAGE_PREFIX_BYTES + payload.byteLength);
  frame[0] = 0;
  frame.writeUInt32BE(payload.byteLength, 1);
  frame.set(payload, MESSAGE_PREFIX_BYTES);
  return frame;
}

/**
 * grpc-message is percent-encoded: bytes outside printable ASCII, and '%' itself
 * (grpc/doc/PROTOCOL-HTTP2.md, "Responses").
 */
export function encodeGrpcMessage(message: string): string {
  let out = '';
  for (const byte of Buffer.from(message, 'utf8')) {
    out += byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Why a request is not one usable message, as tracedock_otlp_requests_refused_total counts it. */
export type UnaryMessageProblem = 'invalid' | 'too_large' | 'bad_compression';

/** A unary request's message, or why it is not one. */
export type UnaryMessage =
  | { ok: true; payload: Uint8Array }
  | { ok: false; reason: UnaryMessageProblem; status: GrpcStatus; message: string };

/**
 * The single message of a unary call from its DATA bytes, inflated when its flag says so.
 * At most `maxMessageBytes` on the wire and after inflation (inflation stops there, so a gzip
 * bomb costs no more than the limit). Never rejects.
 */
export async function unaryMessage(data: Buffer, encoding: MessageEncoding, maxMessageBytes: number): Promise<UnaryMessage> {
  if (data.length < MESSAGE_PREFIX_BYTES) {
    return { ok: false, reason: 'invalid', status: GRPC_STATUS.INVALID_ARGUMENT, message: `the request holds ${data.length} bytes, not one length-prefixed message` };
  }
  const compressed = data[0];
  const length = data.readUInt32BE(1);
  if (data.length !== MESSAGE_PREFIX_BYTES + length) {
    return {
      ok: false,
      reason: 'invalid',
      status: GRPC_STATUS.INVALID_ARGUMENT,
      message: `a unary request holds exactly one message: its prefix says ${length} bytes, the request carried ${data.length - MESSAGE_PREFIX_BYTES}`,
    };
  }
  const payload = data.subarray(MESSAGE_PREFIX_BYTES);
  if (compressed === 0) return { ok: true, payload };
  if (compressed !== 1) return { ok: false, reason: 'invalid', status: GRPC_STATUS.INVALID_ARGUMENT, message: `unknown compressed flag ${compressed}` };
  if (encoding === 'identity') {
    return { ok: false, reason: 'bad_compression', status: GRPC_STATUS.INTERNAL, message: 'the message is flagged compressed but the call has no grpc-encoding' };
  }
  try {
    return { ok: true, payload: await inflaters[encoding](payload, { maxOutputLength: maxMessageBytes }) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      return { ok: false, reason: 'too_large', status: GRPC_STATUS.RESOURCE_EXHAUSTED, message: `the decompressed message is larger than ${maxMessageBytes} bytes` };
    }
    return { ok: false, reason: 'bad_compression', status: GRPC_STATUS.INTERNAL, message: `the ${encoding} message could not be inflated: ${(error as Error).message}` };
  }
}
