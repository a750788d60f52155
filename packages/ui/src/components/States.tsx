import type { ComponentChildren } from 'preact';
import { adviceFor, describeFailure, type ApiFailure } from '../api/result.js';

/** Loading, error and empty states: each says what is happening and what a person can do. */

export function Loading({ what }: { what: string }) {
  return (
    <p class="state state-loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function ErrorView({ what, failure, onRetry }: { what: string; failure: ApiFailure; onRetry?: () => void }) {
  return (
    <div class="state state-error" role="alert">
      <p>
        <strong>Could not load {what}.</strong> {describeFailure(failure)}
      </p>
      <p>{adviceFor(failure)}</p>
      {onRetry !== undefined && (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="state state-empty">
      <p>
        <strong>{title}</strong>
      </p>
      {children}
    </div>
  );
}

/** Shown where there is no telemetry at all: how to send some. */
export function NoDataHelp() {
  const origin = `${window.location.protocol}//${window.location.hostname}`;
  return (
    <div class="help">
      <p>Point a service at the collector with the standard OpenTelemetry variables:</p>
      <pre>
        <code>{`OTEL_EXPORTER_OTLP_ENDPOINT=${origin}:4318\nOTEL_SERVICE_NAME=checkout`}</code>
      </pre>
      <p>
        Node services can use <code>@tracedock/sdk</code>; any OpenTelemetry SDK works (OTLP/HTTP on port 4318, OTLP/gRPC on
        4317). Then send a request through the service and search again.
      </p>
    </div>
  );
}
