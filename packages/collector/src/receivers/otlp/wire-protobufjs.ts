// protobufjs 7 is CommonJS that Node's ESM loader cannot name exports of: the default import.
import protobufjs from 'protobufjs/minimal.js';
import { bufferView } from './wire.js';
import type { WireReader } from './wire.js';

/** The parts of a `long` Long that protobufjs returns for 64-bit fields. */
interface LongBitsLike {
  low: number;
  high: number;
}

const TWO_POW_32 = 0x1_0000_0000;

/** The exact value of a 64-bit integer that protobufjs returns as a Long (or a number without one). */
function exact(value: number | LongBitsLike, unsigned: boolean): bigint {
  if (typeof value === 'number') return BigInt(value);
  const high = unsigned ? value.high >>> 0 : value.high | 0;
  return BigInt(high) * BigInt(TWO_POW_32) + BigInt(value.low >>> 0);
}

/**
 * WireReader over protobufjs's Reader. Kept to measure against the bufbuild reader in
 * bench/decode.mjs; protobufjs returns 64-bit values as `long` Long objects, converted here.
 */
export class ProtobufjsWireReader extends protobufjs.Reader implements WireReader {
  readonly body: Uint8Array;
  readonly bodyBuffer: Buffer;

  constructor(body: Uint8Array) {
    super(body);
    this.body = body;
    this.bodyBuffer = bufferView(body);
  }

  int64Exact(): bigint {
    return exact(this.int64(), false);
  }

  fixed64Exact(): bigint {
    return exact(this.fixed64(), true);
  }

  skipField(tag: number): void {
    const fieldNo = tag >>> 3;
    if (fieldNo === 0) throw new Error(`illegal tag ${tag} at byte ${this.pos}`);
    // protobufjs 7 (the one version installed: grpc's proto-loader needs it) skips a group to
    // its end tag without checking that tag's field number, as 8 did; the hand-written reader
    // checks it (wire.ts), and the tests compare the two on well-formed input.
    this.skipType(tag & 7);
  }
}

/** Makes a ProtobufjsWireReader over one request body. */
export function protobufjsWireReader(body: Uint8Array): WireReader {
  return new ProtobufjsWireReader(body);
}
