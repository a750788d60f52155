// The only place the demo reads process.env: each service asks for what it needs, values are
// validated here and a bad one stops the service at start-up, naming the variable.

function readInteger(name, defaultValue, min, max) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return defaultValue;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`tracedock-demo: invalid ${name}=${JSON.stringify(raw)}: must be an integer from ${min} to ${max}`);
  }
  return value;
}

function readNumber(name, defaultValue, min, max) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return defaultValue;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`tracedock-demo: invalid ${name}=${JSON.stringify(raw)}: must be a number from ${min} to ${max}`);
  }
  return value;
}

function readUrl(name, defaultValue) {
  const raw = process.env[name] || defaultValue;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
    return raw.replace(/\/+$/, '');
  } catch {
    throw new Error(`tracedock-demo: invalid ${name}=${JSON.stringify(raw)}: must be an http(s) URL`);
  }
}

/** Listening port, `PORT`. */
export function readPort(defaultPort) {
  return readInteger('PORT', defaultPort, 1, 65535);
}

export function gatewayConfig() {
  return {
    port: readPort(8080),
    ordersUrl: readUrl('ORDERS_URL', 'http://orders:8081'),
    upstreamTimeoutMillis: readInteger('UPSTREAM_TIMEOUT_MS', 5000, 1, 600000),
  };
}

export function ordersConfig() {
  return {
    port: readPort(8081),
    inventoryUrl: readUrl('INVENTORY_URL', 'http://inventory:8082'),
    upstreamTimeoutMillis: readInteger('UPSTREAM_TIMEOUT_MS', 3000, 1, 600000),
    // Fixed work, not a fixed duration: under a CPU limit the same report takes longer,
    // which is what the demo wants the resources panel to explain.
    reportHashRounds: readInteger('REPORT_HASH_ROUNDS', 100000, 1, 100000000),
  };
}

export function inventoryConfig() {
  return {
    port: readPort(8082),
    errorRate: readNumber('ERROR_RATE', 0.05, 0, 1),
    minLatencyMillis: readInteger('MIN_LATENCY_MS', 5, 0, 60000),
    maxLatencyMillis: readInteger('MAX_LATENCY_MS', 50, 0, 60000),
  };
}

export function loadgenConfig() {
  return {
    targetUrl: readUrl('TARGET_URL', 'http://gateway:8080'),
    ratePerSecond: readNumber('RATE_PER_SECOND', 5, 0.01, 10000),
    reportShare: readNumber('REPORT_SHARE', 0.05, 0, 1),
    maxInFlight: readInteger('MAX_IN_FLIGHT', 50, 1, 100000),
    requestTimeoutMillis: readInteger('REQUEST_TIMEOUT_MS', 10000, 1, 600000),
    summaryIntervalMillis: readInteger('SUMMARY_INTERVAL_MS', 10000, 100, 3600000),
  };
}
