import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import { bufferView } from './wire.js';
import type { WireReader } from './wire.js';

/**
 * WireReader over @bufbuild/protobuf's BinaryReader. Its 64-bit reads give a bigint on every
 * runtime with BigInt (a decimal string otherwise), so exact values need no conversion here.
 */
export class BufbuildWireReader extends BinaryReader implements WireReader {
  readonly body: Uint8Array;
  readonly bodyBuffer: Buffer;

  constructor(body: Uint8Array) {
    super(body);
    this.body = body;
    this.bodyBuffer = bufferView(body);
  }

  int64Exact(): bigint {
    const value = this.int64();
    return typeof value === 'bigint' ? value : BigInt(value);
  }

  fixed64Exact(): bigint {
    const value = this.fixed64();
    return typeof value === 'bigint' ? value : BigInt(value);
  }

  skipField(tag: number): void {
    const fieldNo = tag >>> 3;
    if (fieldNo === 0) throw new Error(`illegal tag ${tag} at byte ${this.pos}`);
    // The common cases without skip()'s returned subarray (an allocation per skipped
    // field: OTLP spans carry several counters and flags tracedock does not keep).
    switch (tag & 7) {
      case WireType.Varint:
        this.uint32();
        return;
      case WireType.Bit64:
        this.advance(8);
        return;
      case WireType.Bit32:
        this.advance(4);
        return;
      case WireType.LengthDelimited:
        this.advance(this.uint32());
        return;
      default:
        // skip() validates the wire type and bounds group nesting.
        this.skip(tag & 7, fieldNo);
    }
  }

  private advance(bytes: number): void {
    if (this.pos + bytes > this.len) throw new RangeError(`premature EOF: ${bytes} bytes at byte ${this.pos}, body is ${this.len}`);
    this.pos += bytes;
  }
}

/** Makes a BufbuildWireReader over one request body. */
export function bufbuildWireReader(body: Uint8Array): WireReader {
  return new BufbuildWireReader(body);
}
