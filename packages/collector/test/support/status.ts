import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';

/** google.rpc.Status as OTLP/HTTP error bodies carry it. */
export interface RpcStatus {
  code: number;
  message: string;
}

/** Decodes a protobuf google.rpc.Status { int32 code = 1; string message = 2; }. */
export function decodeStatusProto(bytes: Uint8Array): RpcStatus {
  const reader = new BinaryReader(bytes);
  const status: RpcStatus = { code: 0, message: '' };
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1 && wireType === WireType.Varint) status.code = reader.int32();
    else if (field === 2 && wireType === WireType.LengthDelimited) status.message = reader.string();
    else reader.skip(wireType);
  }
  return status;
}

/** Decodes a JSON google.rpc.Status, checking its shape. */
export function decodeStatusJson(bytes: Uint8Array): RpcStatus {
  const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
  if (typeof parsed !== 'object' || parsed === null) throw new Error(`not a Status: ${String(parsed)}`);
  const code = 'code' in parsed && typeof parsed.code === 'number' ? parsed.code : 0;
  const message = 'message' in parsed && typeof parsed.message === 'string' ? parsed.message : '';
  return { code, message };
}
