import { ClickHouseLogLevel, createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';

export const DEFAULT_REQUEST_TIMEOUT_MILLIS = 30_000;

/**
 * An official client for one half of the ClickHouse store. Its own log is off: failures
 * reach the caller (a WriteResult, a rejected read), which the collector logs its way.
 */
export function clickhouseClient(url: string, requestTimeoutMillis: number | undefined, settings: ClickHouseSettings): ClickHouseClient {
  return createClient({
    url,
    request_timeout: requestTimeoutMillis ?? DEFAULT_REQUEST_TIMEOUT_MILLIS,
    clickhouse_settings: settings,
    log: { level: ClickHouseLogLevel.OFF },
  });
}
