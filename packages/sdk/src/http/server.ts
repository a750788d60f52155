/**
 * SERVER spans for node:http and node:https servers. `Server.prototype.emit('request')` is wrapped
 * (as the official instrumentation does) because the handler must run inside the span's context,
 * which a diagnostics_channel subscriber cannot arrange; a prototype patch reaches ES module and
 * CommonJS apps alike, without a loader hook. Per request: the W3C context extracted only when the
 * request carries one, one span, one shared 'close' listener that ends it, and the request and
 * response bound to the span's context so that their event listeners (body parsers, on-finished)
 * run in it too.
 */
import { SpanKind, SpanStatusCode, context, propagation, ROOT_CONTEXT, trace, type Span, type Tracer } from '@opentelemetry/api';
import { RPCType, setRPCMetadata, type RPCMetadata } from '@opentelemetry/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ATTR, serverRequestAttributes } from './attributes.js';
import { recordError } from './errors.js';

const STATE = Symbol('@tracedock/sdk.http-server-span');
const SERVER_SPAN = { kind: SpanKind.SERVER };

interface ServerSpanState {
  span: Span;
  /** Express's instrumentation writes the matched route here (as for the official one). */
  rpc: RPCMetadata;
  name: string;
  ended: boolean;
}

type TracedResponse = ServerResponse & { [STATE]?: ServerSpanState };
type Emit = (this: unknown, event: string | symbol, ...args: unknown[]) => boolean;
interface EmitterPrototype {
  emit: Emit;
}

/** 5xx (and a missing or nonsensical status) is a server error, as the semantic conventions say. */
function endServerSpan(this: TracedResponse): void {
  const state = this[STATE];
  if (state === undefined || state.ended) return;
  state.ended = true;
  const { span, rpc } = state;
  if (!span.isRecording()) {
    span.end();
    return;
  }
  const status = this.statusCode;
  span.setAttribute(ATTR.statusCode, status);
  if (!(status >= 100 && status < 500)) {
    span.setStatus({ code: SpanStatusCode.ERROR });
    if (status >= 500 && status < 600) span.setAttribute(ATTR.errorType, String(status));
  }
  if (rpc.route !== undefined) {
    span.setAttribute(ATTR.route, rpc.route);
    span.updateName(`${state.name} ${rpc.route}`);
  }
  span.end();
}

/** Wraps `proto.emit`; returns the function that puts the original back. */
export function patchServerEmit(proto: EmitterPrototype, scheme: 'http' | 'https', tracer: () => Tracer): () => void {
  const original = proto.emit;
  function traced(this: unknown, request: IncomingMessage, response: TracedResponse, args: [string | symbol, ...unknown[]]): boolean {
    const headers = request.headers;
    // Most requests carry no context: skip the propagators' parsing for them.
    const parent = headers.traceparent === undefined && headers.baggage === undefined ? ROOT_CONTEXT : propagation.extract(ROOT_CONTEXT, headers);
    const name = request.method ?? 'GET';
    const span = tracer().startSpan(name, SERVER_SPAN, parent);
    // Set on the started span, not passed to startSpan(), which would validate and copy them twice
    // (for the sampler, which reads none of them); and not built at all for an unsampled span.
    if (span.isRecording()) span.setAttributes(serverRequestAttributes(request, scheme));
    const rpc: RPCMetadata = { type: RPCType.HTTP, span };
    const active = setRPCMetadata(trace.setSpan(parent, span), rpc);
    response[STATE] = { span, rpc, name, ended: false };
    // Before bind(): the SDK's own listener needs no context wrapper.
    response.on('close', endServerSpan);
    return context.with(active, () => {
      context.bind(active, request);
      context.bind(active, response);
      try {
        return original.apply(this, args);
      } catch (error) {
        recordError(span, error);
        endServerSpan.call(response);
        throw error;
      }
    });
  }
  // `arguments`, not rest parameters: emit() runs for every event of every server, and this keeps
  // the other events free of array copies.
  function emit(this: unknown, event: string | symbol, request?: unknown, response?: unknown): boolean {
    const args = arguments as unknown as [string | symbol, ...unknown[]];
    if (event !== 'request') return original.apply(this, args);
    return traced.call(this, request as IncomingMessage, response as TracedResponse, args);
  }
  proto.emit = emit;
  return () => {
    if (proto.emit === emit) proto.emit = original;
  };
}
