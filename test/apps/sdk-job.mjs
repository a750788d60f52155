// A short job (no server) instrumented in code: one span and one log line inside it, then the
// process ends by itself. The SDK must flush at that natural end (beforeExit), although the batch
// delay is set far longer than the job runs. Prints {"traceId","spanId"} of its span.
import { createLogger, start } from '@tracedock/sdk';

start({ serviceName: 'nightly-job', spanQueue: { scheduledDelayMillis: 60_000 }, logQueue: { scheduledDelayMillis: 60_000 } });
const { trace } = await import('@opentelemetry/api');
const log = createLogger();

trace.getTracer('sdk-job').startActiveSpan('reindex', (span) => {
  log.info({ items: 3 }, 'job: reindexed');
  console.log(JSON.stringify({ traceId: span.spanContext().traceId, spanId: span.spanContext().spanId }));
  span.end();
});
