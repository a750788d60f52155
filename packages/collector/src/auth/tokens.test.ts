import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { bearerToken, isLoopbackHost, otlpHeadersSetting, resolveAccessTokens, tokenMatches, TOKENS_FILE } from './tokens.js';

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });
  it.each(['0.0.0.0', '::', '10.1.2.3', '192.168.1.4', 'collector', '128.0.0.1', '::2'])('%s is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('bearerToken and tokenMatches', () => {
  it('reads the token of a Bearer header only', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken('bearer   abc ')).toBe('abc');
    expect(bearerToken(['Bearer first', 'Bearer second'])).toBe('first');
    expect(bearerToken('Basic dXNlcjpwYXNz')).toBeUndefined();
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
  it('matches the exact token only', () => {
    expect(tokenMatches('s3cret-token-0123456789', 's3cret-token-0123456789')).toBe(true);
    expect(tokenMatches('s3cret-token-012345678', 's3cret-token-0123456789')).toBe(false);
    expect(tokenMatches('', 's3cret-token-0123456789')).toBe(false);
    expect(tokenMatches(undefined, 's3cret-token-0123456789')).toBe(false);
  });
  it('spells the OTLP headers setting with the space URL-encoded, as exporters decode it', () => {
    expect(otlpHeadersSetting('abc_-')).toBe('Authorization=Bearer%20abc_-');
  });
});

describe('resolveAccessTokens', () => {
  let dataDir = '';
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tracedock-tokens-unit-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('auto is off on loopback and writes nothing', async () => {
    const tokens = await resolveAccessTokens({ host: '127.0.0.1', apiToken: 'auto', ingestToken: 'auto', dataDir });
    expect(tokens).toEqual({ api: null, ingest: null, generated: { api: false, ingest: false } });
    await expect(stat(join(dataDir, TOKENS_FILE))).rejects.toThrow(/ENOENT/);
  });

  it('auto beyond loopback makes two different tokens, keeps them (0600) and reads them back', async () => {
    const first = await resolveAccessTokens({ host: '0.0.0.0', apiToken: 'auto', ingestToken: 'auto', dataDir });
    expect(first.api).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(first.ingest).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(first.api).not.toBe(first.ingest);
    expect(first.generated).toEqual({ api: true, ingest: true });
    const file = join(dataDir, TOKENS_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ api: first.api, ingest: first.ingest });
    const again = await resolveAccessTokens({ host: '::', apiToken: 'auto', ingestToken: 'auto', dataDir });
    expect(again).toEqual(first);
  });

  it('a token given is used as is, off is off, and only auto ones are made', async () => {
    const tokens = await resolveAccessTokens({ host: '0.0.0.0', apiToken: 'given-api-token-0123456789', ingestToken: 'off', dataDir });
    expect(tokens).toEqual({ api: 'given-api-token-0123456789', ingest: null, generated: { api: false, ingest: false } });
    const mixed = await resolveAccessTokens({ host: '0.0.0.0', apiToken: 'off', ingestToken: 'auto', dataDir });
    expect(mixed.api).toBeNull();
    expect(mixed.ingest).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(JSON.parse(await readFile(join(dataDir, TOKENS_FILE), 'utf8'))).toEqual({ ingest: mixed.ingest });
  });

  it('an in-memory store makes tokens without a file', async () => {
    const tokens = await resolveAccessTokens({ host: '0.0.0.0', apiToken: 'auto', ingestToken: 'auto', dataDir: ':memory:' });
    expect(tokens.api).not.toBeNull();
    await expect(stat(join(':memory:', TOKENS_FILE))).rejects.toThrow(/ENOENT/);
  });

  it('a damaged tokens file stops the start with its path', async () => {
    await writeFile(join(dataDir, TOKENS_FILE), '[1, 2]');
    await expect(resolveAccessTokens({ host: '0.0.0.0', apiToken: 'auto', ingestToken: 'auto', dataDir })).rejects.toThrow(TOKENS_FILE);
    await writeFile(join(dataDir, TOKENS_FILE), '{not json');
    await expect(resolveAccessTokens({ host: '0.0.0.0', apiToken: 'auto', ingestToken: 'auto', dataDir })).rejects.toThrow(TOKENS_FILE);
  });
});

describe('token settings', () => {
  it('default to auto and take off or a token from the environment', () => {
    expect(loadConfig({}, {})).toMatchObject({ apiToken: 'auto', ingestToken: 'auto' });
    expect(loadConfig({}, { TRACEDOCK_API_TOKEN: 'off', TRACEDOCK_INGEST_TOKEN: 'ingest-token-0123456789' })).toMatchObject({ apiToken: 'off', ingestToken: 'ingest-token-0123456789' });
  });
  it('refuse a short or spaced token without echoing it', () => {
    expect(() => loadConfig({}, { TRACEDOCK_API_TOKEN: 'short' })).toThrow('TRACEDOCK_API_TOKEN must be auto, off or a token of 16 to 512 printable characters without spaces');
    expect(() => loadConfig({}, { TRACEDOCK_INGEST_TOKEN: 'has a space in it, 16+' })).toThrow(/TRACEDOCK_INGEST_TOKEN must be/);
    try {
      loadConfig({}, { TRACEDOCK_API_TOKEN: 'short' });
    } catch (error) {
      expect((error as Error).message).not.toContain('"short"');
    }
  });
});
