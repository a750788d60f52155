#!/usr/bin/env node
import { constants } from 'node:os';
import { parseCliArgs, usage } from './cli-args.js';
import { Collector } from './collector.js';
import { loadConfig, type CollectorConfig } from './config.js';
import { createLogger } from './telemetry/logger.js';
import { VERSION } from './version.js';

const EXIT_USAGE = 2;
const EXIT_FAILURE = 1;

/** Exit code of a process ended by a signal, as shells report it. */
function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + constants.signals[signal];
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
  logger.info(
    { otlpHttp: addresses.otlpHttpUrl, otlpGrpc: addresses.otlpGrpcAddress, ui: addresses.uiUrl, version: VERSION },
    'tracedock listening',
  );

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
