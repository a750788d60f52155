import { pino, type Logger } from 'pino';

/** A pino logger whose JSON lines land in `lines`, for asserting what was logged. */
export function captureLogger(): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const raw: string[] = [];
  const logger = pino({ level: 'trace' }, { write: (line: string) => void raw.push(line) });
  const lines = (): Record<string, unknown>[] =>
    raw.map((line) => {
      const parsed: unknown = JSON.parse(line);
      return typeof parsed === 'object' && parsed !== null ? { ...parsed } : {};
    });
  return { logger, lines };
}

export const silentLogger: Logger = pino({ level: 'silent' });
