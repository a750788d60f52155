import { pino, type Logger } from 'pino';
import type { CollectorConfig } from '../config.js';

export type { Logger };

/** The collector's own log: JSON lines on stdout, as pino writes them. */
export function createLogger(level: CollectorConfig['logLevel']): Logger {
  return pino({ name: 'tracedock', level });
}
