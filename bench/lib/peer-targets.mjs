/**
 * The collectors bench/peers.mjs sends the same load to, behind one shape:
 *
 *   const target = TARGETS.jaeger;   // { label, done: 'stored' | 'passed through', start }
 *   const running = await target.start({ dataDir, configFile }); // configFile: peers only, optional
 *   running.otlpHttpUrl              // where the senders POST /v1/traces
 *   running.otlpGrpcAddress          // host:port of its OTLP/gRPC receiver
 *   await running.counts()           // { received, done, lost }: spans accepted by the receiver,
 *                                    // stored (or handed to the nop exporter), and lost on the way
 *   await running.verify(samples)    // GETs sampled trace ids from the query API (stored targets)
 *   await running.stop()             // by PID; resolves with the exit code
 *
 * tracedock: the collector CLI (./collector-child.mjs), file-backed DuckDB, counts from its
 * /metrics. otelcol: the OpenTelemetry Collector built by scripts/build-peers.sh
 * (bench/peers/otelcol.yaml: otlp → batch → nop), counts from its own Prometheus metrics.
 * jaeger: Jaeger v2 all-in-one (bench/peers/jaeger-badger.yaml: otlp → batch → Badger),
 * counts from its storage exporter's metrics, verified through its query API.
 */
import { fileURLToPath } from 'node:url';
import { startCollector } from './collector-child.mjs';
import { freePorts, HOST, startPeer } from './peer-process.mjs';
import { parsePrometheus, scrape, sumOf } from './prometheus.mjs';
import { traceIdOf } from './trace-pool.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PEERS_DIR = `${ROOT}.tools/peers`;
const CONFIG_DIR = `${ROOT}bench/peers`;
/** The bench's spans are dated 2025 (./payload.mjs): keep tracedock's retention off them. */
const RETENTION_HOURS = String(24 * 365 * 20);
const FETCH_TIMEOUT_MILLIS = 10_000;

