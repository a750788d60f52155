/** OTLP SeverityNumber of each level's first step (TRACE=1 ... FATAL=21). */
export const SEVERITY = { trace: 1, debug: 5, info: 9, warn: 13, error: 17, fatal: 21 } as const;
export type SeverityName = keyof typeof SEVERITY;

export interface Severity {
  severityNumber: number;
  severityText: string;
}

/** pino's (and bunyan's) numeric levels: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal. */
const PINO_STEP = 10;
const PINO_NAMES: readonly SeverityName[] = ['trace', 'trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** Level words of common loggers (winston, zap, logrus, log4j, Serilog, syslog), lowercased. */
const WORDS: Readonly<Record<string, SeverityName>> = {
  trace: 'trace', verbose: 'trace', silly: 'trace', finest: 'trace', finer: 'trace',
  debug: 'debug', fine: 'debug', dbg: 'debug',
  info: 'info', information: 'info', notice: 'info', http: 'info', inf: 'info',
  warn: 'warn', warning: 'warn', wrn: 'warn',
  error: 'error', err: 'error', eror: 'error', severe: 'error',
  fatal: 'fatal', critical: 'fatal', crit: 'fatal', panic: 'fatal', dpanic: 'fatal', alert: 'fatal', emerg: 'fatal', emergency: 'fatal', ftl: 'fatal',
};

function named(name: SeverityName, text: string): Severity {
  return { severityNumber: SEVERITY[name], severityText: text };
}

/**
 * The severity of a JSON log line's level field: a pino number, or a level word.
 * Unknown values give null (the caller keeps the stream's default).
 * @example severityOf(30) // { severityNumber: 9, severityText: 'INFO' }
 */
export function severityOf(level: unknown): Severity | null {
  if (typeof level === 'number' && Number.isFinite(level)) {
    const step = Math.max(0, Math.min(PINO_NAMES.length - 1, Math.floor(level / PINO_STEP)));
    const name = PINO_NAMES[step] ?? 'info';
    return named(name, name.toUpperCase());
  }
  if (typeof level !== 'string') return null;
  const name = WORDS[level.trim().toLowerCase()];
  return name === undefined ? null : named(name, level);
}

/** Plain (non-JSON) lines: stdout is INFO, stderr WARN — diagnostics, not necessarily errors. */
export function streamSeverity(stream: 'stdout' | 'stderr'): Severity {
  return stream === 'stdout' ? named('info', 'INFO') : named('warn', 'WARN');
}
