/** How to get metrics here: any OTLP metrics exporter pointed at the collector. */
export function NoMetricsHelp() {
  const origin = `${window.location.protocol}//${window.location.hostname}`;
  return (
    <div class="help">
      <p>
        Metrics arrive over OTLP like spans: point an OpenTelemetry metrics exporter at the collector (OTLP/HTTP{' '}
        <code>/v1/metrics</code> on port 4318, or OTLP/gRPC on 4317):
      </p>
      <pre>
        <code>{`OTEL_EXPORTER_OTLP_ENDPOINT=${origin}:4318\nOTEL_METRICS_EXPORTER=otlp\nOTEL_METRIC_EXPORT_INTERVAL=10000`}</code>
      </pre>
      <p>
        Node services get event-loop, heap and GC metrics from <code>@opentelemetry/instrumentation-runtime-node</code>. Widen the
        time range if the service exports rarely (every 60 s by default).
      </p>
    </div>
  );
}
