// The `official-traces` variant of bench/sdk-overhead.mjs: the official SDK set up by hand for
// traces only, as its getting-started guide gives it: NodeSDK with getNodeAutoInstrumentations()
// and an OTLP/HTTP protobuf trace exporter (endpoint from OTEL_EXPORTER_OTLP_ENDPOINT), the ESM
// loader hook registered first. getNodeAutoInstrumentations() reads
// OTEL_NODE_ENABLED_INSTRUMENTATIONS, which the bench sets to what @tracedock/sdk enables by
// default without metrics (as its nometrics variant). Beside `official` (the zero-code register, which also
// exports pino logs and metrics) it shows what the official traces cost on their own. NodeSDK
// 0.301 still makes OTLP log and metric exporters from the environment's defaults when given only
// a trace exporter, so the variant sets OTEL_LOGS_EXPORTER=none and OTEL_METRICS_EXPORTER=none.
// Loaded with `node --import ./bench/lib/sdk-official-register.mjs app.mjs`.
import { register } from 'node:module';
import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { NodeSDK } from '@opentelemetry/sdk-node';

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

const sdk = new NodeSDK({
  traceExporter: new OTLPTraceExporter(),
  instrumentations: [getNodeAutoInstrumentations()],
});
sdk.start();
process.on('SIGTERM', () => {
  sdk.shutdown().finally(() => process.exit(0));
});