async function metricsAt(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MILLIS) });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${text.slice(0, 200)}`);
  return parsePrometheus(text);
}

/**
 * A counter of the collector's own telemetry: its Prometheus exporter writes `name` (v0.165.0
 * does, without the usual `_total` suffix) or `name_total` (other versions), never both.
 */
function counter(samples, name, labels = {}) {
  return sumOf(samples, name, labels) + sumOf(samples, `${name}_total`, labels);
}

/** A sampled acknowledged trace: its id as sent and how many spans it had. */
function pickTrace({ entry, counter }) {
  const traceIndex = Math.floor(Math.random() * entry.traces.length);
  return { traceId: traceIdOf(entry, traceIndex, counter), expected: entry.traces[traceIndex].spanCount };
}

async function getJson(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MILLIS) });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`VERIFY FAILED: GET ${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

async function startTracedock({ dataDir }) {
  // info: collector-child.mjs reads the ports from the "tracedock listening" info line.
  const collector = await startCollector({ dataDir, args: ['--retention-hours', RETENTION_HOURS, '--log-level', 'info'] });
  return {
    ...collector,
    async counts() {
      const samples = await scrape(collector.uiUrl);
      return {
        received: sumOf(samples, 'tracedock_spans_received_total'),
        done: sumOf(samples, 'tracedock_rows_stored_total', { signal: 'spans' }),
        lost: sumOf(samples, 'tracedock_rows_dropped_total', { signal: 'spans' }),
      };
    },
    async verify(samples) {
      const checked = [];
      for (const sample of samples) {
        const { traceId, expected } = pickTrace(sample);
        const body = await getJson(`${collector.uiUrl}/api/traces/${traceId}`);
        const spans = Array.isArray(body.spans) ? body.spans : [];
        const own = spans.filter((span) => span.traceId === traceId).length;
        if (spans.length !== expected || own !== expected) {
          throw new Error(`VERIFY FAILED: tracedock trace ${traceId} was acknowledged with ${expected} spans; its API returned ${spans.length} (${own} with that id)`);
        }
        checked.push(`${traceId} (${expected} spans)`);
      }
      return checked;
    },
  };
}

async function startOtelcol({ configFile = `${CONFIG_DIR}/otelcol.yaml` }) {
  const [otlpPort, grpcPort, metricsPort] = await freePorts(3);
  const metricsUrl = `http://${HOST}:${metricsPort}/metrics`;
  const peer = await startPeer({
    name: 'otelcol',
    binary: `${PEERS_DIR}/otelcol-bench`,
    args: ['--config', configFile],
    env: { PEER_OTLP_HTTP_PORT: String(otlpPort), PEER_OTLP_GRPC_PORT: String(grpcPort), PEER_METRICS_PORT: String(metricsPort) },
    readyUrl: metricsUrl,
  });
  return {
    ...peer,
    otlpHttpUrl: `http://${HOST}:${otlpPort}`,
    otlpGrpcAddress: `${HOST}:${grpcPort}`,
    async counts() {
      const samples = await metricsAt(metricsUrl);
      return {
        received: counter(samples, 'otelcol_receiver_accepted_spans'),
        // The batch processor's sizes of the batches it sent on, summed: spans handed to nop.
        done: sumOf(samples, 'otelcol_processor_batch_batch_send_size_sum'),
        lost: counter(samples, 'otelcol_receiver_refused_spans') + counter(samples, 'otelcol_receiver_failed_spans'),
      };
    },
    verify: async () => [],
  };
}

async function startJaeger({ dataDir, configFile = `${CONFIG_DIR}/jaeger-badger.yaml` }) {
  const [otlpPort, grpcPort, metricsPort, queryPort, queryGrpcPort] = await freePorts(5);
  const queryUrl = `http://${HOST}:${queryPort}`;
  const metricsUrl = `http://${HOST}:${metricsPort}/metrics`;
  const peer = await startPeer({
    name: 'jaeger',
    binary: `${PEERS_DIR}/jaeger`,
    args: ['--config', configFile],
    env: {
      PEER_OTLP_HTTP_PORT: String(otlpPort),
      PEER_OTLP_GRPC_PORT: String(grpcPort),
      PEER_METRICS_PORT: String(metricsPort),
      PEER_QUERY_HTTP_PORT: String(queryPort),
      PEER_QUERY_GRPC_PORT: String(queryGrpcPort),
      PEER_DATA_DIR: dataDir,
    },
    readyUrl: `${queryUrl}/api/services`,
  });
  const exporter = { exporter: 'jaeger_storage_exporter' };
  return {
    ...peer,
    otlpHttpUrl: `http://${HOST}:${otlpPort}`,
    otlpGrpcAddress: `${HOST}:${grpcPort}`,
    async counts() {
      const samples = await metricsAt(metricsUrl);
      return {
        received: counter(samples, 'otelcol_receiver_accepted_spans'),
        done: counter(samples, 'otelcol_exporter_sent_spans', exporter),
        lost:
          counter(samples, 'otelcol_exporter_send_failed_spans', exporter) +
          counter(samples, 'otelcol_receiver_refused_spans') +
          counter(samples, 'otelcol_receiver_failed_spans'),
      };
    },
    async verify(samples) {
      const checked = [];
      for (const sample of samples) {
        const { traceId, expected } = pickTrace(sample);
        // Jaeger's v1 JSON API: { data: [{ traceID, spans: [...] }] }; ids without leading zeros.
        const body = await getJson(`${queryUrl}/api/traces/${traceId}`);
        const trace = Array.isArray(body.data) ? body.data[0] : undefined;
        const spans = Array.isArray(trace?.spans) ? trace.spans : [];
        const own = spans.filter((span) => String(span.traceID).padStart(32, '0') === traceId).length;
        if (spans.length !== expected || own !== expected) {
          throw new Error(`VERIFY FAILED: Jaeger trace ${traceId} was acknowledged with ${expected} spans; its query API returned ${spans.length} (${own} with that id)`);
        }
        checked.push(`${traceId} (${expected} spans)`);
      }
      return checked;
    },
  };
}

export const TARGETS = {
  tracedock: { label: 'tracedock', done: 'stored', binary: undefined, buildName: undefined, config: 'file-backed DuckDB', start: startTracedock },
  otelcol: {
    label: 'OpenTelemetry Collector (nop)',
    done: 'passed through',
    binary: `${PEERS_DIR}/otelcol-bench`,
    buildName: 'otelcol-bench',
    config: 'bench/peers/otelcol.yaml (otlp -> batch -> nop)',
    start: startOtelcol,
  },
  jaeger: {
    label: 'Jaeger v2 (Badger)',
    done: 'stored',
    binary: `${PEERS_DIR}/jaeger`,
    buildName: 'jaeger',
    config: 'bench/peers/jaeger-badger.yaml (otlp -> batch -> jaeger_storage_exporter -> Badger, as its config-badger.yaml)',
    start: startJaeger,
  },
};
