import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { IN_MEMORY_DATA_DIR, type CollectorConfig } from '../config.js';
import type { TokenSetting } from '../config-values.js';

/*
 * Access tokens, as the Aspire dashboard has them: one for the UI and query API, one for
 * OTLP ingest, both sent as `Authorization: Bearer <token>` (OTLP exporters send it with
 * OTEL_EXPORTER_OTLP_HEADERS). Each setting is `auto` (the default), `off` or the token
 * itself. `auto` turns a token on whenever the listeners bind beyond loopback: the collector
 * then makes one, keeps it in the data folder (so a restart does not lock out every exporter
 * configured with it) and prints it at start.
 */

/** The tokens in force; null where access is open. */
export interface AccessTokens {
  api: string | null;
  ingest: string | null;
  /** Which of them this start made or read back from the data folder, rather than a setting. */
  generated: { api: boolean; ingest: boolean };
}

/** Where `auto` keeps the tokens it made, readable by the collector's user only. */
export const TOKENS_FILE = 'access-tokens.json';
const TOKEN_BYTES = 24;

/** True for 127.0.0.0/8, ::1, ::ffff:127.x and localhost: addresses no other machine reaches. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h.startsWith('::ffff:127.');
  return false;
}

/** A fresh token: 24 random bytes, base64url (32 characters). */
export function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/**
 * Whether `presented` is the token, in time that does not depend on where they differ
 * (both are hashed first, so lengths do not leak either).
 */
export function tokenMatches(presented: string | undefined, token: string): boolean {
  if (presented === undefined) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

/** The token of an `Authorization: Bearer <token>` header; undefined for anything else. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(value ?? '');
  return match?.[1];
}

interface StoredTokens {
  api?: string;
  ingest?: string;
}

async function readStored(path: string): Promise<StoredTokens> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${path} is not a JSON object of tokens ({"api": "...", "ingest": "..."}); fix or delete it to make new ones`);
  }
  const stored: StoredTokens = {};
  for (const key of ['api', 'ingest'] as const) {
    const value = (parsed as Record<string, unknown>)[key];
    if (typeof value === 'string' && value.length > 0) stored[key] = value;
  }
  return stored;
}

async function writeStored(dataDir: string, path: string, tokens: StoredTokens): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const temporary = `${path}.tmp`;
  await writeFile(temporary, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}

/**
 * The tokens a start runs with. `auto` is on beyond loopback; a token `auto` makes is kept
 * in dataDir/access-tokens.json (an in-memory store makes new ones each start).
 * @example await resolveAccessTokens({ host: '0.0.0.0', apiToken: 'auto', ingestToken: 'off', dataDir: '/data' })
 */
export async function resolveAccessTokens(
  config: Pick<CollectorConfig, 'host' | 'apiToken' | 'ingestToken' | 'dataDir'>,
): Promise<AccessTokens> {
  const beyondLoopback = !isLoopbackHost(config.host);
  const wants = (setting: TokenSetting): boolean => setting === 'auto' && beyondLoopback;
  const explicit = (setting: TokenSetting): string | null => (setting === 'auto' || setting === 'off' ? null : setting);
  const needApi = wants(config.apiToken);
  const needIngest = wants(config.ingestToken);
  let stored: StoredTokens = {};
  if (needApi || needIngest) {
    const persistent = config.dataDir !== IN_MEMORY_DATA_DIR;
    const path = join(config.dataDir, TOKENS_FILE);
    stored = persistent ? await readStored(path) : {};
    const before = JSON.stringify(stored);
    if (needApi) stored.api ??= newToken();
    if (needIngest) stored.ingest ??= newToken();
    if (persistent && JSON.stringify(stored) !== before) await writeStored(config.dataDir, path, stored);
  }
  return {
    api: needApi ? (stored.api ?? null) : explicit(config.apiToken),
    ingest: needIngest ? (stored.ingest ?? null) : explicit(config.ingestToken),
    generated: { api: needApi, ingest: needIngest },
  };
}

/** OTEL_EXPORTER_OTLP_HEADERS for the ingest token (values are URL-encoded there). */
export function otlpHeadersSetting(token: string): string {
  return `Authorization=${encodeURIComponent(`Bearer ${token}`)}`;
}
