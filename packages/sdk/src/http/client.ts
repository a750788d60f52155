/**
 * CLIENT spans for node:http and node:https requests, from Node's own diagnostics channels rather
 * than by wrapping `http.request`: every ClientRequest is seen however it was made (http.get,
 * https.request, a named ES module import, axios, got ...), and nothing runs for requests made
 * while tracing is suppressed (the OTLP exporter's own). `http.client.request.created` comes before
 * the headers are written, so the span's traceparent goes into them; the span ends when the
 * response body has been read, or on the request's error or close.
 */
import { SpanKind, SpanStatusCode, context, propagation, trace, type Attributes, type Span, type TextMapSetter, type Tracer } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { ATTR, redactQuery, setMethod, splitHostPort } from './attributes.js';
import { recordError } from './errors.js';

const STATE = Symbol('@tracedock/sdk.http-client-span');
const CREATED = 'http.client.request.created';
const RESPONSE = 'http.client.response.finish';
const ERROR = 'http.client.request.error';
const CLIENT_SPAN = { kind: SpanKind.CLIENT };

interface ClientSpanState {
  span: Span;
  response: IncomingMessage | undefined;
  ended: boolean;
}

type TracedRequest = ClientRequest & { [STATE]?: ClientSpanState };
type ClientResponse = IncomingMessage & { req?: TracedRequest };

const headerSetter: TextMapSetter<ClientRequest> = {
  set(request, key, value) {
    request.setHeader(key, value);
  },
};

function clientAttributes(request: ClientRequest): Attributes {
  const attributes: Attributes = {};
  setMethod(attributes, request.method);
  const scheme = request.protocol === 'https:' ? 'https' : 'http';
  const hostHeader = request.getHeader('host');
  const authority = typeof hostHeader === 'string' ? hostHeader : request.host;
  const { port } = splitHostPort(authority, scheme === 'https' ? 443 : 80);
  attributes[ATTR.serverAddress] = request.host;
  if (port !== undefined) attributes[ATTR.serverPort] = port;
  const path = request.path;
  const query = path.indexOf('?');
  const target = query === -1 ? path : `${path.slice(0, query)}?${redactQuery(path.slice(query + 1))}`;
  attributes[ATTR.urlFull] = `${request.protocol}//${authority}${target}`;
  const userAgent = request.getHeader('user-agent');
  if (typeof userAgent === 'string') attributes[ATTR.userAgent] = userAgent;
  return attributes;
}

function end(request: TracedRequest): void {
  const state = request[STATE];
  if (state === undefined || state.ended) return;
  state.ended = true;
  const { span, response } = state;
  if (response !== undefined) {
    if (response.aborted && !response.complete) span.setStatus({ code: SpanStatusCode.ERROR });
    else {
      const status = response.statusCode ?? 0;
      if (!(status >= 100 && status < 400)) span.setStatus({ code: SpanStatusCode.ERROR });
      if (status >= 400 && status < 600) span.setAttribute(ATTR.errorType, String(status));
    }
  }
  span.end();
}

function onResponseEnd(this: ClientResponse): void {
  if (this.req !== undefined) end(this.req);
}

function onRequestClose(this: TracedRequest): void {
  end(this);
}

export interface ClientTracing {
  stop(): void;
}

/** Subscribes to node:http's client channels; `stop()` unsubscribes. */
export function traceClientRequests(tracer: () => Tracer): ClientTracing {
  const onCreated = (message: unknown): void => {
    const request = (message as { request: TracedRequest }).request;
    const parent = context.active();
    if (isTracingSuppressed(parent)) return;
    const span = tracer().startSpan(request.method, CLIENT_SPAN, parent);
    // As for server spans: attributes set once, on a sampled span only.
    if (span.isRecording()) span.setAttributes(clientAttributes(request));
    // Headers given as an array are written at once; then there is nothing left to add to.
    if (!request.headersSent) propagation.inject(trace.setSpan(parent, span), request, headerSetter);
    request[STATE] = { span, response: undefined, ended: false };
    request.on('close', onRequestClose);
  };
  const onResponse = (message: unknown): void => {
    const { request, response } = message as { request: TracedRequest; response: ClientResponse };
    const state = request[STATE];
    if (state === undefined) return;
    state.response = response;
    response.on('end', onResponseEnd);
    if (!state.span.isRecording()) return;
    const attributes: Attributes = { [ATTR.statusCode]: response.statusCode, [ATTR.protocolVersion]: response.httpVersion };
    const socket = response.socket;
    if (socket?.remoteAddress !== undefined) attributes[ATTR.peerAddress] = socket.remoteAddress;
    if (socket?.remotePort !== undefined) attributes[ATTR.peerPort] = socket.remotePort;
    state.span.setAttributes(attributes);
  };
  const onError = (message: unknown): void => {
    const { request, error } = message as { request: TracedRequest; error: unknown };
    const state = request[STATE];
    if (state === undefined || state.ended) return;
    recordError(state.span, error);
    state.ended = true;
    state.span.end();
  };
  subscribe(CREATED, onCreated);
  subscribe(RESPONSE, onResponse);
  subscribe(ERROR, onError);
  return {
    stop() {
      unsubscribe(CREATED, onCreated);
      unsubscribe(RESPONSE, onResponse);
      unsubscribe(ERROR, onError);
    },
  };
}
