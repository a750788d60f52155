/**
 * Which store the collector uses, from one setting (TRACEDOCK_STORE, --store):
 * - `duckdb`, the embedded default: one file in the data folder;
 * - `clickhouse://[user[:password]@]host[:port][/database][?secure=true]`: a ClickHouse
 *   server's HTTP interface (port 8123, or 8443 with secure=true over HTTPS) that many
 *   collectors (one per Docker host) write to and read from. database: `tracedock`.
 */
export type StoreSetting =
  | { kind: 'duckdb' }
  | {
      kind: 'clickhouse';
      /** http(s)://[user:password@]host:port, for @clickhouse/client's `url`. */
      url: string;
      database: string;
      /** The URL without its password: for logs and /api/health. */
      shown: string;
    };

export const DEFAULT_CLICKHOUSE_DATABASE = 'tracedock';
const CLICKHOUSE_HTTP_PORT = '8123';
const CLICKHOUSE_HTTPS_PORT = '8443';
const DATABASE_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const EXPECTED = 'duckdb or clickhouse://[user[:password]@]host[:port][/database][?secure=true]';

/** The setting without a password, to name it in an error (a secret is never echoed). */
function masked(text: string): string {
  return text.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/**
 * The store a setting names, or an Error saying what was wrong with it.
 * @example parseStoreSetting('clickhouse://writer:s3cret@clickhouse:8123/telemetry')
 * // { kind: 'clickhouse', url: 'http://writer:s3cret@clickhouse:8123', database: 'telemetry', shown: 'clickhouse://writer:***@clickhouse:8123/telemetry' }
 */
export function parseStoreSetting(text: string): StoreSetting {
  const value = text.trim();
  if (value === 'duckdb') return { kind: 'duckdb' };
  const wrong = (why: string): Error => new Error(`${why}; expected ${EXPECTED}, got ${JSON.stringify(masked(value))}`);
  if (!value.startsWith('clickhouse://')) throw wrong('unknown store');
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw wrong('not a URL');
  }
  if (parsed.hostname === '') throw wrong('no host');
  const params = [...parsed.searchParams.keys()];
  const unknown = params.filter((name) => name !== 'secure');
  if (unknown.length > 0) throw wrong(`unknown parameter ${unknown.join(', ')}`);
  const secureText = parsed.searchParams.get('secure');
  if (secureText !== null && secureText !== 'true' && secureText !== 'false') throw wrong('secure must be true or false');
  const secure = secureText === 'true';
  const path = decodeURIComponent(parsed.pathname.replace(/^\/+|\/+$/g, ''));
  const database = path === '' ? DEFAULT_CLICKHOUSE_DATABASE : path;
  if (!DATABASE_PATTERN.test(database)) throw wrong('the database must be letters, digits and _');
  const port = parsed.port === '' ? (secure ? CLICKHOUSE_HTTPS_PORT : CLICKHOUSE_HTTP_PORT) : parsed.port;
  const credentials = parsed.username === '' ? '' : `${parsed.username}${parsed.password === '' ? '' : `:${parsed.password}`}@`;
  const host = parsed.hostname;
  return {
    kind: 'clickhouse',
    url: `${secure ? 'https' : 'http'}://${credentials}${host}:${port}`,
    database,
    shown: masked(`clickhouse://${credentials}${host}:${port}/${database}${secure ? '?secure=true' : ''}`),
  };
}
