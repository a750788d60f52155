#!/usr/bin/env node
import { constants } from 'node:os';
import { join } from 'node:path';
import { parseCliArgs, usage } from './cli-args.js';
import { otlpHeadersSetting, TOKENS_FILE, type AccessTokens } from './auth/tokens.js';
import { Collector, type CollectorAddresses } from './collector.js';
import { IN_MEMORY_DATA_DIR, loadConfig, type CollectorConfig } from './config.js';
import { createLogger } from './telemetry/logger.js';
import { VERSION } from './version.js';

const EXIT_USAGE = 2;
const EXIT_FAILURE = 1;

/** Exit code of a process ended by a signal, as shells report it. */
function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + constants.signals[signal];
}

/**
 * Like the Aspire dashboard: the tokens a start made are printed once, to stdout, where the
 * user starting it looks (a token given in a setting is the user's already and is not
 * repeated). The log line above says only whether each is on.
 */
function printAccess(addresses: CollectorAddresses, tokens: AccessTokens, dataDir: string): void {
  // A wildcard bind is reachable as localhost from this machine; the browser needs a real name.
  const wildcard = addresses.host === '0.0.0.0' || addresses.host === '::';
  const uiUrl = wildcard ? `http://localhost:${addresses.uiPort}` : addresses.uiUrl;
  const lines: string[] = [];
  if (tokens.api !== null && tokens.generated.api) {
    lines.push(`tracedock: UI and API need a token. Sign in: ${uiUrl}/login?t=${tokens.api}`);
    lines.push(`tracedock:   API clients: Authorization: Bearer ${tokens.api}`);
  }
  if (tokens.ingest !== null && tokens.generated.ingest) {
    lines.push(`tracedock: OTLP ingest needs a token: OTEL_EXPORTER_OTLP_HEADERS=${otlpHeadersSetting(tokens.ingest)}`);
  }
  if (lines.length > 0) {
    const kept = dataDir === IN_MEMORY_DATA_DIR ? 'made for this run only (in-memory store)' : `kept in ${join(dataDir, TOKENS_FILE)}`;
    lines.push(`tracedock:   (${kept}; TRACEDOCK_API_TOKEN / TRACEDOCK_INGEST_TOKEN choose them, or turn them off)`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}

/** Resolves with an exit code for commands that end, or undefined once the collector runs. */
async function main(argv: readonly string[]): Promise<number | undefined> {
  const command = parseCliArgs(argv);
  if (command.kind === 'help') {
    process.stdout.write(usage());
    return 0;
  }
  if (command.kind === 'version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (command.kind === 'usage_error') {
    process.stderr.write(`tracedock: ${command.message}\nRun tracedock --help for the flags.\n`);
    return EXIT_USAGE;
  }
  let config: CollectorConfig;
  try {
    config = loadConfig(command.options, process.env);
  } catch (error) {
    process.stderr.write(`tracedock: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_USAGE;
  }
  const logger = createLogger(config.logLevel);
  const collector = new Collector(config, { logger });
  try {
    await collector.start();
  } catch (error) {
    logger.fatal({ err: error }, 'tracedock failed to start');
    return EXIT_FAILURE;
  }
  const addresses = collector.addresses();
  const tokens = collector.accessTokens();
  logger.info(
    {
      otlpHttp: addresses.otlpHttpUrl,
      otlpGrpc: addresses.otlpGrpcAddress,
      ui: addresses.uiUrl,
      version: VERSION,
      host: collector.hostName(),
      apiToken: tokens.api === null ? 'off' : 'on',
      ingestToken: tokens.ingest === null ? 'off' : 'on',
    },
    'tracedock listening',
  );
  printAccess(addresses, tokens, config.dataDir);

  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting for the queue to drain');
      process.exit(signalExitCode(signal));
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: draining the write queue');
    collector.shutdown().then(
      () => {
        logger.info('tracedock stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(EXIT_FAILURE);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return undefined;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`tracedock: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT_FAILURE;
  },
);
