// The plain official OpenTelemetry setup that bench/sdk-overhead.mjs compares against, as its
// getting-started guide gives it: NodeSDK with getNodeAutoInstrumentations() defaults and an
// OTLP/HTTP protobuf trace exporter (endpoint from OTEL_EXPORTER_OTLP_ENDPOINT), the ESM loader
// hook registered first. Loaded with `node --import ./bench/lib/sdk-official-register.mjs app.mjs`.
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
